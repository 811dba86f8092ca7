// Owns the small U-Net denoiser: residual blocks (GroupNorm, SiLU, 3x3 convolutions) with a
// sinusoidal time embedding, `depth` levels that each halve the image, skip connections, and
// a noise or data output. Inputs and outputs are flattened images [B, C*H*W] (CHW order), the
// same interface as LinearDenoiser.
#pragma once

#include <cstdint>
#include <string>

#include <c10/core/ScalarType.h>
#include <torch/nn/module.h>
#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/normalization.h>
#include <torch/nn/pimpl.h>

namespace lindiff {

// Construction options of UNet.
struct UNetOptions {
  std::int64_t channels = 1;       // image channels C
  std::int64_t height = 28;
  std::int64_t width = 28;
  std::int64_t base_channels = 32; // channels at full resolution; doubled at each level
  std::int64_t depth = 2;          // number of halvings; H and W must be divisible by 2^depth
  std::int64_t groups = 8;         // GroupNorm groups (reduced to a divisor of each width)
  std::int64_t time_dim = 64;      // sinusoidal embedding size (even)
  // The convolutions' precision: float, or bfloat16 (weights and inputs cast, products summed in
  // float by oneDNN/cuDNN; normalisation statistics, the residual stream, the time embedding and
  // the parameters stay float), as autocast would do.
  c10::ScalarType compute_type = c10::ScalarType::Float;
};

// Throws std::invalid_argument when `options` cannot build a U-Net, naming the value and what
// would be valid (e.g. "depth 3 does not fit 28x28 images ... 28x28 allows depth <= 2").
void validate_unet_options(const UNetOptions& options);

// The number of parameters of UNet(options), by formula (no module is built, so that a memory
// estimate can size absurd options): convolutions 9 in out + out (1x1: in out + out), linear
// layers in out + out, GroupNorm 2 c. O(depth).
double unet_parameter_count(const UNetOptions& options);

// Residual block: x + conv(silu(norm(conv(silu(norm(x))) + time))) with a 1x1 skip when widths
// differ; convolutions in `compute_type`, the sum in float.
struct ResidualBlockImpl : torch::nn::Module {
  ResidualBlockImpl(std::int64_t in_channels, std::int64_t out_channels, std::int64_t embedding, std::int64_t groups,
                    c10::ScalarType compute_type = c10::ScalarType::Float);
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& embedding);

  torch::nn::GroupNorm norm1{nullptr}, norm2{nullptr};
  torch::nn::Conv2d conv1{nullptr}, conv2{nullptr}, skip{nullptr};
  torch::nn::Linear time{nullptr};
  c10::ScalarType compute_type;
};
TORCH_MODULE(ResidualBlock);

// The U-Net.
struct UNetImpl : torch::nn::Module {
  explicit UNetImpl(const UNetOptions& options);
  // Prediction for flattened images x [B, C*H*W] at timesteps t [B] (int64).
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& t);

  UNetOptions options;
  torch::nn::Sequential time_mlp{nullptr};
  torch::nn::Conv2d input{nullptr}, output{nullptr};
  torch::nn::ModuleList down_blocks{nullptr}, downsamples{nullptr}, upsamples{nullptr}, up_blocks{nullptr};
  ResidualBlock middle{nullptr};
  torch::nn::GroupNorm output_norm{nullptr};
};
TORCH_MODULE(UNet);

// The sinusoidal embedding [B, dim] of timesteps t [B]: sin and cos of t / 10000^(k / (dim/2)).
torch::Tensor timestep_embedding(const torch::Tensor& t, std::int64_t dim);

}  // namespace lindiff
