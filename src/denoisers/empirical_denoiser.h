// Owns the empirical optimum (docs/theory.md#empirical-optimum): the exact posterior mean of
// x0 when the data distribution is the training set itself,
//   x0_hat(x_t) = sum_i x_i softmax_i(-||x_t - sqrt(abar_t) x_i||^2 / (2 (1 - abar_t))),
// the denoiser that minimises the training loss and can only reproduce training images.
// ||x_t||^2 is common to every i and drops out of the softmax, so the logits are one matrix
// product, (sqrt(abar) x_t . x_i - abar ||x_i||^2 / 2) / (1 - abar), and the softmax is streamed
// over blocks of training rows in log-sum-exp (a running maximum rescales the partial sums): one
// softmax over the whole training set, never an average of per-block softmaxes. Cost 2 B N d
// multiply-adds for B queries (logits and weighted sum); memory O(B (block + d)) beside the set.
#pragma once

#include <cstdint>
#include <memory>

#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>

#include "src/diffusion/denoiser.h"
#include "src/theory/schedule.h"

namespace lindiff {

// Training rows per block of the streamed softmax: the [B, block] logits stay in cache-sized
// pieces while the products stay large enough for BLAS.
constexpr std::int64_t kEmpiricalBlockRows = 2048;

// The posterior mean for queries x [B, d] whose timesteps have sqrt(abar) `sqrt_abar` [B] and
// 1 - abar `one_minus_abar` [B], under the training set `rows` [N, d] with squared norms
// `row_norms` [N]; all of one floating type on one device. Throws std::invalid_argument on
// mismatched shapes, types or devices, or 1 - abar <= 0.
at::Tensor empirical_posterior_mean(const at::Tensor& x, const at::Tensor& sqrt_abar, const at::Tensor& one_minus_abar,
                                    const at::Tensor& rows, const at::Tensor& row_norms,
                                    std::int64_t block_rows = kEmpiricalBlockRows);

// The same streamed softmax with separate values: sum_i values_i softmax_i(logit_i), the logits
// computed from the candidates `rows` [N, d] as above and `values` [N, c] averaged (a patch
// machine's candidates are patches, its values their centre pixels). O(B N (d + c)).
at::Tensor softmax_weighted_mean(const at::Tensor& x, const at::Tensor& sqrt_abar, const at::Tensor& one_minus_abar,
                                 const at::Tensor& rows, const at::Tensor& row_norms, const at::Tensor& values,
                                 std::int64_t block_rows = kEmpiricalBlockRows);

// sqrt(abar_t) and 1 - abar_t for t = 1..T of `schedule` (index t - 1), each [T] of `type` on `device`.
struct PosteriorCoefficients {
  at::Tensor sqrt_abar;
  at::Tensor one_minus_abar;
};
PosteriorCoefficients posterior_coefficients(const Schedule& schedule, c10::Device device, at::ScalarType type);

// The empirical optimum of `training_rows` ([N, d], float or double; moved to `device`) on the
// diffusion of `schedule`; its native prediction is x0, computed in the rows' type.
std::shared_ptr<const Denoiser> empirical_denoiser(const at::Tensor& training_rows, const Schedule& schedule,
                                                   c10::Device device, std::int64_t block_rows = kEmpiricalBlockRows);

// What one call for `queries` x_t against `rows` training rows of dimension `dim` costs: the
// bytes it allocates beyond its inputs (element size `element_bytes`) and its multiply-adds.
struct EmpiricalCost {
  double bytes = 0;
  double multiply_adds = 0;
};
EmpiricalCost empirical_cost(std::int64_t queries, std::int64_t rows, std::int64_t dim, std::int64_t element_bytes,
                             std::int64_t block_rows = kEmpiricalBlockRows);

}  // namespace lindiff
