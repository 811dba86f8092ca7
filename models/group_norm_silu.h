// Owns the U-Net's normalise-then-activate step as one fused CPU kernel:
//   y = silu(z),  z = gamma_c (x - mu_bg) r_bg + beta_c,  silu(z) = z / (1 + e^-z),
// mu_bg and r_bg = 1 / sqrt(var_bg + eps) the mean and inverse deviation of the C/G channels of
// group g of image b (biased variance, as GroupNorm). Backward, with n = (C/G) H W,
// dz = dy s (1 + z (1 - s)), s = 1 / (1 + e^-z), xhat = (x - mu) r:
//   dgamma_c = sum_{b,hw} dz xhat,  dbeta_c = sum_{b,hw} dz,
//   dx = r (gamma_c dz - (sum_g gamma dz + xhat sum_g gamma dz xhat) / n).
// Cost O(B C H W): the forward reads x three times (mean, variance, output) and writes y once;
// the backward reads x and dy twice and writes dx once. Why fused: GroupNorm then SiLU as two
// LibTorch operators make five passes forward and six backward over activations as large as
// the convolutions' inputs, and in bfloat16 two more casts; here the input may be float or
// bfloat16 and the output is written in the precision the next convolution wants. Each (image,
// group) is one task's work, so the result does not depend on the thread count.
#pragma once

#include <cstdint>

#include <ATen/core/Tensor.h>
#include <c10/core/ScalarType.h>

namespace lindiff {

// silu(group_norm(x, groups, gamma, beta, eps)) for x [B, C, H, W] (float or bfloat16, CPU),
// gamma and beta [C] float; returns [B, C, H, W] of type `out_type` (float or bfloat16), with
// gradients for x, gamma and beta. A channels-last x is processed per image in that layout, and
// y and the gradient of x keep it. Throws std::invalid_argument naming the first bad argument.
at::Tensor group_norm_silu(const at::Tensor& x, const at::Tensor& gamma, const at::Tensor& beta, std::int64_t groups,
                           double eps, c10::ScalarType out_type);

}  // namespace lindiff
