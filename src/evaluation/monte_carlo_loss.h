// Owns Monte Carlo estimates of any denoiser's loss (docs/theory.md#monte-carlo-loss) on fixed
// draws: the same rows, timesteps and noise at every call, so estimates at successive
// checkpoints, or of two denoisers, differ only through the denoisers (common random numbers).
#pragma once

#include <cstdint>

#include <ATen/core/Tensor.h>

#include "src/diffusion/denoiser.h"
#include "src/theory/objective.h"
#include "src/theory/schedule.h"

namespace lindiff {

// A loss estimate and its standard error over draws.
struct LossEstimate {
  double mean = 0;
  double standard_error = 0;
  std::int64_t draws = 0;
};

// The mean and standard error of per-draw values [count] (double), e.g. per_draw_losses or the
// difference of two models' per-draw losses on the same draws. O(count).
LossEstimate summarize_draws(const at::Tensor& per_draw);

// Fixed (row, t, noise) draws for one data split.
class LossProbe {
 public:
  // `count` draws: rows cycle through a seeded permutation of `data` ([N, d]), t uniform on 1..T.
  LossProbe(const at::Tensor& data, const Schedule& schedule, std::int64_t count, std::uint64_t seed);

  // The mean over draws of ||target - prediction||^2 / d of `denoiser`'s prediction of `objective`
  // (noise or data), evaluated in batches of `batch` without gradients. O(count) denoiser calls.
  LossEstimate estimate(const Denoiser& denoiser, Objective objective, std::int64_t batch = 1024) const;

  // ||target - prediction||^2 / d of every draw, [count] double (e.g. a reference denoiser's, kept).
  at::Tensor per_draw_losses(const Denoiser& denoiser, Objective objective, std::int64_t batch = 1024) const;

 private:
  at::Tensor x0_, eps_, xt_, t_;
};

}  // namespace lindiff
