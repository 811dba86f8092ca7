// Owns Halder's solvable one-step generative model (docs/theory.md#halder-one-step-model, arXiv 2411.17807):
// one Ornstein-Uhlenbeck noising step, an ordinary-least-squares map back to the data, the
// Gaussian it generates in closed form, and its distances to the data (KL, squared
// Hellinger, and the kernel memorisation statistic Delta).
#pragma once

#include <string>

#include "src/common/matrix.h"
#include "src/theory/sampling_distribution.h"

namespace lindiff {

// Where generation starts: x_T from the stationary prior N(0, l I) (the model's own noise
// law) or from the forward marginal fitted to the training set, N(e^{-T} mean(x0), s^2 I) with
// s^2 = e^{-2T} v + l (1 - e^{-2T}), v the mean over coordinates of the unbiased variance
// (Halder's LDM.py).
enum class OneStepPrior { kStationary, kFitted };

// The generated covariance: the push-forward s^2 A A^T of x_T through x_T -> A x_T + b (the
// distribution the model samples), or s^2 A^T A (LDM.py's code, a transposition).
enum class OneStepCovariance { kPushforward, kTransposed };

// Conventions of the one-step model; the paper leaves intercept and prior open, so they are options.
struct OneStepSpec {
  double time = 2.0;        // T: x_T = e^{-T} x_0 + \sqrt{l (1 - e^{-2T})} z
  double level = 1.0;       // l: the stationary variance of the noising process
  bool intercept = true;    // fit x_0 \approx A x_T + b (true) or x_0 \approx A x_T (false)
  OneStepPrior prior = OneStepPrior::kStationary;
  OneStepCovariance covariance = OneStepCovariance::kPushforward;
};

// The fitted map x_0 \approx A x_T + b, the noising constants and the law x_T is drawn from.
struct OneStepModel {
  Matrix map;        // A, d x d
  Vector intercept;  // b (zero without intercept)
  double signal = 0; // e^{-T}
  double noise = 0;  // \sqrt{l (1 - e^{-2T})}
  double level = 1;  // l
  Vector prior_mean;          // mean of x_T when generating (0 for the stationary prior)
  double prior_variance = 1;  // variance of each coordinate of x_T when generating
  OneStepCovariance covariance = OneStepCovariance::kPushforward;
};

// Parses "stationary" | "fitted"; throws std::invalid_argument naming the valid choices.
OneStepPrior parse_one_step_prior(const std::string& name);
// Parses "pushforward" | "transposed"; throws std::invalid_argument naming the valid choices.
OneStepCovariance parse_one_step_covariance(const std::string& name);

// Fits A (and b) by least squares on x_T = e^{-T} x_0 + noise z, one noise draw per sample
// (rows of `noise`, N x d, standard normal): the minimum-norm solution when N <= d
// (complete orthogonal decomposition), and the generating law of `spec.prior` (the fitted one
// needs N >= 2). O(N d^2 + d^3). Throws std::invalid_argument on shape mismatch.
OneStepModel fit_one_step(const Matrix& data, const Matrix& noise, const OneStepSpec& spec);

// The generated distribution: x_T ~ N(m, s^2 I) (the model's prior), output A x_T + b, i.e.
// N(A m + b, s^2 A A^T), or with the transposed covariance s^2 A^T A. O(d^3).
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

// The kernel-density L2 statistic of LDM.py (docs/theory.md#halder-one-step-model) for one set S of K rows: q_S is the
// Gaussian kernel density estimate (1/K) sum_j N(x; s_j, eps^2 I) with eps = sigma K^{-1/d},
// and e_S = \int q_S^2 - 2 \int p q_S (= ||p - q_S||^2 - \int p^2) for the generated p = N(m, S):
//   \int q_S^2 = (1/K^2) sum_{i,j} N(s_i - s_j; 0, 2 eps^2 I) = diagonal + off-diagonal,
//   \int p q_S = (1/K) sum_j N(s_j; m, S + eps^2 I).
// At d = 100 the terms reach 1e-77 and the diagonal (4 pi sigma^2)^{-d/2}, the same for every
// set, exceeds the rest by a factor of ~1e22: the parts are kept apart, as logarithms.
struct KdeL2Parts {
  double log_diagonal = 0;      // log of the i = j part of \int q^2: -(d/2) log(4 pi sigma^2), whatever K
  double log_off_diagonal = 0;  // log of the i != j part (-inf for K = 1)
  double log_cross = 0;         // log \int p q
};

// The parts of e_S for the rows of `set` and kernel scale sigma (eps = sigma K^{-1/d}).
// O(d^3 + K d^2 + K^2 d) time (the K^2 / 2 pairs in 512-row blocks), O(d^2 + d K + 512^2) memory.
KdeL2Parts kde_l2_parts(const Gaussian& p, const Matrix& set, double sigma);

// A difference of tiny terms: its sign, and its value (which may underflow to 0 though the
// sign is known).
struct SignedDelta {
  double value = 0;
  int sign = 0;  // -1, 0, +1
};

// Delta = e_train - e_fresh (negative: the generated law sits closer to the training set's
// density than to the population's; LDM.py reports P(Delta > 0)). Equal diagonals cancel
// exactly; the rest is summed after factoring out the largest term. O(1).
SignedDelta kde_l2_delta(const KdeL2Parts& training, const KdeL2Parts& fresh);

}  // namespace lindiff
