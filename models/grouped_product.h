// Owns the per-row product of the linear denoiser on the CPU: rows sorted by timestep, each
// group multiplied by its own weight, as one autograd function over all groups.
//   out_i = W_g r_i            for the rows i of group g
//   dL/dW_g = sum_i dL/dout_i r_i^T,   dL/dr_i = W_g^T dL/dout_i
// Cost O(B d^2) flops and one pass over each used W_g per product. Why not a loop of torch::mm
// per group: at ~2.5 rows per timestep BLAS packs the whole W_g for a handful of rows, and each
// of the ~2G autograd nodes costs dispatch; why not one bmm over padded groups: batched small
// products are slower still. Groups are at::parallel_for tasks of at least ~10^6 flops, so that a
// small product stays on one thread; small groups use coefficient-wise products that stream W_g
// once from memory, large ones Eigen's GEMM.
#pragma once

#include <cstdint>
#include <vector>

#include <ATen/core/Tensor.h>

namespace lindiff {

// Rows [offsets[g], offsets[g + 1]) of `rows` ([B, d] float CPU, sorted by group) times
// weights[g] ([d, d]); returns [B, d]. offsets has weights.size() + 1 entries, from 0 to B.
at::Tensor grouped_product(const at::Tensor& rows, const std::vector<std::int64_t>& offsets, at::TensorList weights);

}  // namespace lindiff
