// Owns the comparison of a denoiser's local linearisation with the Wiener filter
// (docs/theory.md#linearisation): the Jacobian row J_p = d x0_hat_p / d x_t of a network at noisy
// data points, against row p of the training set's Wiener filter
//   W_t = sqrt(abar_t) S0 (abar_t S0 + (1 - abar_t) I)^-1,
// by their cosine and by the radius around p's pixel that holds 90% of a row's squared mass.
#pragma once

#include <cstdint>

#include <ATen/core/Tensor.h>

#include "datasets/image_shape.h"
#include "src/diffusion/denoiser.h"

namespace lindiff {

// Row p of the Jacobian of `denoiser`'s x0 prediction at each input x [B, d] (timesteps t [B]),
// by reverse-mode autograd through the denoiser: [B, d] in x's type. Denoisers computed without
// a graph (the analytic ones) have none: std::invalid_argument. O(one forward and backward pass).
at::Tensor jacobian_rows(const Denoiser& denoiser, const at::Tensor& x, const at::Tensor& t, std::int64_t p);

// The smallest Euclidean pixel distance r from coordinate p's pixel such that the coordinates of
// pixels within r (all channels) hold at least `fraction` of the squared mass of `row` [d]
// (channel planes of `shape`); 0 for a row without mass. O(d log d).
double mass_radius(const at::Tensor& row, const ImageShape& shape, std::int64_t p, double fraction = 0.9);

// The cosine of two rows [d]; 0 when either is zero.
double row_cosine(const at::Tensor& a, const at::Tensor& b);

}  // namespace lindiff
