// Owns Monte Carlo estimates of a denoiser's loss (any model, docs/theory.md#forward-process-and-objectives) on fixed
// draws: the same rows, timesteps and noise at every call, so estimates at successive
// checkpoints differ only through the model (common random numbers).
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include <ATen/core/Tensor.h>

#include "src/theory/objective.h"
#include "src/theory/schedule.h"

namespace lindiff {

// A denoiser's prediction for inputs x [B, d] at timesteps t [B] (int64, 1..T).
using Predict = std::function<at::Tensor(const at::Tensor& x, const at::Tensor& t)>;

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

  // The mean over draws of ||target - prediction||^2 / d (target: noise or data), evaluated
  // in batches of `batch` without gradients. O(count) model evaluations.
  LossEstimate estimate(const Predict& predict, Objective objective, std::int64_t batch = 1024) const;

  // ||target - prediction||^2 / d of every draw, [count] double (e.g. a reference model's, kept).
  at::Tensor per_draw_losses(const Predict& predict, Objective objective, std::int64_t batch = 1024) const;

 private:
  at::Tensor x0_, eps_, xt_, t_;
};

}  // namespace lindiff
