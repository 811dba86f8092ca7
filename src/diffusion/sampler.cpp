#include "src/diffusion/sampler.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include <torch/torch.h>

namespace lindiff {

namespace {

void check_steps(const char* sampler, const Denoiser& denoiser, const Schedule& schedule) {
  if (denoiser.steps() != schedule.steps()) {
    throw std::invalid_argument(std::string(sampler) + ": the denoiser has " + std::to_string(denoiser.steps()) +
                                " timesteps, the schedule " + std::to_string(schedule.steps()));
  }
}

// One step of a sampler for a batch of rows: u_t [rows, d] at timestep t (`steps` holds t per row)
// and that step's noise rows z (undefined where the sampler draws none) to u_{t-1}.
using SamplerStep = std::function<at::Tensor(const at::Tensor& u, const at::Tensor& steps, int t, const at::Tensor& z)>;

// u_T ~ N(0, I) down the chain with `step`, in batches of rows. Every draw (u_T, then the noise of
// each step t where `noisy(t)`) is made for all samples at once from the seed's CPU generator, so
// the samples depend on the seed only, not on the batch size or the device.
at::Tensor run_chain(const Denoiser& denoiser, const Schedule& schedule, std::int64_t count, std::int64_t dim,
                     const SamplerOptions& o, const std::function<bool(int)>& noisy, const SamplerStep& step) {
  torch::NoGradGuard no_grad;
  const torch::Device device = denoiser.device();
  torch::Generator generator = at::detail::createCPUGenerator(o.seed);
  const auto normal = [&] { return torch::randn({count, dim}, generator, torch::kFloat).to(device); };
  torch::Tensor u = normal();
  for (int t = schedule.steps(); t >= 1; --t) {
    const torch::Tensor z = noisy(t) ? normal() : torch::Tensor();
    std::vector<torch::Tensor> batches;
    for (std::int64_t start = 0; start < count; start += o.batch_size) {
      const std::int64_t end = std::min(count, start + o.batch_size);
      const torch::Tensor steps = torch::full({end - start}, t, torch::TensorOptions(torch::kLong).device(device));
      batches.push_back(step(u.slice(0, start, end), steps, t, z.defined() ? z.slice(0, start, end) : z));
    }
    u = torch::cat(batches, 0);
  }
  return u.cpu();
}

}  // namespace

at::Tensor ddpm_sample(const Denoiser& denoiser, const Schedule& schedule, std::int64_t count, std::int64_t dim,
                       const SamplerOptions& o) {
  check_steps("ddpm_sample", denoiser, schedule);
  const auto noisy = [&](int t) { return t > 1 || o.final_noise; };
  return run_chain(denoiser, schedule, count, dim, o, noisy,
                   [&](const at::Tensor& u, const at::Tensor& steps, int t, const at::Tensor& z) {
                     const torch::Tensor eps_hat = denoiser.predict(u, steps, Objective::kNoise);
                     torch::Tensor next = (u - (schedule.beta(t) / std::sqrt(schedule.one_minus_abar(t))) * eps_hat) /
                                          std::sqrt(schedule.alpha(t));
                     return z.defined() ? next + std::sqrt(schedule.beta(t)) * z : next;
                   });
}

at::Tensor ddim_sample(const Denoiser& denoiser, const Schedule& schedule, std::int64_t count, std::int64_t dim,
                       const SamplerOptions& o) {
  check_steps("ddim_sample", denoiser, schedule);
  return run_chain(denoiser, schedule, count, dim, o, [](int) { return false; },
                   [&](const at::Tensor& u, const at::Tensor& steps, int t, const at::Tensor&) {
                     const DenoiserPrediction both = denoiser.predict_both(u, steps);
                     return std::sqrt(schedule.abar(t - 1)) * both.x0 + std::sqrt(schedule.one_minus_abar(t - 1)) * both.eps;
                   });
}

at::Tensor draw_samples(SamplerKind kind, const Denoiser& denoiser, const Schedule& schedule, std::int64_t count,
                        std::int64_t dim, const SamplerOptions& options) {
  return kind == SamplerKind::kDdim ? ddim_sample(denoiser, schedule, count, dim, options)
                                    : ddpm_sample(denoiser, schedule, count, dim, options);
}

}  // namespace lindiff
