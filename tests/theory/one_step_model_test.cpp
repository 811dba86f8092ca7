#include "src/theory/one_step_model.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "src/common/random_matrices.h"
#include "src/theory/gaussian_kl.h"

namespace lindiff {
namespace {

// d = 1, N = 3, x0 = (0, 1, 2), z = (1, -1, 0): with a = e^{-T}, s = sqrt(l (1 - e^{-2T})) the
// centred products are sum dx0 dxT = 2a - s and sum dxT^2 = 2a^2 + 2s^2 - 2as, so the slope
// is their ratio, the intercept 1 - slope * a, and the generated variance l slope^2.
TEST(OneStepModel, OlsMapAndGeneratedVarianceByHand) {
  Matrix x0(3, 1), z(3, 1);
  x0 << 0, 1, 2;
  z << 1, -1, 0;
  const OneStepSpec spec{0.5, 2.0, true};
  const double a = std::exp(-0.5), s = std::sqrt(2.0 * (1 - std::exp(-1.0)));
  const double slope = (2 * a - s) / (2 * a * a + 2 * s * s - 2 * a * s);
  const OneStepModel model = fit_one_step(x0, z, spec);
  EXPECT_NEAR(model.map(0, 0), slope, 1e-12);
  EXPECT_NEAR(model.intercept(0), 1 - slope * a, 1e-12);
  const Gaussian generated = one_step_distribution(model);
  EXPECT_NEAR(generated.covariance(0, 0), 2.0 * slope * slope, 1e-12);
  EXPECT_NEAR(generated.mean(0), 1 - slope * a, 1e-12);
}

TEST(OneStepModel, WithoutInterceptTheMapPassesThroughZero) {
  Matrix x0(2, 1), z(2, 1);
  x0 << 1, 2;
  z << 0.5, -0.5;
  const OneStepModel model = fit_one_step(x0, z, OneStepSpec{1.0, 1.0, false});
  const double a = std::exp(-1.0), s = std::sqrt(1 - std::exp(-2.0));
  const double xt1 = a + 0.5 * s, xt2 = 2 * a - 0.5 * s;
  EXPECT_NEAR(model.map(0, 0), (xt1 * 1 + xt2 * 2) / (xt1 * xt1 + xt2 * xt2), 1e-12);
  EXPECT_EQ(model.intercept(0), 0.0);
}

// N <= d: the minimum-norm map has rank N - 1 (with intercept), so the generated Gaussian is
// singular: KL is infinite and the squared Hellinger distance is exactly 1.
TEST(OneStepModel, FewSamplesGiveASingularGaussian) {
  std::mt19937_64 rng(51);
  const Index d = 6, n = 4;
  const Matrix x0 = gaussian_matrix(n, d, rng), z = gaussian_matrix(n, d, rng);
  const Gaussian generated = one_step_distribution(fit_one_step(x0, z, OneStepSpec{}));
  const Gaussian data{Vector::Zero(d), Matrix::Identity(d, d)};
  Eigen::JacobiSVD<Matrix> svd(generated.covariance);
  EXPECT_LT(svd.singularValues()(n - 1), 1e-10 * svd.singularValues()(0)) << "rank should be N - 1";
  EXPECT_TRUE(std::isinf(gaussian_kl(generated, data)));
  EXPECT_EQ(squared_hellinger(generated, data), 1.0);
}

TEST(SquaredHellinger, ClosedFormsInOneDimension) {
  const Gaussian standard{Vector::Zero(1), Matrix::Identity(1, 1)};
  const Gaussian shifted{Vector::Ones(1), Matrix::Identity(1, 1)};
  const Gaussian wide{Vector::Zero(1), Matrix::Constant(1, 1, 4.0)};
  EXPECT_NEAR(squared_hellinger(standard, standard), 0.0, 1e-15);
  EXPECT_NEAR(squared_hellinger(standard, shifted), 1 - std::exp(-1.0 / 8), 1e-15);
  // 1 - sqrt(2 s1 s2 / (s1^2 + s2^2)) for equal means, s = standard deviations 1 and 2.
  EXPECT_NEAR(squared_hellinger(standard, wide), 1 - std::sqrt(2.0 * 2 / 5), 1e-15);
}

// The closed-form MMD against Monte Carlo draws from P (d = 2, 400000 pairs): within 4 standard errors.
TEST(GaussianMmd, MatchesMonteCarlo) {
  std::mt19937_64 rng(52);
  const Index d = 2;
  Gaussian p{Vector(d), Matrix(d, d)};
  p.mean << 0.3, -0.2;
  p.covariance << 1.0, 0.3, 0.3, 0.5;
  const Matrix samples = gaussian_matrix(5, d, rng);
  const double h = 1.3;
  const double exact = gaussian_mmd_squared(p, samples, h);
  const Eigen::LLT<Matrix> root(p.covariance);
  const Index draws = 400000;
  auto draw = [&] { return Vector(p.mean + root.matrixL() * gaussian_matrix(d, 1, rng)); };
  auto k = [h](const Vector& x, const Vector& y) { return std::exp(-(x - y).squaredNorm() / (2 * h * h)); };
  double empirical = 0;
  for (Index i = 0; i < 5; ++i)
    for (Index j = 0; j < 5; ++j) empirical += k(samples.row(i).transpose(), samples.row(j).transpose()) / 25;
  Vector terms(draws);
  for (Index r = 0; r < draws; ++r) {
    const Vector x = draw(), x2 = draw();
    double cross = 0;
    for (Index i = 0; i < 5; ++i) cross += k(x, samples.row(i).transpose()) / 5;
    terms(r) = k(x, x2) - 2 * cross + empirical;
  }
  const double mean = terms.mean();
  const double se = std::sqrt((terms.array() - mean).square().sum() / (draws - 1) / draws);
  EXPECT_NEAR(exact, mean, 4 * se);
}

// Halder's setting in small: isotropic data with mean 10. With N < d the fitted model
// generates only inside the span of its training set and sits closer to it than to fresh
// data (Delta < 0); with N >> d it generalises (Delta ~ 0) and its Hellinger distance falls.
TEST(MemorisationDelta, NegativeWhenMemorisingNearZeroWhenGeneralising) {
  std::mt19937_64 rng(53);
  const Index d = 10;
  const double h = std::sqrt(2.0 * d);
  const Gaussian population{Vector::Constant(d, 10.0), Matrix::Identity(d, d)};
  auto draw = [&](Index n) { return Matrix(gaussian_matrix(n, d, rng).array() + 10.0); };
  double delta_small = 0, delta_large = 0, hellinger_small = 0, hellinger_large = 0;
  for (Index n : {5, 2000}) {
    const Matrix train = draw(n), fresh = draw(n);
    const Gaussian generated = one_step_distribution(fit_one_step(train, gaussian_matrix(n, d, rng), OneStepSpec{}));
    const double delta = memorisation_delta(generated, train, fresh, h);
    const double hellinger = squared_hellinger(generated, population);
    (n == 5 ? delta_small : delta_large) = delta;
    (n == 5 ? hellinger_small : hellinger_large) = hellinger;
  }
  EXPECT_LT(delta_small, -0.01) << "a 4-dimensional model of 5 points should sit on its training set";
  EXPECT_NEAR(delta_large, 0.0, 0.01);
  EXPECT_EQ(hellinger_small, 1.0);
  EXPECT_LT(hellinger_large, hellinger_small);
}

}  // namespace
}  // namespace lindiff
