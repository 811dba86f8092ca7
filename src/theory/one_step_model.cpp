#include "src/theory/one_step_model.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <utility>
#include <vector>

#include "src/common/shape_check.h"
#include "src/theory/eigen_system.h"

namespace lindiff {

namespace {

// log det of a symmetric positive semi-definite matrix; -inf when singular (eigenvalue at or
// below d eps lambda_max).
double log_det_psd(const Matrix& s) {
  const EigenSystem e = symmetric_eigen(s, default_eigen_solver());
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
  if (spec.prior == OneStepPrior::kFitted && data.rows() < 2) {
    throw std::invalid_argument("fit_one_step: the fitted prior needs N >= 2 rows (an unbiased variance)");
  }
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
  model.covariance = spec.covariance;
  if (spec.prior == OneStepPrior::kFitted) {
    const Vector mean = data.colwise().mean().transpose();
    const double variance =
        (data.rowwise() - mean.transpose()).squaredNorm() / (static_cast<double>(data.rows() - 1) * data.cols());
    model.prior_mean = model.signal * mean;
    model.prior_variance = model.signal * model.signal * variance + model.noise * model.noise;
  } else {
    model.prior_mean = Vector::Zero(data.cols());
    model.prior_variance = spec.level;
  }
  return model;
}

OneStepPrior parse_one_step_prior(const std::string& name) {
  if (name == "stationary") return OneStepPrior::kStationary;
  if (name == "fitted") return OneStepPrior::kFitted;
  throw std::invalid_argument("unknown one-step prior '" + name + "' (valid: stationary, fitted)");
}

OneStepCovariance parse_one_step_covariance(const std::string& name) {
  if (name == "pushforward") return OneStepCovariance::kPushforward;
  if (name == "transposed") return OneStepCovariance::kTransposed;
  throw std::invalid_argument("unknown one-step covariance '" + name + "' (valid: pushforward, transposed)");
}

Gaussian one_step_distribution(const OneStepModel& model) {
  const Matrix& a = model.map;
  const Matrix product = model.covariance == OneStepCovariance::kPushforward ? Matrix(a * a.transpose())
                                                                              : Matrix(a.transpose() * a);
  return Gaussian{a * model.prior_mean + model.intercept, model.prior_variance * product};
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

namespace {

// log(sum exp(x)) over blocks of terms, without overflow or underflow.
class LogSumExp {
 public:
  // Adds weight * sum exp(terms) (entries of -inf add nothing).
  void add(const Eigen::ArrayXXd& terms, double weight) {
    const double top = terms.maxCoeff();
    if (top == -std::numeric_limits<double>::infinity()) return;
    const double sum = weight * (terms - top).exp().sum();
    if (top > max_) {
      sum_ = sum_ * std::exp(max_ - top) + sum;
      max_ = top;
    } else {
      sum_ += sum * std::exp(top - max_);
    }
  }
  double value() const { return sum_ > 0 ? max_ + std::log(sum_) : -std::numeric_limits<double>::infinity(); }

 private:
  double max_ = -std::numeric_limits<double>::infinity();
  double sum_ = 0;
};

constexpr double kLogTwoPi = 1.8378770664093454836;  // log(2 pi)

// log of the off-diagonal part of \int q^2: (1/K^2) sum_{i != j} N(s_i - s_j; 0, 2 eps^2 I), over
// 512-row block pairs on and above the block diagonal (those above counted twice, the i = j
// entries of diagonal blocks left out).
double log_kde_off_diagonal(const Matrix& set, double eps) {
  const Index k = set.rows(), d = set.cols();
  constexpr Index kBlock = 512;
  const Vector norms = set.rowwise().squaredNorm();
  LogSumExp sum;
  for (Index start = 0; start < k; start += kBlock) {
    const Index rows = std::min(kBlock, k - start);
    for (Index other = start; other < k; other += kBlock) {
      const Index cols = std::min(kBlock, k - other);
      Matrix distances = -2.0 * set.middleRows(start, rows) * set.middleRows(other, cols).transpose();
      distances.colwise() += norms.segment(start, rows);
      distances.rowwise() += norms.segment(other, cols).transpose();
      Eigen::ArrayXXd terms = -distances.array().max(0.0) / (4.0 * eps * eps);
      if (other == start) terms.matrix().diagonal().setConstant(-std::numeric_limits<double>::infinity());
      sum.add(terms, other == start ? 1.0 : 2.0);
    }
  }
  const double log_normaliser = -0.5 * static_cast<double>(d) * std::log(4.0 * M_PI * eps * eps);
  return sum.value() + log_normaliser - 2.0 * std::log(static_cast<double>(k));
}

// log \int p q = log (1/K) sum_j N(s_j; m, S + eps^2 I).
double log_kde_cross(const Gaussian& p, const Matrix& set, double eps) {
  const Index k = set.rows(), d = set.cols();
  const Eigen::LLT<Matrix> widened(p.covariance + eps * eps * Matrix::Identity(d, d));
  if (widened.info() != Eigen::Success) throw std::invalid_argument("kde_l2_parts: S + eps^2 I is not positive definite");
  const double log_det = 2.0 * widened.matrixLLT().diagonal().array().log().sum();
  const Matrix offsets = (set.rowwise() - p.mean.transpose()).transpose();  // d x K
  const Matrix whitened = widened.matrixL().solve(offsets);
  const Eigen::ArrayXXd terms = -0.5 * whitened.colwise().squaredNorm().array();
  LogSumExp sum;
  sum.add(terms, 1.0);
  return sum.value() - 0.5 * (static_cast<double>(d) * kLogTwoPi + log_det) - std::log(static_cast<double>(k));
}

}  // namespace

KdeL2Parts kde_l2_parts(const Gaussian& p, const Matrix& set, double sigma) {
  const Index d = p.mean.size(), k = set.rows();
  check_shape(set, -1, d, "kde_l2_parts", "set");
  if (k == 0) throw std::invalid_argument("kde_l2_parts: the set must have K >= 1 rows");
  if (!(sigma > 0)) throw std::invalid_argument("kde_l2_parts: the kernel scale sigma must be > 0");
  const double eps = sigma * std::pow(static_cast<double>(k), -1.0 / static_cast<double>(d));
  KdeL2Parts parts;
  // (1/K^2) K N(0; 0, 2 eps^2 I) = (4 pi eps^2)^{-d/2} / K = (4 pi sigma^2)^{-d/2}: K cancels
  // analytically, so sets of different sizes get the bitwise same diagonal.
  parts.log_diagonal = -0.5 * static_cast<double>(d) * std::log(4.0 * M_PI * sigma * sigma);
  parts.log_off_diagonal = log_kde_off_diagonal(set, eps);
  parts.log_cross = log_kde_cross(p, set, eps);
  return parts;
}

SignedDelta kde_l2_delta(const KdeL2Parts& training, const KdeL2Parts& fresh) {
  // (log |term|, sign) of e_train - e_fresh; the diagonals drop out when equal.
  std::vector<std::pair<double, int>> terms = {{training.log_off_diagonal, +1}, {fresh.log_off_diagonal, -1},
                                               {std::log(2.0) + training.log_cross, -1},
                                               {std::log(2.0) + fresh.log_cross, +1}};
  if (training.log_diagonal != fresh.log_diagonal) {
    terms.push_back({training.log_diagonal, +1});
    terms.push_back({fresh.log_diagonal, -1});
  }
  double top = -std::numeric_limits<double>::infinity();
  for (const auto& term : terms) top = std::max(top, term.first);
  if (top == -std::numeric_limits<double>::infinity()) return {};
  double scaled = 0;
  for (const auto& [log_size, sign] : terms) scaled += sign * std::exp(log_size - top);
  return {scaled * std::exp(top), (scaled > 0) - (scaled < 0)};
}

}  // namespace lindiff
