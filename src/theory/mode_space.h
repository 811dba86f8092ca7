// Owns the eigenbasis of Sigma0 as "mode groups": each explicit eigenvector is a group of
// multiplicity 1 and, when the basis is incomplete (Gram route, N < d), its orthogonal
// complement (eigenvalue 0) is one more group of multiplicity d - r. Models diagonal in
// this basis are evaluated in O(T G) instead of O(T d^3).
#pragma once

#include "src/common/matrix.h"
#include "src/theory/eigen_system.h"

namespace lindiff {

// Mode groups of an eigensystem of Sigma0.
class ModeSpace {
 public:
  // Groups of `eigen` (eigenvalues descending, vectors d x r with r <= d).
  explicit ModeSpace(const EigenSystem& eigen);

  Index dim() const { return basis_.rows(); }
  // Number of groups G = r (+ 1 with a complement).
  Index groups() const { return eigenvalues_.size(); }
  // Sigma0 eigenvalue of each group (0 for the complement and for eigenvalues at or below
  // kEigenvalueFloor times the largest).
  const Vector& eigenvalues() const { return eigenvalues_; }
  // Number of directions in each group.
  const Vector& multiplicity() const { return multiplicity_; }
  // The explicit eigenvectors (d x r).
  const Matrix& basis() const { return basis_; }
  bool has_complement() const { return has_complement_; }

  // Per group ||P_g x||^2. O(d r).
  Vector energy(const Vector& x) const;
  // Per group Tr(P_g S) of a symmetric d x d matrix. O(d^2 r).
  Vector traces(const Matrix& symmetric) const;
  // The vector \sum_g scale_g P_g x. O(d r).
  Vector apply(const Vector& scale, const Vector& x) const;

 private:
  Matrix basis_;
  Vector eigenvalues_;
  Vector multiplicity_;
  bool has_complement_ = false;
};

// A distribution of x0 seen through mode groups relative to a bias b:
// variance_g = Tr(P_g S), offset_g = ||P_g (m - b)||^2.
struct ModeMoments {
  Vector variance;
  Vector offset;
};

// Moments of N(m, S)-like data (any distribution with these moments) relative to bias b. O(d^2 r).
ModeMoments project_moments(const ModeSpace& modes, const Vector& mean, const Matrix& covariance, const Vector& bias);

// The training set's own moments relative to b = mu0: variance_g = n_g \lambda_g, offset 0. O(G).
ModeMoments training_moments(const ModeSpace& modes);

}  // namespace lindiff
