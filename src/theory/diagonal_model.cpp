#include "src/theory/diagonal_model.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <utility>

namespace lindiff {

// The contraction 1 - k_t w_t of the sampler in noise form, without cancellation:
//  - data weights v: [alpha_t (1 - abar_{t-1}) + beta_t sqrt(abar_t) v] / (1 - abar_t), exactly 0 at t = 1 for v = 0;
//  - the optimum: [abar_t (lambda + c) + alpha_t (1 - abar_{t-1})] / k_t(lambda), exactly 0 at t = 1 for lambda + c = 0.
// Both use 1 - abar_t - beta_t = alpha_t (1 - abar_{t-1}).

double mode_curvature(const Schedule& s, int t, double lambda, double c) {
  return s.abar(t) * (lambda + c) + s.one_minus_abar(t);
}

double gd_stability_limit(const Schedule& schedule, double max_eigenvalue, double c, Index dim) {
  return static_cast<double>(schedule.steps()) * static_cast<double>(dim) / std::max(max_eigenvalue + c, 1.0);
}

double default_learning_rate(const Schedule& schedule, double max_eigenvalue, double c, Index dim) {
  return gd_stability_limit(schedule, max_eigenvalue, c, dim) / 2.0;
}

double optimal_noise_weight(const Schedule& s, int t, double lambda, double c) {
  return std::sqrt(s.one_minus_abar(t)) / mode_curvature(s, t, lambda, c);
}

double optimal_data_weight(const Schedule& s, int t, double lambda, double c) {
  return std::sqrt(s.abar(t)) * (lambda + c) / mode_curvature(s, t, lambda, c);
}

double DiagonalModel::noise_weight(const Schedule& s, int t, Index g) const {
  const double u = weights(t - 1, g);
  if (objective == Objective::kNoise) return u;
  return (1.0 - std::sqrt(s.abar(t)) * u) / std::sqrt(s.one_minus_abar(t));
}

DiagonalModel diagonal_model(const Schedule& s, Objective objective, RowMatrix weights) {
  if (weights.rows() != s.steps()) {
    throw std::invalid_argument("diagonal_model: weights have " + std::to_string(weights.rows()) +
                                " rows but the schedule has T = " + std::to_string(s.steps()));
  }
  DiagonalModel model{objective, std::move(weights), RowMatrix()};
  model.contraction.resize(model.weights.rows(), model.weights.cols());
  for (int t = 1; t <= s.steps(); ++t) {
    const auto u = model.weights.row(t - 1).array();
    if (objective == Objective::kData) {
      // [alpha_t (1 - abar_{t-1}) + beta_t sqrt(abar_t) v] / (1 - abar_t), see data_contraction().
      model.contraction.row(t - 1) = ((s.alpha(t) * s.one_minus_abar(t - 1) + s.beta(t) * std::sqrt(s.abar(t)) * u) /
                                      s.one_minus_abar(t)).matrix();
    } else {
      model.contraction.row(t - 1) = (1.0 - s.sampler_gain(t) * u).matrix();
    }
  }
  return model;
}

ModelRows::ModelRows(Objective objective, const Vector& eigenvalues, double c)
    : objective_(objective), shifted_(eigenvalues.array() + c) {}

ModelRows::ModelRows(const Schedule& s, Objective objective, const Vector& eigenvalues, double c, double learning_rate,
                     double steps, Index dim)
    : ModelRows(s, objective, eigenvalues, c, RateSchedule::constant(learning_rate, 0), steps, dim) {}

namespace {

// The runs of `rate` over its first `steps` steps; throws std::invalid_argument for negative or NaN steps.
std::vector<RateRun> runs_upto(const RateSchedule& rate, double steps) {
  if (!(steps >= 0)) throw std::invalid_argument("gradient descent: steps must be >= 0");
  return rate.runs(steps);
}

}  // namespace

ModelRows::ModelRows(const Schedule& s, Objective objective, const Vector& eigenvalues, double c, const RateSchedule& rate,
                     double steps, Index dim)
    : ModelRows(s, objective, eigenvalues, c, runs_upto(rate, steps), rate.max_rate(), dim) {}

ModelRows::ModelRows(const Schedule& s, Objective objective, const Vector& eigenvalues, double c, std::vector<RateRun> runs,
                     double peak_rate, Index dim)
    : objective_(objective),
      shifted_(eigenvalues.array() + c),
      rate_denominator_(static_cast<double>(s.steps()) * static_cast<double>(dim)) {
  // k_t(x) = abar_t x + (1 - abar_t) is linear in abar_t, so over t its extremes lie at t = 1 and t = T.
  auto k = [&s](int t, double x) { return s.abar(t) * x + s.one_minus_abar(t); };
  const int last = s.steps();
  const double x_min = shifted_.minCoeff(), x_max = shifted_.maxCoeff();
  const double peak = 2.0 * peak_rate / rate_denominator_;
  const double largest = peak * std::max(k(1, x_max), k(last, x_max));
  const double smallest = peak * std::min(k(1, x_min), k(last, x_min));
  if (!(largest < 2) || !(smallest > 0)) {
    throw std::invalid_argument("gradient descent diverges or is undefined: 2 eta k_t / (T d) spans [" +
                                std::to_string(smallest) + ", " + std::to_string(largest) +
                                "], must lie in (0, 2) (lower the learning rate)");
  }
  runs_ = std::move(runs);
}

void ModelRows::row(const Schedule& s, int t, Eigen::ArrayXd& weights, Eigen::ArrayXd& contraction) const {
  const double abar = s.abar(t), noise = s.one_minus_abar(t);
  const Eigen::ArrayXd curvature = abar * shifted_ + noise;
  weights = objective_ == Objective::kNoise ? Eigen::ArrayXd(std::sqrt(noise) / curvature)
                                            : Eigen::ArrayXd(std::sqrt(abar) * shifted_ / curvature);
  contraction = (abar * shifted_ + s.alpha(t) * s.one_minus_abar(t - 1)) / curvature;
  if (rate_denominator_ == 0) return;  // the optimum
  // remaining = prod over runs of (1 - rate)^count, summed as logs through log1p: stable for large counts.
  Eigen::ArrayXd log_remaining = Eigen::ArrayXd::Zero(curvature.size());
  for (const RateRun& run : runs_) log_remaining += run.count * (-(2.0 * run.rate / rate_denominator_) * curvature).log1p();
  const Eigen::ArrayXd remaining = log_remaining.exp();
  if (objective_ == Objective::kNoise) {
    // 1 - k w(s) = (1 - k w*) + k w* remaining, both terms non-negative.
    contraction += s.sampler_gain(t) * weights * remaining;
    weights *= 1.0 - remaining;
  } else {
    weights *= 1.0 - remaining;
    contraction = (s.alpha(t) * s.one_minus_abar(t - 1) + s.beta(t) * std::sqrt(abar) * weights) / noise;
  }
}

DiagonalModel materialise(const Schedule& s, const ModelRows& rows) {
  DiagonalModel model{rows.objective(), RowMatrix(s.steps(), rows.groups()), RowMatrix(s.steps(), rows.groups())};
  Eigen::ArrayXd weights, contraction;
  for (int t = 1; t <= s.steps(); ++t) {
    rows.row(s, t, weights, contraction);
    model.weights.row(t - 1) = weights.matrix().transpose();
    model.contraction.row(t - 1) = contraction.matrix().transpose();
  }
  return model;
}

DiagonalModel optimal_model(const Schedule& s, Objective objective, const Vector& eigenvalues, double c) {
  return materialise(s, ModelRows(objective, eigenvalues, c));
}

DiagonalModel gradient_descent_model(const Schedule& s, Objective objective, const Vector& eigenvalues, double c,
                                     double learning_rate, double steps, Index dim) {
  return materialise(s, ModelRows(s, objective, eigenvalues, c, learning_rate, steps, dim));
}

DiagonalModel gradient_descent_model(const Schedule& s, Objective objective, const Vector& eigenvalues, double c,
                                     const RateSchedule& rate, double steps, Index dim) {
  return materialise(s, ModelRows(s, objective, eigenvalues, c, rate, steps, dim));
}

}  // namespace lindiff
