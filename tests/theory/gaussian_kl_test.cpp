#include "src/theory/gaussian_kl.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "src/theory/moments.h"
#include "src/theory/spectrum_stats.h"
#include "tests/theory/test_util.h"

namespace lindiff {
namespace {

Gaussian one_dimensional(double mean, double variance) {
  return Gaussian{Vector::Constant(1, mean), Matrix::Constant(1, 1, variance)};
}

TEST(GaussianKl, OneDimensionalClosedForm) {
  // KL(N(0,1) || N(1,2)) = 1/2 [1/2 - 1 + log 2 + 1/2] = log(2)/2.
  EXPECT_NEAR(gaussian_kl(one_dimensional(0, 1), one_dimensional(1, 2)), 0.5 * std::log(2.0), 1e-15);
  // KL(N(1,2) || N(0,1)) = 1/2 [2 - 1 - log 2 + 1].
  EXPECT_NEAR(gaussian_kl(one_dimensional(1, 2), one_dimensional(0, 1)), 0.5 * (2 - std::log(2.0)), 1e-15);
  EXPECT_EQ(gaussian_kl(one_dimensional(3, 0.5), one_dimensional(3, 0.5)), 0.0);
}

TEST(GaussianKl, SingularCovarianceIsInfiniteNotNan) {
  Gaussian singular{Vector::Zero(2), Matrix::Zero(2, 2)};
  singular.covariance(0, 0) = 1.0;
  const Gaussian regular{Vector::Zero(2), Matrix::Identity(2, 2)};
  EXPECT_TRUE(std::isinf(gaussian_kl(singular, regular)));
  EXPECT_TRUE(std::isinf(gaussian_kl(regular, singular)));
}

struct TrainedOptimum {
  ModeSpace modes;
  Vector mu0;
  DiagonalSampling sampling;
};

TrainedOptimum optimum_on(const DataMatrix& x, const Schedule& schedule, double c) {
  const Moments m = empirical_moments(x);
  Matrix centered = x.cast<double>();
  centered.rowwise() -= m.mean.transpose();
  const EigenSystem eigen = x.rows() < x.cols() ? gram_eigen(centered, default_eigen_solver())
                                                : symmetric_eigen(m.covariance, default_eigen_solver());
  ModeSpace modes(eigen);
  const DiagonalSampling sampling =
      sampling_distribution(schedule, optimal_model(schedule, Objective::kNoise, modes.eigenvalues(), c), false);
  return TrainedOptimum{modes, m.mean, sampling};
}

TEST(GaussianKl, InfiniteForFewSamplesWithoutRegularisationFiniteWithIt) {
  std::mt19937_64 rng(31);
  const Index d = 12;
  const Matrix basis = haar_orthogonal(d, rng);
  const Vector spectrum = power_law_spectrum(d, 1.0);
  const Matrix sigma = basis * spectrum.asDiagonal() * basis.transpose();
  EigenSystem population{spectrum, basis};
  const Schedule schedule = Schedule::linear(1000);
  for (Index n : {5, 12}) {  // N <= d
    const DataMatrix x = testing::gaussian_rows(basis, spectrum, n, rng);
    const TrainedOptimum plain = optimum_on(x, schedule, 0.0);
    const PopulationView view(plain.modes, Vector::Zero(d), population);
    const KlPair kl = view.kl(plain.sampling, plain.mu0);
    EXPECT_TRUE(std::isinf(kl.model_data)) << "N = " << n;
    EXPECT_TRUE(std::isinf(kl.data_model)) << "N = " << n;
    const TrainedOptimum regularised = optimum_on(x, schedule, 0.05);
    const PopulationView view_c(regularised.modes, Vector::Zero(d), population);
    const KlPair finite = view_c.kl(regularised.sampling, regularised.mu0);
    EXPECT_TRUE(std::isfinite(finite.model_data) && finite.model_data > 0) << finite.model_data;
    EXPECT_TRUE(std::isfinite(finite.data_model) && finite.data_model > 0) << finite.data_model;
  }
}

// The O(d^2) mode-space KL equals the dense O(d^3) KL of the same two Gaussians.
TEST(GaussianKl, PopulationViewEqualsDenseKl) {
  std::mt19937_64 rng(32);
  const Index d = 10;
  const Matrix basis = haar_orthogonal(d, rng);
  const Vector spectrum = power_law_spectrum(d, 1.5);
  const Matrix sigma = basis * spectrum.asDiagonal() * basis.transpose();
  const Vector mu = gaussian_matrix(d, 1, rng);
  const Schedule schedule = Schedule::linear(200);
  for (Index n : {6, 40}) {  // with and without a complement group
    DataMatrix x = testing::gaussian_rows(basis, spectrum, n, rng);
    x.rowwise() += mu.transpose().cast<float>();
    const TrainedOptimum fit = optimum_on(x, schedule, 0.03);
    const EigenSystem population{spectrum, basis};
    const PopulationView view(fit.modes, mu, population);
    const KlPair fast = view.kl(fit.sampling, fit.mu0);
    const KlPair dense = kl_pair(to_gaussian(fit.modes, fit.sampling, fit.mu0), Gaussian{mu, sigma});
    EXPECT_NEAR(fast.model_data, dense.model_data, 1e-9 * dense.model_data) << "N = " << n;
    EXPECT_NEAR(fast.data_model, dense.data_model, 1e-9 * dense.data_model) << "N = " << n;
  }
}

}  // namespace
}  // namespace lindiff
