// Owns sampling with any denoiser: DDPM ancestral sampling (docs/theory.md#ddpm-sampling),
// u_T ~ N(0, I); u_{t-1} = (u_t - beta_t / sqrt(1 - abar_t) eps_hat) / sqrt(alpha_t) + sigma_t z,
// sigma_t^2 = beta_t, no noise at t = 1 unless final_noise; no clipping anywhere. A data-predicting
// denoiser enters through its noise prediction (src/diffusion/denoiser.h); and deterministic DDIM.
#pragma once

#include <cstdint>

#include <ATen/core/Tensor.h>

#include "src/config/vocabulary.h"
#include "src/diffusion/denoiser.h"
#include "src/theory/schedule.h"

namespace lindiff {

// How to sample.
struct SamplerOptions {
  bool final_noise = false;         // DDPM only
  std::int64_t batch_size = 4096;   // samples denoised at once (the samples do not depend on it)
  std::uint64_t seed = 0;
};

// Draws `count` samples of dimension `dim` ([count, dim] float, on the CPU) with `denoiser`,
// which runs on its own device. The noise comes from one seeded CPU stream, drawn for all samples
// at once (u_T, then z_T, ..., z_2) and moved to that device, so a seed draws the same noise on
// every device, for every batch size and every denoiser. Cost O(T) denoiser calls per batch;
// memory three [count, dim] float tensors.
at::Tensor ddpm_sample(const Denoiser& denoiser, const Schedule& schedule, std::int64_t count, std::int64_t dim,
                       const SamplerOptions& options);

// Deterministic DDIM (eta = 0, docs/theory.md#shared-noise-sampling): u_T ~ N(0, I) from the
// seed, then u_{t-1} = sqrt(abar_{t-1}) x0_hat(u_t, t) + sqrt(1 - abar_{t-1}) eps_hat(u_t, t),
// so the sample is x0_hat at t = 1. Denoisers given one seed start from the same u_T. Same
// shapes, devices and cost as ddpm_sample.
at::Tensor ddim_sample(const Denoiser& denoiser, const Schedule& schedule, std::int64_t count, std::int64_t dim,
                       const SamplerOptions& options);

// ddpm_sample or ddim_sample, as `kind` says.
at::Tensor draw_samples(SamplerKind kind, const Denoiser& denoiser, const Schedule& schedule, std::int64_t count,
                        std::int64_t dim, const SamplerOptions& options);

}  // namespace lindiff
