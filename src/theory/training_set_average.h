// Owns averages over random Gaussian training sets (docs/theory.md#training-set-averages): exact Wishart
// expectations for N > d + 2 at c = 0, and deterministic equivalents for any N and c > 0.
#pragma once

#include "src/common/matrix.h"
#include "src/theory/diagonal_model.h"
#include "src/theory/schedule.h"

namespace lindiff {

// The digamma function \psi(x) for x > 0 (recurrence to x >= 12, then the asymptotic
// series); accurate to about 1e-15 relative. O(1).
double digamma(double x);

// E KL(\rho_N || \rho) for \rho_N = N(\mu_0, \Sigma_0) (1/N covariance of N Gaussian samples):
//   1/2 [ d \log(N/2) - S_\psi ],  S_\psi = \sum_{i=1}^{d} \psi((N - i)/2),
// independent of \mu and \Sigma; for N >> d it is d (d + 3) / (4N), i.e. d/(4N) per dimension up to
// O(1/d). Requires N > d + 2 (throws std::invalid_argument). O(d).
double wishart_kl_model_data(Index d, Index n);

// E KL(\rho || \rho_N) = 1/2 [ (N + 1) d / (N - d - 2) - d + S_\psi - d \log(N/2) ]. Requires N > d + 2. O(d).
double wishart_kl_data_model(Index d, Index n);

// Deterministic equivalent of the resolvent of \Sigma_0 (1/N, mean subtracted) for N samples
// of N(\mu, \Sigma) with population eigenvalues \lambda_\nu: with n = N - 1 degrees of freedom,
// \Sigma_0 = ((N-1)/N) S_n where S_n = \Sigma^{1/2} Z Z^T \Sigma^{1/2} / n, and \kappa(z) > z solves
//   z = \kappa (1 - (1/n) \sum_\nu \lambda_\nu / (\lambda_\nu + \kappa)).
// Each evaluation costs O(d) per bisection/Newton step.
class DeterministicEquivalent {
 public:
  // Throws std::invalid_argument for N < 2 or non-positive eigenvalues.
  DeterministicEquivalent(Vector population_eigenvalues, Index n_samples);

  // Every trace of the resolvent R = (\Sigma_0 + z)^{-1} the theory needs, from one solve for \kappa.
  struct Traces {
    double log_det = 0;           // E \log\det(\Sigma_0 + z)
    double resolvent = 0;         // E Tr R  (= d/dz log_det)
    double resolvent_squared = 0; // E Tr R^2  (= -d/dz resolvent)
    double sigma = 0;             // E Tr R \Sigma
    double sigma_squared = 0;     // E Tr R \Sigma R  (= -d/dz sigma)
  };

  // \kappa(z) for the standard form S_n (n = N - 1) at ridge z > 0: Newton's method from the
  // right end of the bracket [z, z + Tr\Sigma/n] (the fixed-point function is convex, so the
  // iterates decrease monotonically to the root). O(d) per iteration.
  double kappa(double z) const;
  // All traces at ridge z > 0 with analytic z-derivatives; with z' = z N/(N-1):
  //   E Tr R\Sigma \approx (N/(N-1)) n (\kappa - z')/z',
  //   E \log\det(\Sigma_0 + z) \approx d \log((N-1)/N) + \sum \log(\lambda + \kappa) + (d - n) \log(z'/\kappa) - n (1 - z'/\kappa).
  // O(d) after the solve.
  Traces traces(double z) const;
  double trace_resolvent_sigma(double z) const { return traces(z).sigma; }
  double log_det(double z) const { return traces(z).log_det; }
  // Dimension d and sample count N.
  Index dim() const { return lambda_.size(); }
  double samples() const { return n_samples_; }

  // E KL(N(\mu_0, \Sigma_0 + c I) || N(\mu, \Sigma)) = 1/2 [ c Tr \Sigma^{-1} + \log\det\Sigma - E\log\det(\Sigma_0 + c) ]  (c > 0).
  double kl_model_data(double c) const;
  // E KL(N(\mu, \Sigma) || N(\mu_0, \Sigma_0 + c I)) = 1/2 [ (1 + 1/N) E Tr[(\Sigma_0 + c)^{-1}\Sigma] - d + E\log\det(\Sigma_0 + c) - \log\det\Sigma ]  (c > 0).
  double kl_data_model(double c) const;

 private:
  double scaled(double z) const { return z * n_samples_ / (n_samples_ - 1.0); }

  Vector lambda_;
  double n_samples_;  // N
  double dof_;        // n = N - 1
};

// Per-timestep test loss of the optimal denoiser (regularisation c, bias mu0) averaged over
// training sets, in noise form
//   d L_t = a^2 [\bar\alpha (1 + 1/N) E Tr(R\Sigma R) + (1-\bar\alpha) E Tr R^2] - 2\sqrt{1-\bar\alpha} a E Tr R + d,
// a = \sqrt{1-\bar\alpha}/\bar\alpha, R = (\Sigma_0 + z_t)^{-1}, z_t = c + (1-\bar\alpha)/\bar\alpha (the 1/N term
// is the error of \mu_0, independent of \Sigma_0); the data loss is (1-\bar\alpha)/\bar\alpha times it. O(T d).
Vector average_optimal_test_loss(const DeterministicEquivalent& equivalent, const Schedule& schedule, double c,
                                 Objective objective);

}  // namespace lindiff
