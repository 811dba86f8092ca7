// Owns DDPM ancestral sampling (docs/theory.md#ddpm-sampling) with any denoiser:
// u_T ~ N(0, I); u_{t-1} = (u_t - beta_t / sqrt(1 - abar_t) eps_hat) / sqrt(alpha_t) + sigma_t z,
// sigma_t^2 = beta_t, no noise at t = 1 unless final_noise; no clipping anywhere. A data-predicting
// denoiser enters through its noise prediction (src/diffusion/denoiser.h).
#pragma once

#include <cstdint>

#include <ATen/core/Tensor.h>

#include "src/diffusion/denoiser.h"
#include "src/theory/schedule.h"

namespace lindiff {

// How to sample.
struct SamplerOptions {
  bool final_noise = false;
  std::int64_t batch_size = 4096;   // samples generated at once
  std::uint64_t seed = 0;
};

// Draws `count` samples of dimension `dim` ([count, dim] float, on the CPU) with `denoiser`,
// which runs on its own device. The noise comes from one seeded CPU stream and is moved to that
// device, so a seed draws the same noise on every device. Cost O(T) denoiser calls per batch.
at::Tensor ddpm_sample(const Denoiser& denoiser, const Schedule& schedule, std::int64_t count, std::int64_t dim,
                       const SamplerOptions& options);

}  // namespace lindiff
