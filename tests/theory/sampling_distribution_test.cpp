#include "src/theory/sampling_distribution.h"

#include <gtest/gtest.h>

#include <random>

#include "src/common/random_matrices.h"

namespace lindiff {
namespace {

Vector values(std::initializer_list<double> list) {
  Vector v(static_cast<Index>(list.size()));
  Index i = 0;
  for (double x : list) v(i++) = x;
  return v;
}

// docs/theory.md#sampling-reference-values (T = 1000, beta 1e-4..2e-2, optimum, no final noise).
// Tolerance: half a unit in the last quoted digit.
TEST(SamplingDistribution, ReferenceValuesWithoutRegularisation) {
  const Schedule s = Schedule::linear(1000);
  const Vector lambda = values({0.0, 0.01, 1.0, 10.0});
  for (Objective objective : {Objective::kNoise, Objective::kData}) {
    const DiagonalSampling out = sampling_distribution(s, optimal_model(s, objective, lambda, 0.0), false);
    EXPECT_EQ(out.variance(0), 0.0) << "lambda = 0 is exactly unseen";
    EXPECT_NEAR(out.variance(1), 0.0101537, 0.5e-7);
    EXPECT_NEAR(out.variance(2), 0.9999, 0.5e-4);
    EXPECT_NEAR(out.variance(3), 9.96449, 0.5e-5);
    EXPECT_NEAR(out.mean_gain(3), 0.999597, 0.5e-6);
    EXPECT_DOUBLE_EQ(out.mean_gain(0), 1.0);
  }
}

TEST(SamplingDistribution, ReferenceValuesWithRegularisation) {
  const Schedule s = Schedule::linear(1000);
  const DiagonalSampling out =
      sampling_distribution(s, optimal_model(s, Objective::kNoise, values({0.0, 0.01, 1.0, 10.0}), 0.01), false);
  EXPECT_NEAR(out.variance(0), 0.0101537, 0.5e-7);
  EXPECT_NEAR(out.variance(1), 0.0202476, 0.5e-7);
  EXPECT_NEAR(out.variance(2), 1.00988, 0.5e-5);
  EXPECT_NEAR(out.variance(3), 9.97444, 0.5e-5);
}

TEST(SamplingDistribution, FinalNoiseAddsBetaOne) {
  const Schedule s = Schedule::linear(1000);
  const DiagonalModel model = optimal_model(s, Objective::kNoise, values({0.0, 1.0}), 0.0);
  const DiagonalSampling without = sampling_distribution(s, model, false);
  const DiagonalSampling with = sampling_distribution(s, model, true);
  EXPECT_NEAR(with.variance(0), s.beta(1), 1e-18);
  EXPECT_NEAR(with.variance(1) - without.variance(1), s.beta(1), 1e-15);
}

// The eigenbasis recursion equals the dense recursion for weights diagonal in a random
// basis, with an incomplete basis (complement group) and a bias, for both objectives.
TEST(SamplingDistribution, EigenbasisRecursionEqualsDenseRecursion) {
  std::mt19937_64 rng(5);
  const Index d = 6, r = 4;
  const Schedule s = Schedule::linear(60);
  const Matrix full = haar_orthogonal(d, rng);
  EigenSystem eigen;
  eigen.values = values({3.0, 1.0, 0.5, 0.1, 0.0, 0.0});
  eigen.vectors = full.leftCols(r);
  const ModeSpace modes(eigen);
  ASSERT_EQ(modes.groups(), r + 1);
  const Vector bias = gaussian_matrix(d, 1, rng);
  for (Objective objective : {Objective::kNoise, Objective::kData}) {
    // A partly trained model, so that no weight is at its optimum.
    const DiagonalModel model = gradient_descent_model(s, objective, modes.eigenvalues(), 0.05, 2.0, 40.0, d);
    const Gaussian fast = to_gaussian(modes, sampling_distribution(s, model, false), bias);
    const WeightSource dense_weights = [&](int t, Matrix& w, Vector& b) {
      Vector per_direction(d);
      for (Index g = 0; g < r; ++g) per_direction(g) = model.weights(t - 1, g);
      per_direction.tail(d - r).setConstant(model.weights(t - 1, r));
      w = full * per_direction.asDiagonal() * full.transpose();
      b = bias;
    };
    const Gaussian dense = sampling_distribution_dense(s, objective, dense_weights, d, false);
    EXPECT_LT((fast.mean - dense.mean).cwiseAbs().maxCoeff(), 1e-12) << enum_name(objective);
    EXPECT_LT((fast.covariance - dense.covariance).cwiseAbs().maxCoeff(), 1e-12) << enum_name(objective);
  }
}

TEST(SamplingDistribution, NoiseAndDataOptimaSampleTheSameDistribution) {
  const Schedule s = Schedule::linear(1000);
  const Vector lambda = values({5.0, 0.3, 1e-3, 0.0});
  for (double c : {0.0, 0.02}) {
    const DiagonalSampling noise = sampling_distribution(s, optimal_model(s, Objective::kNoise, lambda, c), false);
    const DiagonalSampling data = sampling_distribution(s, optimal_model(s, Objective::kData, lambda, c), false);
    EXPECT_LT((noise.variance - data.variance).cwiseAbs().maxCoeff(), 1e-13);
    EXPECT_LT((noise.mean_gain - data.mean_gain).cwiseAbs().maxCoeff(), 1e-13);
    // And the weights are related by w = (1 - sqrt(abar) v) / sqrt(1 - abar).
    const DiagonalModel v = optimal_model(s, Objective::kData, lambda, c);
    const DiagonalModel w = optimal_model(s, Objective::kNoise, lambda, c);
    for (int t : {1, 10, 500, 1000}) EXPECT_NEAR(v.noise_weight(s, t, 1), w.weights(t - 1, 1), 1e-9);
  }
}

// Monte Carlo: run the sampler itself with a dense linear model in d = 3 and compare the
// sample mean and covariance with the exact Gaussian. M = 100000 samples; tolerance 4
// standard errors (Var of a covariance entry is (P_ii P_jj + P_ij^2) / M).
TEST(SamplingDistribution, MatchesMonteCarloSamplesOfTheSameModel) {
  std::mt19937_64 rng(9);
  const Index d = 3, samples = 100000;
  const Schedule s = Schedule::linear(20, 0.01, 0.2);
  std::vector<Matrix> w(20);
  std::vector<Vector> b(20);
  for (int t = 0; t < 20; ++t) {
    w[t] = 0.3 * gaussian_matrix(d, d, rng) + Matrix::Identity(d, d);
    b[t] = gaussian_matrix(d, 1, rng);
  }
  const WeightSource weights = [&](int t, Matrix& wt, Vector& bt) { wt = w[t - 1], bt = b[t - 1]; };
  const Gaussian exact = sampling_distribution_dense(s, Objective::kNoise, weights, d, false);

  Matrix u = gaussian_matrix(d, samples, rng);
  for (int t = 20; t >= 1; --t) {
    const Matrix eps_hat = w[t - 1] * (u.colwise() - std::sqrt(s.abar(t)) * b[t - 1]);
    u = (u - s.sampler_gain(t) * eps_hat) / std::sqrt(s.alpha(t));
    if (t > 1) u += std::sqrt(s.beta(t)) * gaussian_matrix(d, samples, rng);
  }
  const Vector mean = u.rowwise().mean();
  const Matrix centered = u.colwise() - mean;
  const Matrix covariance = centered * centered.transpose() / static_cast<double>(samples);
  for (Index i = 0; i < d; ++i) {
    EXPECT_NEAR(mean(i), exact.mean(i), 4 * std::sqrt(exact.covariance(i, i) / samples));
    for (Index j = 0; j < d; ++j) {
      const double se = std::sqrt((exact.covariance(i, i) * exact.covariance(j, j) +
                                   exact.covariance(i, j) * exact.covariance(i, j)) / samples);
      EXPECT_NEAR(covariance(i, j), exact.covariance(i, j), 4 * se) << i << "," << j;
    }
  }
}

}  // namespace
}  // namespace lindiff
