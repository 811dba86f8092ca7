// Owns the Wiener-locality denoiser of Lukoianov et al. (docs/theory.md#wiener-locality): the
// gain of the training set's Wiener filter on centred data,
//   L_t = abar S0 (abar S0 + (1 - abar) I)^-1   (S0 the 1/N covariance; symmetric, so its row p
//                                                and its column p are the same),
// gives each coordinate p a mask M_p = {q : |L[p,q]| >= threshold max_q' |L[p,q']|} (normalising the
// row by its diagonal, as the paper does, does not change this set); then x0_hat_p is the posterior
// mean of coordinate p under the training set with the distance restricted to M_p:
//   x0_hat_p = sum_i y_ip softmax_i(-sum_{q in M_p} (x_q - sqrt(abar) y_iq)^2 / (2 (1 - abar))).
// A coordinate whose row of L is zero (a constant pixel) keeps only itself. One streamed softmax
// per coordinate over the whole training set. Cost per query 2 N d^2 multiply-adds (the masked
// products); memory O(d^2) per timestep used (masks cached) and O(B block d) for the logits.
#pragma once

#include <cstdint>
#include <memory>

#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>

#include "src/diffusion/denoiser.h"
#include "src/theory/schedule.h"

namespace lindiff {

// L_t from the eigendecomposition S0 = U diag(lambda) U^T: U diag(abar lambda / (abar lambda + 1 - abar)) U^T. O(d^3).
at::Tensor wiener_gain(const at::Tensor& eigenvalues, const at::Tensor& eigenvectors, double abar);

// The 0/1 masks [d, d] (row p = M_p) of a gain [d, d] at `threshold` in [0, 1). O(d^2).
at::Tensor wiener_locality_masks(const at::Tensor& gain, double threshold);

// x0_hat for queries x [B, d] all at one timestep (sqrt(abar), 1 - abar) under `rows` [N, d] with
// masks [d, d]; one floating type and device. Throws std::invalid_argument on mismatched shapes.
at::Tensor masked_posterior_mean(const at::Tensor& x, double sqrt_abar, double one_minus_abar, const at::Tensor& masks,
                                 const at::Tensor& rows, std::int64_t block_rows = 256);

// The denoiser over `training_rows` ([N, d], float or double; moved to `device`) at `threshold`;
// its native prediction is x0. Throws std::invalid_argument on an empty set or a threshold outside [0, 1).
std::shared_ptr<const Denoiser> wiener_local_denoiser(const at::Tensor& training_rows, double threshold,
                                                      const Schedule& schedule, c10::Device device,
                                                      std::int64_t block_rows = 256);

}  // namespace lindiff
