#include "src/theory/training_set_average.h"

#include <gtest/gtest.h>

#include <random>

#include "src/theory/expected_loss.h"
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

// docs/theory.md#wishart-averages reference values, per dimension, d = 1000 (quoted to 5 significant digits).
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
  const Matrix basis = haar_orthogonal(d, rng);
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
// training sets: within 3% (docs/theory.md#deterministic-equivalent: about 1-2% at d = 60, better with d).
TEST(DeterministicEquivalent, WithinAFewPercentOfMonteCarloAtDHundred) {
  std::mt19937_64 rng(42);
  const Index d = 100, repeats = 300;
  const Vector spectrum = power_law_spectrum(d, 1.0);
  const Matrix basis = haar_orthogonal(d, rng);
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

// The averaged test loss of the optimum against the exact test loss averaged over 150
// training sets (d = 60, both sides of N = d): within 3%.
TEST(DeterministicEquivalent, AverageTestLossMatchesMonteCarlo) {
  std::mt19937_64 rng(43);
  const Index d = 60, repeats = 150;
  const Vector spectrum = power_law_spectrum(d, 1.0);
  const Matrix basis = haar_orthogonal(d, rng);
  const Matrix sigma = basis * spectrum.asDiagonal() * basis.transpose();
  const Schedule schedule = Schedule::linear(100, 1e-3, 0.1);
  for (auto [n, c] : {std::pair<Index, double>{30, 0.01}, std::pair<Index, double>{240, 0.0}}) {
    for (Objective objective : {Objective::kNoise, Objective::kData}) {
      double average = 0;
      for (Index r = 0; r < repeats; ++r) {
        const Moments m = empirical_moments(testing::gaussian_rows(basis, spectrum, n, rng));
        const ModeSpace modes(symmetric_eigen(m.covariance, default_eigen_solver()));
        const DiagonalModel model = optimal_model(schedule, objective, modes.eigenvalues(), c);
        average += expected_loss(schedule, model, modes, project_moments(modes, Vector::Zero(d), sigma, m.mean)).mean() /
                   repeats;
      }
      const double predicted =
          average_optimal_test_loss(DeterministicEquivalent(spectrum, n), schedule, c, objective).mean();
      EXPECT_NEAR(predicted / average, 1.0, 0.03) << "N = " << n << ", " << enum_name(objective);
    }
  }
}

// The analytic z-derivatives agree with central differences of the functions they differentiate.
TEST(DeterministicEquivalent, AnalyticDerivativesMatchFiniteDifferences) {
  for (Index n : {30, 200}) {  // N < d and N > d
    const DeterministicEquivalent equivalent(power_law_spectrum(50, 1.0), n);
    const double z = 0.2, h = 1e-5;
    const auto at = equivalent.traces(z), plus = equivalent.traces(z + h), minus = equivalent.traces(z - h);
    EXPECT_NEAR(at.resolvent, (plus.log_det - minus.log_det) / (2 * h), 1e-6 * at.resolvent) << n;
    EXPECT_NEAR(at.resolvent_squared, -(plus.resolvent - minus.resolvent) / (2 * h), 1e-6 * at.resolvent_squared) << n;
    EXPECT_NEAR(at.sigma_squared, -(plus.sigma - minus.sigma) / (2 * h), 1e-6 * at.sigma_squared) << n;
    // kappa solves its fixed-point equation.
    const double k = equivalent.kappa(z);
    const Vector lambda = power_law_spectrum(50, 1.0);
    EXPECT_NEAR(k * (1 - (lambda.array() / (lambda.array() + k)).sum() / (n - 1)), z, 1e-13);
  }
}

}  // namespace
}  // namespace lindiff
