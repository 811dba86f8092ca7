// Owns KL divergences between Gaussians (docs/theory.md#gaussian-kl), computed in eigenbases
// (never with explicit inverses); a singular covariance gives +inf, never NaN.
#pragma once

#include "src/common/matrix.h"
#include "src/theory/eigen_system.h"
#include "src/theory/mode_space.h"
#include "src/theory/sampling_distribution.h"

namespace lindiff {

// Both directions of the KL divergence between a model and the data, in nats (total; divide by d for per-dimension).
struct KlPair {
  double model_data = 0;  // KL(model || data)
  double data_model = 0;  // KL(data || model)
};

// KL(p || q) = 1/2 [Tr(S_q^{-1} S_p) - d + \log\det S_q - \log\det S_p + (m_p - m_q)^T S_q^{-1} (m_p - m_q)],
// through the eigendecompositions of both covariances. A covariance with an eigenvalue at or
// below d \epsilon \lambda_{max} is singular and gives +inf. Round-off below 0 is reported as 0. O(d^3).
double gaussian_kl(const Gaussian& p, const Gaussian& q);

// Both directions for a dense model and data Gaussian. O(d^3).
KlPair kl_pair(const Gaussian& model, const Gaussian& data);

// The data Gaussian N(mu, Sigma) seen from the mode groups of a training set, precomputed once
// (one d x d x r product for the overlap of the two eigenbases) so that the KL of any diagonal model costs O(d^2): per group Tr(P_g Sigma),
// Tr(P_g Sigma^{-1}), and log det Sigma.
class PopulationView {
 public:
  // `eigen` is the complete eigensystem (d explicit vectors) of the data covariance Sigma.
  // `modes` and `eigen` must outlive the view.
  PopulationView(const ModeSpace& modes, const Vector& mean, const EigenSystem& eigen);
  // Temporaries would dangle: the view keeps pointers to both.
  PopulationView(ModeSpace&& modes, const Vector& mean, const EigenSystem& eigen) = delete;
  PopulationView(const ModeSpace& modes, const Vector& mean, EigenSystem&& eigen) = delete;

  // Both KLs between the sampled distribution of a diagonal model with bias b and the data.
  KlPair kl(const DiagonalSampling& sampling, const Vector& bias) const;

  // The data's moments in the mode groups relative to bias b (as project_moments, reusing
  // the precomputed traces). O(d r).
  ModeMoments moments(const Vector& bias) const;

  // True when Sigma has an eigenvalue at or below d \epsilon \lambda_{max}.
  bool singular() const { return singular_; }

 private:
  const ModeSpace* modes_;
  Vector mean_;
  const EigenSystem* population_;
  Vector variance_;   // Tr(P_g Sigma)
  Vector precision_;  // Tr(P_g Sigma^{-1})
  double log_det_ = 0;
  bool singular_ = false;
};

}  // namespace lindiff
