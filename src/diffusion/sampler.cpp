#include "src/diffusion/sampler.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <torch/torch.h>

namespace lindiff {

at::Tensor ddpm_sample(const std::function<at::Tensor(const at::Tensor& x, const at::Tensor& t)>& predict,
                       const Schedule& schedule, std::int64_t count, std::int64_t dim, const SamplerOptions& o) {
  torch::NoGradGuard no_grad;
  const torch::Device device = o.device;
  torch::Generator generator = at::detail::createCPUGenerator(o.seed);
  const auto normal = [&](std::int64_t rows) { return torch::randn({rows, dim}, generator, torch::kFloat).to(device); };
  std::vector<torch::Tensor> batches;
  for (std::int64_t start = 0; start < count; start += o.batch_size) {
    const std::int64_t size = std::min(o.batch_size, count - start);
    torch::Tensor u = normal(size);
    for (int t = schedule.steps(); t >= 1; --t) {
      const torch::Tensor steps = torch::full({size}, t, torch::TensorOptions(torch::kLong).device(device));
      const double root_noise = std::sqrt(schedule.one_minus_abar(t));
      torch::Tensor eps_hat = predict(u, steps);
      if (o.objective == Objective::kData) eps_hat = (u - std::sqrt(schedule.abar(t)) * eps_hat) / root_noise;
      u = (u - (schedule.beta(t) / root_noise) * eps_hat) / std::sqrt(schedule.alpha(t));
      if (t > 1 || o.final_noise) u = u + std::sqrt(schedule.beta(t)) * normal(size);
    }
    batches.push_back(u.cpu());
  }
  return torch::cat(batches, 0);
}

}  // namespace lindiff
