// Owns Halder's solvable one-step generative model (THEORY.md section 10, arXiv 2411.17807):
// one Ornstein-Uhlenbeck noising step, an ordinary-least-squares map back to the data, the
// Gaussian it generates in closed form, and its distances to the data (KL, squared
// Hellinger, and the kernel memorisation statistic Delta).
#pragma once

#include "src/common/matrix.h"
#include "src/theory/sampling_distribution.h"

namespace lindiff {

// Conventions of the one-step model; the paper leaves intercept and prior open, so they are options.
struct OneStepSpec {
  double time = 2.0;        // T: x_T = e^{-T} x_0 + \sqrt{l (1 - e^{-2T})} z
  double level = 1.0;       // l: the stationary variance of the noising process
  bool intercept = true;    // fit x_0 \approx A x_T + b (true) or x_0 \approx A x_T (false)
};

// The fitted map x_0 \approx A x_T + b and the noising constants.
struct OneStepModel {
  Matrix map;        // A, d x d
  Vector intercept;  // b (zero without intercept)
  double signal = 0; // e^{-T}
  double noise = 0;  // \sqrt{l (1 - e^{-2T})}
  double level = 1;  // l
};

// Fits A (and b) by least squares on x_T = e^{-T} x_0 + noise z, one noise draw per sample
// (rows of `noise`, N x d, standard normal): the minimum-norm solution when N <= d
// (complete orthogonal decomposition). O(N d^2 + d^3). Throws std::invalid_argument on shape mismatch.
OneStepModel fit_one_step(const Matrix& data, const Matrix& noise, const OneStepSpec& spec);

// The generated distribution: x_T drawn from the stationary prior N(0, l I), output A x_T + b,
// i.e. N(b, l A A^T). O(d^3).
Gaussian one_step_distribution(const OneStepModel& model);

// Squared Hellinger distance H^2 = 1 - \det(S_1)^{1/4} \det(S_2)^{1/4} \det(\bar S)^{-1/2}
// \exp(-\delta^T \bar S^{-1} \delta / 8), \bar S = (S_1 + S_2)/2, in log-determinants; 1 when
// either covariance is singular. O(d^3).
double squared_hellinger(const Gaussian& p, const Gaussian& q);

// Squared maximum mean discrepancy between a Gaussian P = N(m, S) and the empirical
// distribution of `samples` (rows) under k(x, y) = \exp(-||x - y||^2 / (2 h^2)), in closed form:
//   E_{P,P} k = \det(I + 2S/h^2)^{-1/2},
//   E_P k(., y) = \det(I + S/h^2)^{-1/2} \exp(-(y - m)^T (S + h^2 I)^{-1} (y - m) / 2).
// O(d^3 + M d^2 + M^2 d) time and O(d^2 + 512 M) memory for M samples.
double gaussian_mmd_squared(const Gaussian& p, const Matrix& samples, double bandwidth);

// Delta = MMD^2(generated, training set) - MMD^2(generated, fresh population samples of the
// same size): negative when the model sits closer to its training set than to new data
// (memorisation), near 0 when it generalises.
double memorisation_delta(const Gaussian& generated, const Matrix& training, const Matrix& fresh, double bandwidth);

}  // namespace lindiff
