#include "src/theory/spectrum_stats.h"

#include <gtest/gtest.h>

#include <random>

#include "src/theory/moments.h"
#include "tests/theory/test_util.h"

namespace lindiff {
namespace {

TEST(ParticipationRatio, KnownSpectra) {
  EXPECT_DOUBLE_EQ(participation_ratio(Vector::Ones(10)), 10.0);
  EXPECT_DOUBLE_EQ(participation_ratio(Vector::Unit(10, 3)), 1.0);
  Vector two(4);
  two << 3, 3, 0, 0;
  EXPECT_DOUBLE_EQ(participation_ratio(two), 2.0);
  Vector harmonic(3);
  harmonic << 1, 0.5, 1.0 / 3;
  const double sum = 1 + 0.5 + 1.0 / 3, squares = 1 + 0.25 + 1.0 / 9;
  EXPECT_NEAR(participation_ratio(harmonic), sum * sum / squares, 1e-15);
  EXPECT_EQ(participation_ratio(Vector::Zero(5)), 0.0);
}

TEST(PowerLawSpectrum, HasTraceDAndExactRatios) {
  const Vector values = power_law_spectrum(100, 1.5);
  EXPECT_NEAR(values.sum(), 100.0, 1e-10);
  EXPECT_NEAR(values(0) / values(3), std::pow(4.0, 1.5), 1e-12);
}

TEST(PowerLawFit, RecoversExactExponent) {
  const PowerLawFit fit = fit_power_law(power_law_spectrum(200, 1.7), 5, 150);
  EXPECT_NEAR(fit.exponent, 1.7, 1e-12);
  EXPECT_NEAR(fit.r_squared, 1.0, 1e-12);
  EXPECT_EQ(fit.first_rank, 5);
  EXPECT_EQ(fit.last_rank, 150);
}

TEST(PowerLawFit, StopsAtFirstNonPositiveEigenvalue) {
  Vector values = power_law_spectrum(50, 1.0);
  values.tail(20).setZero();
  const PowerLawFit fit = fit_power_law(values, 1, 0);
  EXPECT_EQ(fit.last_rank, 30);
  EXPECT_NEAR(fit.exponent, 1.0, 1e-12);
  EXPECT_THROW(fit_power_law(values, 30, 0), std::invalid_argument);
  EXPECT_THROW(fit_power_law(values, 0, 10), std::invalid_argument);
}

TEST(RelativeFrobeniusError, KnownValue) {
  const Matrix reference = Matrix::Identity(4, 4);
  Matrix estimate = reference;
  estimate(0, 1) = 1;
  EXPECT_DOUBLE_EQ(relative_frobenius_error(estimate, reference), 0.25);
  EXPECT_THROW(relative_frobenius_error(Matrix::Zero(2, 2), reference), std::invalid_argument);
}

// Monte Carlo check of E||Sigma0 - Sigma||^2 / ||Sigma||^2 = ((N-1)(1 + d_eff) + 1) / N^2
// for Gaussian data. Tolerance: 4 Monte Carlo standard errors.
TEST(ExpectedCovarianceError, MatchesMonteCarloForGaussianData) {
  std::mt19937_64 rng(11);
  const Index d = 8, n = 20, repeats = 4000;
  const Vector values = power_law_spectrum(d, 1.0);
  const Matrix basis = haar_orthogonal(d, rng);
  const Matrix sigma = basis * values.asDiagonal() * basis.transpose();
  Vector errors(repeats), errors_vs_estimate(repeats);
  const Index m = 50;
  for (Index r = 0; r < repeats; ++r) {
    const Moments train = empirical_moments(testing::gaussian_rows(basis, values, n, rng));
    const Moments held_out = empirical_moments(testing::gaussian_rows(basis, values, m, rng));
    errors(r) = relative_frobenius_error(train.covariance, sigma);
    // Relative to the held-out estimate, normalised by the true ||Sigma||^2 as in the formula.
    errors_vs_estimate(r) = (train.covariance - held_out.covariance).squaredNorm() / sigma.squaredNorm();
  }
  auto check = [](const Vector& samples, double expected) {
    const double mean = samples.mean();
    const double se = std::sqrt((samples.array() - mean).square().sum() / (samples.size() - 1) / samples.size());
    EXPECT_NEAR(mean, expected, 4 * se) << "expected " << expected << ", Monte Carlo " << mean << " +- " << se;
  };
  const double d_eff = participation_ratio(values);
  check(errors, expected_covariance_error(d_eff, n));
  check(errors_vs_estimate, expected_covariance_error(d_eff, n, m));
}

}  // namespace
}  // namespace lindiff
