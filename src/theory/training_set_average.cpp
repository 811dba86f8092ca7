#include "src/theory/training_set_average.h"

#include <cmath>
#include <stdexcept>

namespace lindiff {

double digamma(double x) {
  if (!(x > 0)) throw std::invalid_argument("digamma: argument must be positive");
  double result = 0;
  while (x < 12) {  // the truncated series below is accurate to ~1e-15 from x = 12 on
    result -= 1.0 / x;
    x += 1;
  }
  const double inv = 1.0 / x, inv2 = inv * inv;
  // psi(x) ~ ln x - 1/(2x) - 1/(12x^2) + 1/(120x^4) - 1/(252x^6) + 1/(240x^8) - 1/(132x^10)
  result += std::log(x) - 0.5 * inv -
            inv2 * (1.0 / 12 - inv2 * (1.0 / 120 - inv2 * (1.0 / 252 - inv2 * (1.0 / 240 - inv2 / 132))));
  return result;
}

namespace {

double digamma_sum(Index d, Index n) {
  if (n <= d + 2) {
    throw std::invalid_argument("the Wishart expectation needs N > d + 2 (N = " + std::to_string(n) +
                                ", d = " + std::to_string(d) + ")");
  }
  double sum = 0;
  for (Index i = 1; i <= d; ++i) sum += digamma((static_cast<double>(n) - static_cast<double>(i)) / 2.0);
  return sum;
}

}  // namespace

double wishart_kl_model_data(Index d, Index n) {
  const double s_psi = digamma_sum(d, n);
  return 0.5 * (static_cast<double>(d) * std::log(n / 2.0) - s_psi);
}

double wishart_kl_data_model(Index d, Index n) {
  const double s_psi = digamma_sum(d, n);
  const double dd = static_cast<double>(d), nn = static_cast<double>(n);
  return 0.5 * ((nn + 1) * dd / (nn - dd - 2) - dd + s_psi - dd * std::log(nn / 2.0));
}

DeterministicEquivalent::DeterministicEquivalent(Vector population_eigenvalues, Index n_samples)
    : lambda_(std::move(population_eigenvalues)),
      n_samples_(static_cast<double>(n_samples)),
      dof_(static_cast<double>(n_samples) - 1.0) {
  if (n_samples < 2) throw std::invalid_argument("the deterministic equivalent needs N >= 2");
  if (lambda_.size() == 0 || !(lambda_.minCoeff() > 0)) {
    throw std::invalid_argument("the deterministic equivalent needs positive population eigenvalues");
  }
}

double DeterministicEquivalent::kappa(double z) const {
  if (!(z > 0)) throw std::invalid_argument("kappa(z) needs z > 0");
  const auto l = lambda_.array();
  double k = z + lambda_.sum() / dof_;
  for (int i = 0; i < 100; ++i) {
    const double f = k - (l * k / (l + k)).sum() / dof_ - z;
    const double slope = 1.0 - (l.square() / (l + k).square()).sum() / dof_;
    const double next = std::max(z, k - f / slope);
    if (std::abs(next - k) <= 1e-15 * k) return next;
    k = next;
  }
  return k;
}

DeterministicEquivalent::Traces DeterministicEquivalent::traces(double z) const {
  const double zs = scaled(z), k = kappa(zs), n = dof_;
  const double d = static_cast<double>(lambda_.size());
  const auto l = lambda_.array();
  const auto inv = (l + k).inverse();
  const double s1 = inv.sum(), s2 = inv.square().sum();
  // kappa' = 1/D with D = 1 - (1/n) sum lambda^2/(lambda+kappa)^2; kappa'' = -D'/D^2.
  const double big_d = 1.0 - (l.square() * inv.square()).sum() / n;
  const double dk = 1.0 / big_d;
  const double ddk = -(2.0 / n) * (l.square() * inv.cube()).sum() * dk * dk * dk;

  Traces out;
  out.log_det = d * std::log(n / n_samples_) + (l + k).log().sum() + (d - n) * std::log(zs / k) - n * (1.0 - zs / k);
  // Derivatives with respect to z' of the standard form, then the factors dz'/dz = N/(N-1).
  const double g1 = dk * s1 + (d - n) * (1.0 / zs - dk / k) + n * (1.0 / k - zs * dk / (k * k));
  const double g2 = ddk * s1 - dk * dk * s2 + (d - n) * (-1.0 / (zs * zs) - (ddk * k - dk * dk) / (k * k)) +
                    n * (-2.0 * dk / (k * k) - zs * ddk / (k * k) + 2.0 * zs * dk * dk / (k * k * k));
  const double f0 = n * (k - zs) / zs;
  const double f1 = n * (dk * zs - k) / (zs * zs);
  const double scale = n_samples_ / n;
  out.resolvent = g1 * scale;
  out.resolvent_squared = -g2 * scale * scale;
  out.sigma = f0 * scale;
  out.sigma_squared = -f1 * scale * scale;
  return out;
}

double DeterministicEquivalent::kl_model_data(double c) const {
  if (!(c > 0)) throw std::invalid_argument("kl_model_data needs c > 0 (use the Wishart form at c = 0)");
  const double trace_inverse = lambda_.cwiseInverse().sum();
  return 0.5 * (c * trace_inverse + lambda_.array().log().sum() - log_det(c));
}

double DeterministicEquivalent::kl_data_model(double c) const {
  if (!(c > 0)) throw std::invalid_argument("kl_data_model needs c > 0 (use the Wishart form at c = 0)");
  const double d = static_cast<double>(lambda_.size());
  return 0.5 * ((1.0 + 1.0 / n_samples_) * trace_resolvent_sigma(c) - d + log_det(c) - lambda_.array().log().sum());
}

Vector average_optimal_test_loss(const DeterministicEquivalent& equivalent, const Schedule& schedule, double c,
                                 Objective objective) {
  const double d = static_cast<double>(equivalent.dim()), n = equivalent.samples();
  Vector loss(schedule.steps());
  for (int t = 1; t <= schedule.steps(); ++t) {
    const double abar = schedule.abar(t), noise = schedule.one_minus_abar(t);
    const double a = std::sqrt(noise) / abar;
    const DeterministicEquivalent::Traces r = equivalent.traces(c + noise / abar);
    const double noise_loss = a * a * (abar * (1.0 + 1.0 / n) * r.sigma_squared + noise * r.resolvent_squared) -
                              2.0 * std::sqrt(noise) * a * r.resolvent + d;
    loss(t - 1) = noise_loss / d * (objective == Objective::kData ? noise / abar : 1.0);
  }
  return loss;
}

}  // namespace lindiff
