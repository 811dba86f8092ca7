#include "src/theory/gaussian_kl.h"

#include <cmath>
#include <limits>
#include <stdexcept>

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
  if (q.mean.size() != d || p.covariance.rows() != d || q.covariance.rows() != d) {
    throw std::invalid_argument("gaussian_kl: the two Gaussians differ in dimension");
  }
  const EigenSystem eq = symmetric_eigen(q.covariance, EigenSolver::kLapackDivideAndConquer);
  const EigenSystem ep = symmetric_eigen(p.covariance, EigenSolver::kLapackDivideAndConquer);
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

PopulationView::PopulationView(const ModeSpace& modes, const Vector& mean, const Matrix& covariance,
                               const EigenSystem& eigen)
    : modes_(modes), mean_(mean), eigenvectors_(eigen.vectors), eigenvalues_(eigen.values) {
  if (eigen.explicit_count() != modes.dim() || mean.size() != modes.dim()) {
    throw std::invalid_argument("PopulationView: needs the complete eigensystem of a d x d population covariance");
  }
  variance_ = modes.traces(covariance);
  singular_ = is_singular(eigenvalues_);
  precision_ = Vector::Constant(modes.groups(), kInf);
  log_det_ = -kInf;
  if (singular_) return;
  const Vector inverse = eigenvalues_.cwiseInverse();
  const Matrix overlap = eigenvectors_.transpose() * modes.basis();  // d x r
  const Index r = modes.basis().cols();
  precision_.head(r) = overlap.array().square().matrix().transpose() * inverse;
  if (modes.has_complement()) precision_(r) = inverse.sum() - precision_.head(r).sum();
  log_det_ = eigenvalues_.array().log().sum();
}

KlPair PopulationView::kl(const DiagonalSampling& sampling, const Vector& bias) const {
  const Vector& n = modes_.multiplicity();
  const Vector& p = sampling.variance;
  if ((p.array() <= 0).any()) return KlPair{kInf, kInf};  // the model is singular
  const double d = static_cast<double>(modes_.dim());
  const Vector offset = modes_.apply(sampling.mean_gain, bias) - mean_;
  const double log_det_model = (n.array() * p.array().log()).sum();
  KlPair out{kInf, kInf};
  if (singular_) return out;
  const Vector in_data_basis = eigenvectors_.transpose() * offset;
  const double quadratic_data = in_data_basis.array().square().matrix().dot(eigenvalues_.cwiseInverse());
  out.model_data = half_nonnegative(p.dot(precision_) - d + log_det_ - log_det_model + quadratic_data);
  const double quadratic_model = (modes_.energy(offset).array() / p.array()).sum();
  out.data_model = half_nonnegative((variance_.array() / p.array()).sum() - d + log_det_model - log_det_ + quadratic_model);
  return out;
}

}  // namespace lindiff
