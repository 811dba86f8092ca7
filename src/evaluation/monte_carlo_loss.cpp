#include "src/evaluation/monte_carlo_loss.h"

#include <algorithm>
#include <cmath>

#include <torch/torch.h>

#include "src/diffusion/forward_process.h"

namespace lindiff {

LossProbe::LossProbe(const at::Tensor& data, const Schedule& schedule, std::int64_t count, std::uint64_t seed) {
  torch::Generator generator = at::detail::createCPUGenerator(seed);
  const std::int64_t n = data.size(0);
  const torch::Tensor order = torch::randperm(n, generator, torch::kLong);
  const torch::Tensor rows = order.index({torch::arange(count, torch::kLong) % n}).to(data.device());
  x0_ = data.index_select(0, rows);
  t_ = torch::randint(1, schedule.steps() + 1, {count}, generator, torch::kLong).to(data.device());
  eps_ = torch::randn(x0_.sizes(), generator, torch::kFloat).to(data.device());
  ScheduleTensors coefficients = schedule_tensors(schedule);
  coefficients.sqrt_abar = coefficients.sqrt_abar.to(data.device());
  coefficients.sqrt_one_minus_abar = coefficients.sqrt_one_minus_abar.to(data.device());
  xt_ = noised(coefficients, x0_, eps_, t_);
}

LossEstimate summarize_draws(const torch::Tensor& per_draw) {
  const std::int64_t count = per_draw.size(0);
  const double sd = count > 1 ? per_draw.std().item<double>() : 0.0;
  return {per_draw.mean().item<double>(), sd / std::sqrt(static_cast<double>(count)), count};
}

torch::Tensor LossProbe::per_draw_losses(const Denoiser& denoiser, Objective objective, std::int64_t batch) const {
  torch::NoGradGuard no_grad;
  const std::int64_t count = x0_.size(0), d = x0_.size(1);
  std::vector<torch::Tensor> losses;
  for (std::int64_t start = 0; start < count; start += batch) {
    const std::int64_t end = std::min(count, start + batch);
    const torch::Tensor prediction = denoiser.predict(xt_.slice(0, start, end), t_.slice(0, start, end), objective);
    const torch::Tensor target = (objective == Objective::kData ? x0_ : eps_).slice(0, start, end);
    losses.push_back((prediction - target).pow(2).sum(1).to(torch::kDouble) / static_cast<double>(d));
  }
  return torch::cat(losses);
}

LossEstimate LossProbe::estimate(const Denoiser& denoiser, Objective objective, std::int64_t batch) const {
  return summarize_draws(per_draw_losses(denoiser, objective, batch));
}

}  // namespace lindiff
