#include "models/linear_denoiser.h"

#include <stdexcept>

#include <torch/torch.h>

namespace lindiff {

LinearDenoiserImpl::LinearDenoiserImpl(const LinearDenoiserOptions& opts, const torch::Tensor& schedule_sqrt_abar)
    : options(opts) {
  if (opts.dim < 1) throw std::invalid_argument("LinearDenoiser: dim must be >= 1");
  if (opts.objective != "noise" && opts.objective != "data") {
    throw std::invalid_argument("LinearDenoiser: objective '" + opts.objective + "' (valid: noise, data)");
  }
  if (opts.init != "zero" && opts.init != "normal") {
    throw std::invalid_argument("LinearDenoiser: init '" + opts.init + "' (valid: zero, normal)");
  }
  const std::int64_t steps = schedule_sqrt_abar.size(0), d = opts.dim;
  torch::Tensor w = torch::zeros({steps, d, d});
  if (opts.init == "normal") {
    torch::Generator generator = at::detail::createCPUGenerator(opts.seed);
    w = torch::randn({steps, d, d}, generator) / std::sqrt(static_cast<double>(d));
  }
  weight = register_parameter("weight", w);
  bias = opts.train_bias ? register_parameter("bias", torch::zeros({steps, d}))
                         : register_buffer("bias", torch::zeros({steps, d}));
  sqrt_abar = register_buffer("sqrt_abar", schedule_sqrt_abar.to(torch::kFloat).clone());
}

torch::Tensor LinearDenoiserImpl::forward(const torch::Tensor& x, const torch::Tensor& t) {
  const torch::Tensor index = t - 1;
  const torch::Tensor b = bias.index_select(0, index);                          // [B, d]
  const torch::Tensor centred = x - sqrt_abar.index_select(0, index).unsqueeze(1) * b;
  const torch::Tensor out = torch::bmm(weight.index_select(0, index), centred.unsqueeze(2)).squeeze(2);
  return options.objective == "data" ? out + b : out;
}

torch::Tensor LinearDenoiserImpl::forward_at(const torch::Tensor& x, std::int64_t t) {
  const torch::Tensor b = bias[t - 1];
  const torch::Tensor out = torch::matmul(x - sqrt_abar[t - 1] * b, weight[t - 1].t());
  return options.objective == "data" ? out + b : out;
}

torch::Tensor LinearDenoiserImpl::penalty(const torch::Tensor& t, double c) {
  const torch::Tensor index = t - 1;
  const torch::Tensor w = weight.index_select(0, index);      // [B, d, d]
  const torch::Tensor root = sqrt_abar.index_select(0, index);  // [B]
  torch::Tensor norms;
  if (options.objective == "noise") {
    norms = root.pow(2) * w.pow(2).sum({1, 2});
  } else {
    const torch::Tensor eye = torch::eye(options.dim).unsqueeze(0);
    norms = (root.view({-1, 1, 1}) * w - eye).pow(2).sum({1, 2});
  }
  return c * norms.mean() / static_cast<double>(options.dim);
}

void LinearDenoiserImpl::set_bias(const torch::Tensor& value) {
  torch::NoGradGuard no_grad;
  bias.copy_(value.to(torch::kFloat).unsqueeze(0).expand_as(bias));
}

}  // namespace lindiff
