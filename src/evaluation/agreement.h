// Owns how the outputs of two denoisers on shared inputs are compared (docs/theory.md#comparing-denoisers):
// a (a network's outputs) against r (a reference's), over every query and pixel together, n values:
//   MSE            = (1/n) sum (a - r)^2
//   relative MSE   = MSE / ((1/n) sum (r - mean r)^2)
//   r^2            = 1 - sum (a - r)^2 / sum (r - mean r)^2     (the coefficient of determination of r
//                    by a; negative when a is worse than r's mean)
//   Pearson        = sum (a - mean a)(r - mean r) / sqrt(sum (a - mean a)^2 sum (r - mean r)^2)
//                    (what Kamb & Ganguli's evaluation code reports under the name r^2)
//   studio r^2     = 1 - sum (a - r)^2 / (n Var(a))              (the Analytic Diffusion Studio's r^2,
//                    Var with 1/n)
// Computed in double whatever the inputs' type; O(n).
#pragma once

#include <cstdint>

#include <ATen/core/Tensor.h>

namespace lindiff {

// The agreement of a with r; NaN where a denominator is zero up to rounding (a constant
// reference or output).
struct Agreement {
  double mse = 0;
  double relative_mse = 0;
  double r_squared = 0;
  double pearson = 0;
  double studio_r_squared = 0;
  std::int64_t count = 0;
};

// a and r of one shape (any layout, device and floating type); throws std::invalid_argument
// when the shapes differ or they are empty.
Agreement agreement(const at::Tensor& a, const at::Tensor& r);

}  // namespace lindiff
