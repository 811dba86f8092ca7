#include "src/theory/sampling_distribution.h"

#include <cmath>
#include <stdexcept>

#include "src/common/shape_check.h"

namespace lindiff {

namespace {

double step_noise(const Schedule& s, int t, bool final_noise) { return (t > 1 || final_noise) ? s.beta(t) : 0.0; }

}  // namespace

DiagonalSampling sampling_distribution(const Schedule& s, const DiagonalModel& model, bool final_noise) {
  const Index groups = model.contraction.cols();
  check_shape(model.contraction, s.steps(), -1, "sampling_distribution", "the model's contraction (T x groups)");
  DiagonalSampling out{Vector::Ones(groups), Vector::Zero(groups)};
  for (int t = s.steps(); t >= 1; --t) {
    advance_sampling(s, t, model.contraction.row(t - 1).transpose().array(), final_noise, out);
  }
  return out;
}

void advance_sampling(const Schedule& s, int t, const Eigen::ArrayXd& contraction, bool final_noise,
                      DiagonalSampling& sampling) {
  const double inv_sqrt_alpha = 1.0 / std::sqrt(s.alpha(t));
  auto variance = sampling.variance.array();
  auto gain = sampling.mean_gain.array();
  variance = (contraction * inv_sqrt_alpha).square() * variance + step_noise(s, t, final_noise);
  gain = contraction * inv_sqrt_alpha * gain + (1.0 - contraction) * std::sqrt(s.abar(t - 1));
}

Gaussian to_gaussian(const ModeSpace& modes, const DiagonalSampling& sampling, const Vector& bias) {
  Gaussian g;
  g.mean = modes.apply(sampling.mean_gain, bias);
  const Matrix& u = modes.basis();
  const Index r = u.cols();
  const double complement = modes.has_complement() ? sampling.variance(r) : 0.0;
  // U diag(P - P_c) U^T + P_c I covers the complement without an explicit basis for it.
  g.covariance = u * (sampling.variance.head(r).array() - complement).matrix().asDiagonal() * u.transpose();
  g.covariance.diagonal().array() += complement;
  return g;
}

Gaussian sampling_distribution_dense(const Schedule& s, Objective objective, const WeightSource& weights, Index d,
                                     bool final_noise) {
  Gaussian g{Vector::Zero(d), Matrix::Identity(d, d)};
  Matrix w, a;
  Vector b;
  for (int t = s.steps(); t >= 1; --t) {
    weights(t, w, b);
    check_shape(w, d, d, "sampling_distribution_dense", "W_" + std::to_string(t));
    check_shape(b, d, 1, "sampling_distribution_dense", "b_" + std::to_string(t));
    // contraction = I - k_t W_t in noise form; for data weights it is
    // [\alpha_t (1 - \bar\alpha_{t-1}) I + \beta_t \sqrt{\bar\alpha_t} V] / (1 - \bar\alpha_t), free of cancellation.
    if (objective == Objective::kNoise) {
      a = -s.sampler_gain(t) * w;
      a.diagonal().array() += 1.0;
    } else {
      a = (s.beta(t) * std::sqrt(s.abar(t)) / s.one_minus_abar(t)) * w;
      a.diagonal().array() += s.alpha(t) * s.one_minus_abar(t - 1) / s.one_minus_abar(t);
    }
    // a_t = (I - contraction) \sqrt{\bar\alpha_{t-1}} b_t; then divide the contraction by \sqrt{\alpha_t}.
    const Vector drive = std::sqrt(s.abar(t - 1)) * (b - a * b);
    a /= std::sqrt(s.alpha(t));
    g.mean = a * g.mean + drive;
    g.covariance = a * g.covariance * a.transpose();
    g.covariance.diagonal().array() += step_noise(s, t, final_noise);
  }
  return g;
}

}  // namespace lindiff
