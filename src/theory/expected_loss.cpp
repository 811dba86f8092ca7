#include "src/theory/expected_loss.h"

#include <cmath>
#include <stdexcept>

namespace lindiff {

double loss_at(Objective objective, double abar, double noise, const Eigen::ArrayXd& u, const Vector& n,
               const ModeMoments& data) {
  if (objective == Objective::kNoise) {
    return (u.square() * (abar * (data.variance.array() + data.offset.array()) + noise * n.array()) -
            2.0 * std::sqrt(noise) * u * n.array() + n.array())
        .sum();
  }
  return ((std::sqrt(abar) * u - 1.0).square() * (data.variance.array() + data.offset.array()) +
          noise * u.square() * n.array())
      .sum();
}

Vector expected_loss(const Schedule& s, const DiagonalModel& model, const ModeSpace& modes, const ModeMoments& data) {
  if (model.weights.cols() != modes.groups()) {
    throw std::invalid_argument("expected_loss: the model has " + std::to_string(model.weights.cols()) +
                                " mode groups, the mode space " + std::to_string(modes.groups()));
  }
  const double d = modes.multiplicity().sum();
  Vector loss(s.steps());
  for (int t = 1; t <= s.steps(); ++t) {
    const Eigen::ArrayXd u = model.weights.row(t - 1).transpose().array();
    loss(t - 1) = loss_at(model.objective, s.abar(t), s.one_minus_abar(t), u, modes.multiplicity(), data) / d;
  }
  return loss;
}

Vector expected_loss_dense(const Schedule& s, Objective objective, const WeightSource& weights, const Vector& mean,
                           const Matrix& covariance) {
  const Index d = mean.size();
  Matrix w;
  Vector b;
  Vector loss(s.steps());
  for (int t = 1; t <= s.steps(); ++t) {
    weights(t, w, b);
    if (w.rows() != d || w.cols() != d || b.size() != d) {
      throw std::invalid_argument("expected_loss_dense: weights of t = " + std::to_string(t) + " are not " +
                                  std::to_string(d) + " x " + std::to_string(d));
    }
    const double abar = s.abar(t), noise = s.one_minus_abar(t);
    const Vector delta = mean - b;
    double total;
    if (objective == Objective::kNoise) {
      const Matrix ws = w * covariance;
      total = abar * (ws.array() * w.array()).sum() + noise * w.squaredNorm() - 2.0 * std::sqrt(noise) * w.trace() +
              static_cast<double>(d) + abar * (w * delta).squaredNorm();
    } else {
      Matrix m = std::sqrt(abar) * w;
      m.diagonal().array() -= 1.0;
      const Matrix ms = m * covariance;
      total = (ms.array() * m.array()).sum() + (m * delta).squaredNorm() + noise * w.squaredNorm();
    }
    loss(t - 1) = total / static_cast<double>(d);
  }
  return loss;
}

}  // namespace lindiff
