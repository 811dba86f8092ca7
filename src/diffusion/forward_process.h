// Owns the forward noising process and the two training objectives (docs/theory.md#forward-process-and-objectives)
// on LibTorch tensors.
#pragma once

#include <string>

#include <ATen/core/Tensor.h>

#include "src/theory/objective.h"
#include "src/theory/schedule.h"

namespace lindiff {

// sqrt(abar_t) and sqrt(1 - abar_t) for t = 1..T as float tensors [T].
struct ScheduleTensors {
  at::Tensor sqrt_abar;
  at::Tensor sqrt_one_minus_abar;
};

// The schedule's coefficients as tensors (computed in double, stored as float).
ScheduleTensors schedule_tensors(const Schedule& schedule);

// x_t = sqrt(abar_t) x0 + sqrt(1 - abar_t) eps, with t [B] (int64, 1..T).
at::Tensor noised(const ScheduleTensors& schedule, const at::Tensor& x0, const at::Tensor& eps, const at::Tensor& t);

// Mean over the batch of ||target - prediction||^2 / d, with target eps (noise) or x0 (data).
at::Tensor denoising_loss(const at::Tensor& prediction, const at::Tensor& x0, const at::Tensor& eps, Objective objective);

}  // namespace lindiff
