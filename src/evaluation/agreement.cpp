#include "src/evaluation/agreement.h"

#include <cmath>
#include <limits>
#include <stdexcept>

#include <torch/torch.h>

namespace lindiff {

namespace {

// Whether a sum of squared deviations is zero up to rounding: a constant stored in float or
// double keeps a spread of about n (1e-16 max|v|)^2 after its mean is subtracted.
bool flat(double spread, double n, double largest) { return spread <= n * (1e-12 * largest) * (1e-12 * largest); }

constexpr double kUndefined = std::numeric_limits<double>::quiet_NaN();

}  // namespace

Agreement agreement(const at::Tensor& a, const at::Tensor& r) {
  if (!a.sizes().equals(r.sizes())) throw std::invalid_argument("agreement: the two outputs differ in shape");
  if (a.numel() == 0) throw std::invalid_argument("agreement: no outputs to compare");
  torch::NoGradGuard no_grad;
  const at::Tensor x = a.detach().to(at::kCPU, at::kDouble).reshape({-1});
  const at::Tensor y = r.detach().to(at::kCPU, at::kDouble).reshape({-1});
  const double n = static_cast<double>(x.numel());
  const at::Tensor dx = x - x.mean(), dy = y - y.mean();
  const double residual = (x - y).pow(2).sum().item<double>();
  const double spread_a = dx.pow(2).sum().item<double>(), spread_r = dy.pow(2).sum().item<double>();
  const bool flat_a = flat(spread_a, n, x.abs().max().item<double>());
  const bool flat_r = flat(spread_r, n, y.abs().max().item<double>());
  Agreement out;
  out.count = x.numel();
  out.mse = residual / n;
  out.relative_mse = flat_r ? kUndefined : residual / spread_r;
  out.r_squared = 1.0 - out.relative_mse;
  out.pearson = flat_a || flat_r ? kUndefined : (dx * dy).sum().item<double>() / std::sqrt(spread_a * spread_r);
  out.studio_r_squared = flat_a ? kUndefined : 1.0 - residual / spread_a;
  return out;
}

}  // namespace lindiff
