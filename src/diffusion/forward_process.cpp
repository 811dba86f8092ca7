#include "src/diffusion/forward_process.h"

#include <cmath>

#include <torch/torch.h>

namespace lindiff {

ScheduleTensors schedule_tensors(const Schedule& schedule) {
  const int steps = schedule.steps();
  torch::Tensor a = torch::empty({steps}, torch::kDouble), b = torch::empty({steps}, torch::kDouble);
  for (int t = 1; t <= steps; ++t) {
    a[t - 1] = std::sqrt(schedule.abar(t));
    b[t - 1] = std::sqrt(schedule.one_minus_abar(t));
  }
  return ScheduleTensors{a.to(torch::kFloat), b.to(torch::kFloat)};
}

at::Tensor noised(const ScheduleTensors& s, const at::Tensor& x0, const at::Tensor& eps, const at::Tensor& t) {
  const torch::Tensor index = t - 1;
  return s.sqrt_abar.index_select(0, index).unsqueeze(1) * x0 +
         s.sqrt_one_minus_abar.index_select(0, index).unsqueeze(1) * eps;
}

at::Tensor denoising_loss(const at::Tensor& prediction, const at::Tensor& x0, const at::Tensor& eps, Objective objective) {
  const torch::Tensor& target = objective == Objective::kData ? x0 : eps;
  return (target - prediction).pow(2).sum(1).mean() / static_cast<double>(x0.size(1));
}

}  // namespace lindiff
