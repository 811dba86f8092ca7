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

// The candidates of a streamed softmax mean, laid out for its two products: keys [N, D + 1] with
// rows [k_i, ||k_i||^2], so that a query row [a x, -b] scores every candidate in one product
// (a x . k_i - b ||k_i||^2, no separate pass for the norms), and values [N, c + 1] with rows
// [1, v_i], so that one product yields the softmax's normaliser (column 0) beside the weighted
// values. Build them with softmax_candidates: the shapes are checked, the layout cannot be.
struct SoftmaxCandidates {
  at::Tensor keys;
  at::Tensor values;
};

// Candidates scored by `keys` [N, D] that average `values` [N, c] (a patch machine: the training
// patches and their centre pixels); one floating type on one device. Throws
// std::invalid_argument on mismatched shapes, types or devices.
SoftmaxCandidates softmax_candidates(const at::Tensor& keys, const at::Tensor& values);

// Candidates that average themselves (the empirical optimum): both views share one [N, d + 2]
// storage of rows [1, x_i, ||x_i||^2], so the training set is held once.
SoftmaxCandidates softmax_candidates(const at::Tensor& rows);

// The streamed softmax: for queries x [B, D] whose timesteps have sqrt(abar) `sqrt_abar` [B] and
// 1 - abar `one_minus_abar` [B], sum_i v_i softmax_i(logit_i) over the candidates, with
//   logit_i = (sqrt(abar) x . k_i - abar ||k_i||^2 / 2) / (1 - abar),
// one softmax over all N (a running maximum rescales the partial sums block by block), [B, c].
// All inputs of x's floating type and device. O(B N (D + c)) multiply-adds. Throws
// std::invalid_argument on mismatched shapes, types or devices, or 1 - abar <= 0.
at::Tensor softmax_weighted_mean(const at::Tensor& x, const at::Tensor& sqrt_abar, const at::Tensor& one_minus_abar,
                                 const SoftmaxCandidates& candidates, std::int64_t block_rows = kEmpiricalBlockRows);

// The empirical optimum's posterior mean for queries x [B, d] under the training set `rows` [N, d]
// (softmax_weighted_mean over softmax_candidates(rows), which it builds: a denoiser keeps its
// candidates instead).
at::Tensor empirical_posterior_mean(const at::Tensor& x, const at::Tensor& sqrt_abar, const at::Tensor& one_minus_abar,
                                    const at::Tensor& rows, std::int64_t block_rows = kEmpiricalBlockRows);

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
