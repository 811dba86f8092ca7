#include "src/theory/diagonal_model.h"

#include <cmath>
#include <stdexcept>

namespace lindiff {

namespace {

// The data-form contraction 1 - k w with w = (1 - \sqrt{\bar\alpha} v)/\sqrt{1-\bar\alpha}, rewritten as
// [\alpha_t (1 - \bar\alpha_{t-1}) + \beta_t \sqrt{\bar\alpha_t} v] / (1 - \bar\alpha_t): no cancellation,
// exactly 0 at t = 1 when v = 0.
double data_contraction(const Schedule& s, int t, double v) {
  return (s.alpha(t) * s.one_minus_abar(t - 1) + s.beta(t) * std::sqrt(s.abar(t)) * v) / s.one_minus_abar(t);
}

// 1 - k_t w^*_t = [\bar\alpha_t (\lambda + c) + \alpha_t (1 - \bar\alpha_{t-1})] / k_t(\lambda): the optimum's
// contraction (equal for both objectives), exactly 0 at t = 1 when \lambda + c = 0.
double optimal_contraction(const Schedule& s, int t, double lambda, double c) {
  return (s.abar(t) * (lambda + c) + s.alpha(t) * s.one_minus_abar(t - 1)) / mode_curvature(s, t, lambda, c);
}

}  // namespace

Objective parse_objective(const std::string& name) {
  if (name == "noise") return Objective::kNoise;
  if (name == "data") return Objective::kData;
  throw std::invalid_argument("unknown objective '" + name + "' (valid: noise, data)");
}

std::string to_string(Objective objective) { return objective == Objective::kNoise ? "noise" : "data"; }

double mode_curvature(const Schedule& s, int t, double lambda, double c) {
  return s.abar(t) * (lambda + c) + s.one_minus_abar(t);
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

DiagonalModel diagonal_model(const Schedule& s, Objective objective, Matrix weights) {
  if (weights.rows() != s.steps()) {
    throw std::invalid_argument("diagonal_model: weights have " + std::to_string(weights.rows()) +
                                " rows but the schedule has T = " + std::to_string(s.steps()));
  }
  DiagonalModel model{objective, std::move(weights), Matrix()};
  model.contraction.resize(model.weights.rows(), model.weights.cols());
  for (int t = 1; t <= s.steps(); ++t) {
    for (Index g = 0; g < model.weights.cols(); ++g) {
      const double u = model.weights(t - 1, g);
      model.contraction(t - 1, g) =
          objective == Objective::kData ? data_contraction(s, t, u) : 1.0 - s.sampler_gain(t) * u;
    }
  }
  return model;
}

DiagonalModel optimal_model(const Schedule& s, Objective objective, const Vector& eigenvalues, double c) {
  DiagonalModel model{objective, Matrix(s.steps(), eigenvalues.size()), Matrix(s.steps(), eigenvalues.size())};
  for (int t = 1; t <= s.steps(); ++t) {
    for (Index g = 0; g < eigenvalues.size(); ++g) {
      const double lambda = eigenvalues(g);
      model.weights(t - 1, g) = objective == Objective::kNoise ? optimal_noise_weight(s, t, lambda, c)
                                                               : optimal_data_weight(s, t, lambda, c);
      model.contraction(t - 1, g) = optimal_contraction(s, t, lambda, c);
    }
  }
  return model;
}

DiagonalModel gradient_descent_model(const Schedule& s, Objective objective, const Vector& eigenvalues, double c,
                                     double learning_rate, double steps, Index dim) {
  const double scale = 2.0 * learning_rate / (static_cast<double>(s.steps()) * static_cast<double>(dim));
  DiagonalModel model{objective, Matrix(s.steps(), eigenvalues.size()), Matrix(s.steps(), eigenvalues.size())};
  for (int t = 1; t <= s.steps(); ++t) {
    for (Index g = 0; g < eigenvalues.size(); ++g) {
      const double lambda = eigenvalues(g);
      const double rate = scale * mode_curvature(s, t, lambda, c);
      if (!(rate > 0 && rate < 2)) {
        throw std::invalid_argument("gradient descent diverges: 2 eta k_t / (T d) = " + std::to_string(rate) +
                                    " at t = " + std::to_string(t) + " (must be < 2; lower the learning rate)");
      }
      // remaining = (1 - rate)^s, computed through log1p for large s.
      const double remaining = std::exp(steps * std::log1p(-rate));
      if (objective == Objective::kNoise) {
        const double optimum = optimal_noise_weight(s, t, lambda, c);
        model.weights(t - 1, g) = optimum * (1.0 - remaining);
        // 1 - k w(s) = (1 - k w*) + k w* remaining, each term non-negative.
        model.contraction(t - 1, g) =
            optimal_contraction(s, t, lambda, c) + s.sampler_gain(t) * optimum * remaining;
      } else {
        const double v = optimal_data_weight(s, t, lambda, c) * (1.0 - remaining);
        model.weights(t - 1, g) = v;
        model.contraction(t - 1, g) = data_contraction(s, t, v);
      }
    }
  }
  return model;
}

}  // namespace lindiff
