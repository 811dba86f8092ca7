#include "models/unet.h"

#include <cmath>
#include <numeric>
#include <stdexcept>

#include <torch/torch.h>

#include "models/group_norm_silu.h"

namespace lindiff {

namespace nn = torch::nn;

namespace {

std::int64_t group_count(std::int64_t groups, std::int64_t channels) { return std::gcd(groups, channels); }

nn::Conv2d conv3x3(std::int64_t in, std::int64_t out, std::int64_t stride = 1) {
  return nn::Conv2d(nn::Conv2dOptions(in, out, 3).stride(stride).padding(1));
}

std::int64_t width_at(const UNetOptions& o, std::int64_t level) { return o.base_channels << level; }

// silu(norm(x)) in `type`, the input float or `type`: one fused kernel on the CPU, LibTorch's
// operators (statistics in float) elsewhere.
torch::Tensor normalise_and_activate(nn::GroupNormImpl& norm, const torch::Tensor& x, c10::ScalarType type) {
  const nn::GroupNormOptions& o = norm.options;
  if (x.is_cpu() && o.affine()) return group_norm_silu(x, norm.weight, norm.bias, o.num_groups(), o.eps(), type);
  return torch::silu(norm.forward(x.to(torch::kFloat))).to(type);
}

// conv(x) in `type`: the float module itself, or its weights and input cast (autograd carries
// the gradients back to the float weights). Both precisions run channels last: oneDNN computes
// convolutions in that layout and would otherwise convert every input and result (measured, fwd +
// bwd of 32 channels at 28x28, batch 128: bfloat16 18 ms NCHW, 6.7 ms channels last; float32 43
// and 24 ms); the layout then flows through the norm, the additions, cat and interpolate, which
// keep it. The result is made channels last too: from a one-channel input (both layouts at
// once) oneDNN returns NCHW.
torch::Tensor convolve(nn::Conv2dImpl& conv, const torch::Tensor& x, c10::ScalarType type) {
  constexpr auto kLast = at::MemoryFormat::ChannelsLast;
  if (type == torch::kFloat) return conv.forward(x.to(torch::kFloat).contiguous(kLast)).contiguous(kLast);
  const auto& o = conv.options;  // ConvNdOptions<2>
  namespace F = torch::nn::functional;
  return F::conv2d(x.to(type).contiguous(kLast), conv.weight.to(type).contiguous(kLast),
                   F::Conv2dFuncOptions().bias(conv.bias.to(type)).stride(o.stride()).padding(o.padding()))
      .contiguous(kLast);
}

}  // namespace

void validate_unet_options(const UNetOptions& o) {
  if (o.channels < 1 || o.height < 1 || o.width < 1) throw std::invalid_argument("U-Net: image shape must be positive");
  if (o.base_channels < 1) throw std::invalid_argument("U-Net: base_channels must be >= 1");
  if (o.time_dim < 2 || o.time_dim % 2 != 0) throw std::invalid_argument("U-Net: time_dim must be even and >= 2");
  if (o.depth < 0) throw std::invalid_argument("U-Net: depth must be >= 0");
  const std::int64_t factor = std::int64_t{1} << o.depth;
  if (o.height % factor != 0 || o.width % factor != 0) {
    std::int64_t fits = 0;
    while (o.height % (std::int64_t{2} << fits) == 0 && o.width % (std::int64_t{2} << fits) == 0) ++fits;
    throw std::invalid_argument("U-Net depth " + std::to_string(o.depth) + " does not fit " + std::to_string(o.height) +
                                "x" + std::to_string(o.width) + " images: each level halves them, so H and W must be "
                                "divisible by 2^" + std::to_string(o.depth) + " = " + std::to_string(factor) + " (" +
                                std::to_string(o.height) + "x" + std::to_string(o.width) + " allows depth <= " +
                                std::to_string(fits) + ")");
  }
}

ResidualBlockImpl::ResidualBlockImpl(std::int64_t in, std::int64_t out, std::int64_t embedding, std::int64_t groups,
                                     c10::ScalarType compute)
    : compute_type(compute) {
  norm1 = register_module("norm1", nn::GroupNorm(nn::GroupNormOptions(group_count(groups, in), in)));
  conv1 = register_module("conv1", conv3x3(in, out));
  time = register_module("time", nn::Linear(embedding, out));
  norm2 = register_module("norm2", nn::GroupNorm(nn::GroupNormOptions(group_count(groups, out), out)));
  conv2 = register_module("conv2", conv3x3(out, out));
  if (in != out) skip = register_module("skip", nn::Conv2d(nn::Conv2dOptions(in, out, 1)));
}

torch::Tensor ResidualBlockImpl::forward(const torch::Tensor& x, const torch::Tensor& embedding) {
  torch::Tensor h = convolve(*conv1, normalise_and_activate(*norm1, x, compute_type), compute_type);
  h = time(embedding).unsqueeze(-1).unsqueeze(-1) + h;  // float from here
  h = convolve(*conv2, normalise_and_activate(*norm2, h, compute_type), compute_type);
  return (skip ? convolve(*skip, x, compute_type) : x) + h;
}

torch::Tensor timestep_embedding(const torch::Tensor& t, std::int64_t dim) {
  const std::int64_t half = dim / 2;
  const torch::Tensor frequencies =
      torch::exp(-std::log(10000.0) * torch::arange(half, t.options().dtype(torch::kFloat)) / static_cast<double>(half));
  const torch::Tensor angles = t.to(torch::kFloat).unsqueeze(1) * frequencies.unsqueeze(0);
  return torch::cat({torch::sin(angles), torch::cos(angles)}, 1);
}

double unet_parameter_count(const UNetOptions& o) {
  const auto conv3 = [](double in, double out) { return 9 * in * out + out; };
  const auto linear = [](double in, double out) { return in * out + out; };
  const auto norm = [](double c) { return 2 * c; };
  const double embedding = 4.0 * static_cast<double>(o.base_channels);
  const auto block = [&](double in, double out) {
    return norm(in) + conv3(in, out) + linear(embedding, out) + norm(out) + conv3(out, out) + (in != out ? linear(in, out) : 0);
  };
  const auto width = [&](std::int64_t level) { return static_cast<double>(o.base_channels) * std::ldexp(1.0, static_cast<int>(level)); };
  const double c = static_cast<double>(o.channels);
  double count = linear(static_cast<double>(o.time_dim), embedding) + linear(embedding, embedding) + conv3(c, width(0));
  for (std::int64_t level = 0; level < o.depth; ++level) {
    count += block(width(level), width(level)) + conv3(width(level), width(level + 1));  // down
    count += conv3(width(level + 1), width(level)) + block(2 * width(level), width(level));  // up
  }
  return count + block(width(o.depth), width(o.depth)) + norm(width(0)) + conv3(width(0), c);
}

UNetImpl::UNetImpl(const UNetOptions& o) : options(o) {
  validate_unet_options(o);
  const std::int64_t embedding = 4 * o.base_channels;
  time_mlp = register_module("time_mlp", nn::Sequential(nn::Linear(o.time_dim, embedding), nn::SiLU(),
                                                        nn::Linear(embedding, embedding)));
  input = register_module("input", conv3x3(o.channels, o.base_channels));
  down_blocks = register_module("down_blocks", nn::ModuleList());
  downsamples = register_module("downsamples", nn::ModuleList());
  up_blocks = register_module("up_blocks", nn::ModuleList());
  upsamples = register_module("upsamples", nn::ModuleList());
  for (std::int64_t level = 0; level < o.depth; ++level) {
    down_blocks->push_back(ResidualBlock(width_at(o, level), width_at(o, level), embedding, o.groups, o.compute_type));
    downsamples->push_back(conv3x3(width_at(o, level), width_at(o, level + 1), 2));
  }
  middle = register_module("middle", ResidualBlock(width_at(o, o.depth), width_at(o, o.depth), embedding, o.groups, o.compute_type));
  for (std::int64_t level = o.depth - 1; level >= 0; --level) {
    upsamples->push_back(conv3x3(width_at(o, level + 1), width_at(o, level)));
    up_blocks->push_back(ResidualBlock(2 * width_at(o, level), width_at(o, level), embedding, o.groups, o.compute_type));
  }
  output_norm = register_module("output_norm", nn::GroupNorm(nn::GroupNormOptions(group_count(o.groups, o.base_channels),
                                                                                  o.base_channels)));
  output = register_module("output", conv3x3(o.base_channels, o.channels));
}

torch::Tensor UNetImpl::forward(const torch::Tensor& x, const torch::Tensor& t) {
  const std::int64_t batch = x.size(0);
  const torch::Tensor embedding = time_mlp->forward(timestep_embedding(t, options.time_dim));
  const c10::ScalarType type = options.compute_type;
  torch::Tensor h = convolve(*input, x.view({batch, options.channels, options.height, options.width}), type);
  std::vector<torch::Tensor> skips;
  for (std::size_t level = 0; level < down_blocks->size(); ++level) {
    h = down_blocks[level]->as<ResidualBlock>()->forward(h, embedding);
    skips.push_back(h);
    h = convolve(*downsamples[level]->as<nn::Conv2dImpl>(), h, type);
  }
  h = middle->forward(h, embedding);
  for (std::size_t i = 0; i < up_blocks->size(); ++i) {
    h = torch::nn::functional::interpolate(
        h, torch::nn::functional::InterpolateFuncOptions().scale_factor(std::vector<double>{2.0, 2.0}).mode(torch::kNearest));
    h = convolve(*upsamples[i]->as<nn::Conv2dImpl>(), h, type).to(torch::kFloat);
    h = up_blocks[i]->as<ResidualBlock>()->forward(torch::cat({h, skips[skips.size() - 1 - i]}, 1), embedding);
  }
  return convolve(*output, normalise_and_activate(*output_norm, h, type), type).to(torch::kFloat).reshape({batch, -1});
}

}  // namespace lindiff
