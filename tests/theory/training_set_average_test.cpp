#include "src/theory/training_set_average.h"

#include <gtest/gtest.h>

#include <random>

#include "src/theory/gaussian_kl.h"
#include "src/theory/moments.h"
#include "src/theory/spectrum_stats.h"
#include "tests/theory/test_util.h"

namespace lindiff {
namespace {

TEST(Digamma, KnownValues) {
  const double euler_gamma = 0.57721566490153286;
  EXPECT_NEAR(digamma(1.0), -euler_gamma, 1e-14);
  EXPECT_NEAR(digamma(0.5), -euler_gamma - 2 * std::log(2.0), 1e-14);
  EXPECT_NEAR(digamma(10.0), 2.2517525890667211, 1e-14);
  EXPECT_NEAR(digamma(1000.5), std::log(1000.5) - 0.5 / 1000.5 - 1.0 / (12 * 1000.5 * 1000.5), 1e-12);
  EXPECT_THROW(digamma(0.0), std::invalid_argument);
}

// THEORY.md section 7 reference values, per dimension, d = 1000 (quoted to 5 significant digits).
TEST(WishartAverages, ReferenceValues) {
  EXPECT_NEAR(wishart_kl_model_data(1000, 2000) / 1000, 0.15395, 0.5e-5);
  EXPECT_NEAR(wishart_kl_data_model(1000, 2000) / 1000, 0.34856, 0.5e-5);
  EXPECT_NEAR(wishart_kl_model_data(1000, 10000) / 1000, 0.025957, 0.5e-6);
  EXPECT_NEAR(wishart_kl_data_model(1000, 10000) / 1000, 0.029778, 0.5e-6);
  // For N >> d both approach d (d + 3) / (4N) in total (expand psi), d/(4N) per dimension up to O(1/d).
  for (Index d : {10, 100, 1000}) {
    const double n = 1e4 * static_cast<double>(d);
    const double limit = static_cast<double>(d) * (d + 3) / (4 * n);
    EXPECT_NEAR(wishart_kl_model_data(d, static_cast<Index>(n)) / limit, 1.0, 1e-3) << "d = " << d;
    EXPECT_NEAR(wishart_kl_data_model(d, static_cast<Index>(n)) / limit, 1.0, 1e-3) << "d = " << d;
  }
  EXPECT_THROW(wishart_kl_model_data(10, 12), std::invalid_argument);
}

// KL between N(mu0, Sigma0) of one Gaussian training set and the population.
KlPair sampled_kl(const Matrix& basis, const Vector& spectrum, Index n, double c, std::mt19937_64& rng) {
  const Moments m = empirical_moments(testing::gaussian_rows(basis, spectrum, n, rng));
  Matrix model_cov = m.covariance;
  model_cov.diagonal().array() += c;
  const Gaussian data{Vector::Zero(spectrum.size()), basis * spectrum.asDiagonal() * basis.transpose()};
  return kl_pair(Gaussian{m.mean, model_cov}, data);
}

// Average over 3000 training sets of d = 5, N = 20; tolerance 4 standard errors.
TEST(WishartAverages, EqualMonteCarloAverageOverTrainingSets) {
  std::mt19937_64 rng(41);
  const Index d = 5, n = 20, repeats = 3000;
  const Vector spectrum = power_law_spectrum(d, 1.0);
  const Matrix basis = testing::random_orthogonal(d, rng);
  Vector model_data(repeats), data_model(repeats);
  for (Index r = 0; r < repeats; ++r) {
    const KlPair kl = sampled_kl(basis, spectrum, n, 0.0, rng);
    model_data(r) = kl.model_data;
    data_model(r) = kl.data_model;
  }
  auto check = [](const Vector& samples, double expected) {
    const double mean = samples.mean();
    const double se = std::sqrt((samples.array() - mean).square().sum() / (samples.size() - 1) / samples.size());
    EXPECT_NEAR(mean, expected, 4 * se) << "exact " << expected << ", Monte Carlo " << mean << " +- " << se;
  };
  check(model_data, wishart_kl_model_data(d, n));
  check(data_model, wishart_kl_data_model(d, n));
}

// Deterministic equivalents at d = 100 (power law k = 1) against averages over 300
// training sets: within 3% (THEORY.md: about 1-2% at d = 60, better with d).
TEST(DeterministicEquivalent, WithinAFewPercentOfMonteCarloAtDHundred) {
  std::mt19937_64 rng(42);
  const Index d = 100, repeats = 300;
  const Vector spectrum = power_law_spectrum(d, 1.0);
  const Matrix basis = testing::random_orthogonal(d, rng);
  for (auto [n, c] : {std::pair<Index, double>{50, 0.05}, std::pair<Index, double>{400, 0.01}}) {
    const DeterministicEquivalent equivalent(spectrum, n);
    double model_data = 0, data_model = 0, log_det = 0, trace = 0;
    for (Index r = 0; r < repeats; ++r) {
      const Moments m = empirical_moments(testing::gaussian_rows(basis, spectrum, n, rng));
      Matrix regularised = m.covariance;
      regularised.diagonal().array() += c;
      const Matrix sigma = basis * spectrum.asDiagonal() * basis.transpose();
      const KlPair kl = kl_pair(Gaussian{m.mean, regularised}, Gaussian{Vector::Zero(d), sigma});
      model_data += kl.model_data / repeats;
      data_model += kl.data_model / repeats;
      Eigen::LLT<Matrix> llt(regularised);
      log_det += 2 * llt.matrixLLT().diagonal().array().log().sum() / repeats;
      trace += llt.solve(sigma).trace() / repeats;
    }
    EXPECT_NEAR(equivalent.log_det(c) / log_det, 1.0, 0.03) << "N = " << n;
    EXPECT_NEAR(equivalent.trace_resolvent_sigma(c) / trace, 1.0, 0.03) << "N = " << n;
    EXPECT_NEAR(equivalent.kl_model_data(c) / model_data, 1.0, 0.03) << "N = " << n;
    EXPECT_NEAR(equivalent.kl_data_model(c) / data_model, 1.0, 0.03) << "N = " << n;
  }
}

// The analytic z-derivatives agree with central differences of the functions they differentiate.
TEST(DeterministicEquivalent, DerivativesAreConsistent) {
  const DeterministicEquivalent equivalent(power_law_spectrum(50, 1.0), 30);
  const double z = 0.2, h = 1e-5;
  EXPECT_NEAR(equivalent.trace_resolvent(z), (equivalent.log_det(z + h) - equivalent.log_det(z - h)) / (2 * h),
              1e-5 * equivalent.trace_resolvent(z));
  EXPECT_NEAR(equivalent.trace_resolvent_sigma_resolvent(z),
              -(equivalent.trace_resolvent_sigma(z + h) - equivalent.trace_resolvent_sigma(z - h)) / (2 * h),
              1e-5 * equivalent.trace_resolvent_sigma_resolvent(z));
  EXPECT_GT(equivalent.trace_resolvent_squared(z), 0);
}

}  // namespace
}  // namespace lindiff
