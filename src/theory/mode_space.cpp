#include "src/theory/mode_space.h"

#include <stdexcept>

#include "src/common/shape_check.h"

namespace lindiff {

ModeSpace::ModeSpace(const EigenSystem& eigen) : basis_(eigen.vectors) {
  const Index d = eigen.dim();
  const Index r = eigen.explicit_count();
  if (r > 0) check_shape(basis_, d, r, "ModeSpace", "the eigenvectors");
  if (r == 0) basis_ = Matrix(d, 0);
  has_complement_ = r < d;
  eigenvalues_ = Vector::Zero(r + (has_complement_ ? 1 : 0));
  multiplicity_ = Vector::Ones(eigenvalues_.size());
  eigenvalues_.head(r) = eigen.values.head(r);
  // Round-off of exact zeros (and tiny negative values) becomes exactly 0, so that unseen
  // directions are unseen for the optimum too (zero sampled variance at c = 0).
  const double floor = r > 0 ? kEigenvalueFloor * std::max(eigen.values(0), 0.0) : 0.0;
  for (Index i = 0; i < r; ++i) {
    if (eigenvalues_(i) <= floor) eigenvalues_(i) = 0.0;
  }
  if (has_complement_) multiplicity_(r) = static_cast<double>(d - r);
}

Vector ModeSpace::energy(const Vector& x) const {
  Vector out(groups());
  const Vector coordinates = basis_.transpose() * x;
  out.head(basis_.cols()) = coordinates.array().square();
  if (has_complement_) out(basis_.cols()) = std::max(0.0, x.squaredNorm() - coordinates.squaredNorm());
  return out;
}

Vector ModeSpace::traces(const Matrix& symmetric) const {
  Vector out(groups());
  const Matrix projected = symmetric * basis_;  // d x r
  out.head(basis_.cols()) = (basis_.array() * projected.array()).colwise().sum().transpose();
  if (has_complement_) out(basis_.cols()) = symmetric.trace() - out.head(basis_.cols()).sum();
  return out;
}

Vector ModeSpace::apply(const Vector& scale, const Vector& x) const {
  const Index r = basis_.cols();
  const Vector coordinates = basis_.transpose() * x;
  if (!has_complement_) return basis_ * (scale.head(r).array() * coordinates.array()).matrix();
  // Complement part: scale_c (x - U U^T x).
  const double complement = scale(r);
  return basis_ * ((scale.head(r).array() - complement) * coordinates.array()).matrix() + complement * x;
}

ModeMoments project_moments(const ModeSpace& modes, const Vector& mean, const Matrix& covariance, const Vector& bias) {
  check_shape(mean, modes.dim(), 1, "project_moments", "the mean");
  check_shape(covariance, modes.dim(), modes.dim(), "project_moments", "the covariance");
  check_shape(bias, modes.dim(), 1, "project_moments", "the bias");
  return ModeMoments{modes.traces(covariance), modes.energy(mean - bias)};
}

ModeMoments training_moments(const ModeSpace& modes) {
  return ModeMoments{modes.eigenvalues().cwiseProduct(modes.multiplicity()), Vector::Zero(modes.groups())};
}

}  // namespace lindiff
