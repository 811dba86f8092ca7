#include "src/theory/gaussian_kl.h"

#include <cmath>
#include <limits>
#include <stdexcept>

#include "src/common/shape_check.h"

namespace lindiff {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

bool is_singular(const Vector& eigenvalues) {
  const double max = eigenvalues.cwiseAbs().maxCoeff();
  const double tolerance = static_cast<double>(eigenvalues.size()) * std::numeric_limits<double>::epsilon() * max;
  return !(eigenvalues.minCoeff() > tolerance);
}

double half_nonnegative(double twice_kl) { return std::max(0.0, 0.5 * twice_kl); }

}  // namespace

double gaussian_kl(const Gaussian& p, const Gaussian& q) {
  const Index d = p.mean.size();
  check_same_shape(p.mean, q.mean, "gaussian_kl", "the first mean", "the second mean");
  check_shape(p.covariance, d, d, "gaussian_kl", "the first covariance");
  check_shape(q.covariance, d, d, "gaussian_kl", "the second covariance");
  const EigenSystem eq = symmetric_eigen(q.covariance, default_eigen_solver());
  const EigenSystem ep = symmetric_eigen(p.covariance, default_eigen_solver());
  if (is_singular(eq.values) || is_singular(ep.values)) return kInf;
  const Vector inverse = eq.values.cwiseInverse();
  const Vector p_in_q = (eq.vectors.transpose() * p.covariance * eq.vectors).diagonal();
  const Vector delta = eq.vectors.transpose() * (p.mean - q.mean);
  const double trace = p_in_q.dot(inverse);
  const double quadratic = delta.array().square().matrix().dot(inverse);
  const double log_det_q = eq.values.array().log().sum(), log_det_p = ep.values.array().log().sum();
  return half_nonnegative(trace - static_cast<double>(d) + log_det_q - log_det_p + quadratic);
}

KlPair kl_pair(const Gaussian& model, const Gaussian& data) {
  return KlPair{gaussian_kl(model, data), gaussian_kl(data, model)};
}

PopulationView::PopulationView(const ModeSpace& modes, const Vector& mean, const EigenSystem& eigen)
    : modes_(&modes), mean_(mean), population_(&eigen) {
  const Vector& values = eigen.values;
  check_shape(eigen.vectors, modes.dim(), modes.dim(), "PopulationView",
              "the population's eigenvectors (the complete eigensystem of Sigma)");
  check_shape(mean, modes.dim(), 1, "PopulationView", "the population mean");
  singular_ = is_singular(values);
  // One overlap M = V^T U gives both Tr(P_g Sigma) = sum_j M_jg^2 sigma_j and Tr(P_g Sigma^{-1}).
  Matrix overlap_squared = eigen.vectors.transpose() * modes.basis();  // d x r
  overlap_squared = overlap_squared.array().square().matrix();
  const Index r = modes.basis().cols();
  variance_.resize(modes.groups());
  variance_.head(r) = overlap_squared.transpose() * values;
  if (modes.has_complement()) variance_(r) = values.sum() - variance_.head(r).sum();
  precision_ = Vector::Constant(modes.groups(), kInf);
  log_det_ = -kInf;
  if (singular_) return;
  const Vector inverse = values.cwiseInverse();
  precision_.head(r) = overlap_squared.transpose() * inverse;
  if (modes.has_complement()) precision_(r) = inverse.sum() - precision_.head(r).sum();
  log_det_ = values.array().log().sum();
}

ModeMoments PopulationView::moments(const Vector& bias) const {
  return ModeMoments{variance_, modes_->energy(mean_ - bias)};
}

KlPair PopulationView::kl(const DiagonalSampling& sampling, const Vector& bias) const {
  const Vector& n = modes_->multiplicity();
  const Vector& p = sampling.variance;
  if ((p.array() <= 0).any()) return KlPair{kInf, kInf};  // the model is singular
  const double d = static_cast<double>(modes_->dim());
  const Vector offset = modes_->apply(sampling.mean_gain, bias) - mean_;
  const double log_det_model = (n.array() * p.array().log()).sum();
  KlPair out{kInf, kInf};
  if (singular_) return out;
  const Vector in_data_basis = population_->vectors.transpose() * offset;
  const double quadratic_data = in_data_basis.array().square().matrix().dot(population_->values.cwiseInverse());
  out.model_data = half_nonnegative(p.dot(precision_) - d + log_det_ - log_det_model + quadratic_data);
  const double quadratic_model = (modes_->energy(offset).array() / p.array()).sum();
  out.data_model = half_nonnegative((variance_.array() / p.array()).sum() - d + log_det_model - log_det_ + quadratic_model);
  return out;
}

}  // namespace lindiff
