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
  // f(kappa) = kappa - (1/n) sum lambda kappa / (lambda + kappa) - z is increasing on the root's
  // side; f(z) < 0 and f(z + Tr/n) >= 0 bracket it. Bisection to machine precision.
  auto f = [&](double k) { return k - (lambda_.array() * k / (lambda_.array() + k)).sum() / dof_ - z; };
  double lo = z, hi = z + lambda_.sum() / dof_;
  for (int i = 0; i < 200 && hi - lo > 1e-16 * hi; ++i) {
    const double mid = 0.5 * (lo + hi);
    (f(mid) < 0 ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

double DeterministicEquivalent::kappa_derivative(double k) const {
  // dz/dkappa = 1 - (1/n) sum lambda^2 / (lambda + kappa)^2
  return 1.0 / (1.0 - (lambda_.array().square() / (lambda_.array() + k).square()).sum() / dof_);
}

double DeterministicEquivalent::trace_resolvent_sigma(double z) const {
  const double zs = scaled(z), k = kappa(zs);
  // (kappa/z') sum lambda/(lambda+kappa) = n (kappa - z') / z' by the fixed point.
  return (n_samples_ / dof_) * dof_ * (k - zs) / zs;
}

double DeterministicEquivalent::log_det(double z) const {
  const double zs = scaled(z), k = kappa(zs);
  const double d = static_cast<double>(lambda_.size());
  return d * std::log(dof_ / n_samples_) + (lambda_.array() + k).log().sum() + (d - dof_) * std::log(zs / k) -
         dof_ * (1.0 - zs / k);
}

double DeterministicEquivalent::trace_resolvent(double z) const {
  const double zs = scaled(z), k = kappa(zs), dk = kappa_derivative(k);
  const double d = static_cast<double>(lambda_.size());
  // d/dz' of the log det in the standard form, times dz'/dz = N/(N-1).
  const double derivative = dk * (lambda_.array() + k).inverse().sum() + (d - dof_) * (1.0 / zs - dk / k) +
                            dof_ * (1.0 / k - zs * dk / (k * k));
  return derivative * n_samples_ / dof_;
}

double DeterministicEquivalent::trace_resolvent_squared(double z) const {
  const double h = 1e-4 * z;
  return -(trace_resolvent(z + h) - trace_resolvent(z - h)) / (2 * h);
}

double DeterministicEquivalent::trace_resolvent_sigma_resolvent(double z) const {
  const double zs = scaled(z), k = kappa(zs), dk = kappa_derivative(k);
  // F(z') = n (kappa - z')/z' in the standard form; E Tr[R Sigma R] = -dF/dz with the (N/(N-1)) factors.
  const double df_dzs = dof_ * (dk * zs - k) / (zs * zs);
  const double scale = n_samples_ / dof_;
  return -df_dzs * scale * scale;
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

}  // namespace lindiff
