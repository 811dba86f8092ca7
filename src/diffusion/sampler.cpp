#include "src/diffusion/sampler.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include <torch/torch.h>

namespace lindiff {

at::Tensor ddpm_sample(const Denoiser& denoiser, const Schedule& schedule, std::int64_t count, std::int64_t dim,
                       const SamplerOptions& o) {
  if (denoiser.steps() != schedule.steps()) {
    throw std::invalid_argument("ddpm_sample: the denoiser has " + std::to_string(denoiser.steps()) +
                                " timesteps, the schedule " + std::to_string(schedule.steps()));
  }
  torch::NoGradGuard no_grad;
  const torch::Device device = denoiser.device();
  torch::Generator generator = at::detail::createCPUGenerator(o.seed);
  const auto normal = [&](std::int64_t rows) { return torch::randn({rows, dim}, generator, torch::kFloat).to(device); };
  std::vector<torch::Tensor> batches;
  for (std::int64_t start = 0; start < count; start += o.batch_size) {
    const std::int64_t size = std::min(o.batch_size, count - start);
    torch::Tensor u = normal(size);
    for (int t = schedule.steps(); t >= 1; --t) {
      const torch::Tensor steps = torch::full({size}, t, torch::TensorOptions(torch::kLong).device(device));
      const torch::Tensor eps_hat = denoiser.predict(u, steps, Objective::kNoise);
      u = (u - (schedule.beta(t) / std::sqrt(schedule.one_minus_abar(t))) * eps_hat) / std::sqrt(schedule.alpha(t));
      if (t > 1 || o.final_noise) u = u + std::sqrt(schedule.beta(t)) * normal(size);
    }
    batches.push_back(u.cpu());
  }
  return torch::cat(batches, 0);
}

}  // namespace lindiff
