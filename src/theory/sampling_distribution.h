// Owns the exact distribution sampled by DDPM ancestral sampling with any per-timestep
// linear denoiser (docs/theory.md#ddpm-sampling and #exact-sampling-distribution).
#pragma once

#include "src/common/matrix.h"
#include "src/theory/diagonal_model.h"
#include "src/theory/expected_loss.h"
#include "src/theory/mode_space.h"
#include "src/theory/schedule.h"

namespace lindiff {

// A Gaussian N(mean, covariance).
struct Gaussian {
  Vector mean;
  Matrix covariance;
};

// The sampled distribution of a diagonal model, per mode group: every direction of group g
// has variance `variance_g`, and the mean is \sum_g gain_g P_g b.
struct DiagonalSampling {
  Vector variance;
  Vector mean_gain;
};

// Scalar recursions per group, from P_T = 1, gain_T = 0 down to t = 1:
//   A_t = (1 - k_t w_t) / \sqrt{\alpha_t},  P_{t-1} = A_t^2 P_t + \sigma_t^2,
//   gain_{t-1} = A_t gain_t + (1 - k_t w_t) \sqrt{\bar\alpha_{t-1}}  (= k_t \sqrt{\bar\alpha_t} w_t / \sqrt{\alpha_t}),
// \sigma_t^2 = \beta_t except \sigma_1 = 0 unless final_noise. O(T G) after one eigendecomposition.
DiagonalSampling sampling_distribution(const Schedule& schedule, const DiagonalModel& model, bool final_noise);

// One step t of the recursion above, updating `sampling` in place from the contraction row
// 1 - k_t w_t of every group. O(G).
void advance_sampling(const Schedule& schedule, int t, const Eigen::ArrayXd& contraction, bool final_noise,
                      DiagonalSampling& sampling);

// The full Gaussian of a diagonal model with bias b in d dimensions. O(d^2 r).
Gaussian to_gaussian(const ModeSpace& modes, const DiagonalSampling& sampling, const Vector& bias);

// Dense recursion for arbitrary weights (noise form W_t, or data form V_t converted to
// W_t = (I - \sqrt{\bar\alpha_t} V_t) / \sqrt{1 - \bar\alpha_t}) and biases b_t:
//   A_t = (I - k_t W_t)/\sqrt{\alpha_t}, a_t = k_t \sqrt{\bar\alpha_t} W_t b_t / \sqrt{\alpha_t},
//   m_{t-1} = A_t m_t + a_t, P_{t-1} = A_t P_t A_t^T + \sigma_t^2 I, from m_T = 0, P_T = I.
// O(T d^3).
Gaussian sampling_distribution_dense(const Schedule& schedule, Objective objective, const WeightSource& weights,
                                     Index dim, bool final_noise);

}  // namespace lindiff
