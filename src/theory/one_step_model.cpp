#include "src/theory/one_step_model.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "src/common/shape_check.h"
#include "src/theory/eigen_system.h"

namespace lindiff {

namespace {

// log det of a symmetric positive semi-definite matrix; -inf when singular (eigenvalue at or
// below d eps lambda_max).
double log_det_psd(const Matrix& s) {
  const EigenSystem e = symmetric_eigen(s, EigenSolver::kLapackDivideAndConquer);
  const double floor = static_cast<double>(s.rows()) * std::numeric_limits<double>::epsilon() *
                       std::max(e.values.cwiseAbs().maxCoeff(), std::numeric_limits<double>::min());
  if (!(e.values.minCoeff() > floor)) return -std::numeric_limits<double>::infinity();
  return e.values.array().log().sum();
}

}  // namespace

OneStepModel fit_one_step(const Matrix& data, const Matrix& noise, const OneStepSpec& spec) {
  check_same_shape(data, noise, "fit_one_step", "data", "noise");
  if (data.rows() == 0) throw std::invalid_argument("fit_one_step: data must have N >= 1 rows");
  if (!(spec.time > 0) || !(spec.level > 0)) throw std::invalid_argument("fit_one_step: T and l must be positive");
  OneStepModel model;
  model.signal = std::exp(-spec.time);
  model.noise = std::sqrt(spec.level * -std::expm1(-2.0 * spec.time));
  model.level = spec.level;
  Matrix x = model.signal * data + model.noise * noise;  // x_T, N x d
  Matrix y = data;
  Vector x_mean = Vector::Zero(data.cols()), y_mean = Vector::Zero(data.cols());
  if (spec.intercept) {
    x_mean = x.colwise().mean().transpose();
    y_mean = y.colwise().mean().transpose();
    x.rowwise() -= x_mean.transpose();
    y.rowwise() -= y_mean.transpose();
  }
  // min ||X W - Y||: the minimum-norm solution W = X^+ Y; A = W^T maps column vectors.
  const Eigen::CompleteOrthogonalDecomposition<Matrix> cod(x);
  model.map = cod.solve(y).transpose();
  model.intercept = y_mean - model.map * x_mean;
  return model;
}

Gaussian one_step_distribution(const OneStepModel& model) {
  return Gaussian{model.intercept, model.level * model.map * model.map.transpose()};
}

double squared_hellinger(const Gaussian& p, const Gaussian& q) {
  const Matrix average = 0.5 * (p.covariance + q.covariance);
  const double log_p = log_det_psd(p.covariance), log_q = log_det_psd(q.covariance);
  if (std::isinf(log_p) || std::isinf(log_q)) return 1.0;
  const Eigen::LLT<Matrix> llt(average);
  const Vector delta = p.mean - q.mean;
  const double log_average = 2.0 * llt.matrixLLT().diagonal().array().log().sum();
  const double log_coefficient = 0.25 * (log_p + log_q) - 0.5 * log_average - delta.dot(llt.solve(delta)) / 8.0;
  return std::clamp(-std::expm1(log_coefficient), 0.0, 1.0);
}

double gaussian_mmd_squared(const Gaussian& p, const Matrix& samples, double bandwidth) {
  const Index d = p.mean.size(), m = samples.rows();
  check_shape(samples, -1, d, "gaussian_mmd_squared", "samples");
  if (m == 0) throw std::invalid_argument("gaussian_mmd_squared: samples must have M >= 1 rows");
  const double h2 = bandwidth * bandwidth;
  Matrix twice = Matrix::Identity(d, d) + 2.0 * p.covariance / h2;
  Matrix once = Matrix::Identity(d, d) + p.covariance / h2;
  const double self = std::exp(-0.5 * log_det_psd(twice));
  // E_P k(., y) for every sample: det(I + S/h^2)^{-1/2} exp(-(y-m)^T (S + h^2 I)^{-1} (y-m)/2).
  const Eigen::LLT<Matrix> widened(p.covariance + h2 * Matrix::Identity(d, d));
  const Matrix offsets = (samples.rowwise() - p.mean.transpose()).transpose();  // d x M
  const Vector quadratic = (offsets.array() * widened.solve(offsets).array()).colwise().sum().transpose();
  const double cross = std::exp(-0.5 * log_det_psd(once)) * (-0.5 * quadratic.array()).exp().mean();
  // Mean kernel between the samples themselves (diagonal included: the empirical measure),
  // in row blocks so that memory stays O(block M) for large M.
  const Vector norms = samples.rowwise().squaredNorm();
  constexpr Index kBlock = 512;
  double kernel_sum = 0;
  for (Index start = 0; start < m; start += kBlock) {
    const Index rows = std::min(kBlock, m - start);
    Matrix distances = -2.0 * samples.middleRows(start, rows) * samples.transpose();
    distances.colwise() += norms.segment(start, rows);
    distances.rowwise() += norms.transpose();
    kernel_sum += (-distances.array().max(0.0) / (2.0 * h2)).exp().sum();
  }
  const double empirical = kernel_sum / (static_cast<double>(m) * static_cast<double>(m));
  return self - 2.0 * cross + empirical;
}

double memorisation_delta(const Gaussian& generated, const Matrix& training, const Matrix& fresh, double bandwidth) {
  return gaussian_mmd_squared(generated, training, bandwidth) - gaussian_mmd_squared(generated, fresh, bandwidth);
}

}  // namespace lindiff
