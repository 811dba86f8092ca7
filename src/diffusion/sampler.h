// Owns DDPM ancestral sampling (docs/theory.md#ddpm-sampling) for noise- and data-predicting models:
// u_T ~ N(0, I); u_{t-1} = (u_t - beta_t / sqrt(1 - abar_t) eps_hat) / sqrt(alpha_t) + sigma_t z,
// sigma_t^2 = beta_t, no noise at t = 1 unless final_noise; no clipping anywhere. A data
// prediction enters through eps_hat = (u_t - sqrt(abar_t) x0_hat) / sqrt(1 - abar_t).
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>

#include "src/theory/objective.h"
#include "src/theory/schedule.h"

namespace lindiff {

// How to sample.
struct SamplerOptions {
  Objective objective = Objective::kNoise;  // what `predict` returns
  bool final_noise = false;
  std::int64_t batch_size = 4096;   // samples generated at once
  std::uint64_t seed = 0;
  c10::Device device = c10::kCPU;   // where `predict` runs (training.device)
};

// Draws `count` samples of dimension `dim` ([count, dim] float, on the CPU). `predict(x, t)` gets
// x [B, dim] and t [B] (int64, all equal) on `options.device`. The noise comes from one seeded
// CPU stream and is moved to the device, so a seed draws the same noise on every device.
// Cost O(T) model evaluations per batch.
at::Tensor ddpm_sample(const std::function<at::Tensor(const at::Tensor& x, const at::Tensor& t)>& predict,
                       const Schedule& schedule, std::int64_t count, std::int64_t dim, const SamplerOptions& options);

}  // namespace lindiff
