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

// LDM.py's conventions by hand (N = 6 > d = 2, so least squares is unique): A = S_xy S_yy^{-1}
// from the centred products, b = mean(x) - A mean(y); x_T ~ N(e^{-T} mean(x), s^2 I) with
// s^2 = e^{-2T} v + l (1 - e^{-2T}), v the mean unbiased coordinate variance; generated mean
// A e^{-T} mean(x) + b, covariance s^2 A^T A (transposed) or s^2 A A^T (push-forward).
TEST(OneStepModel, FittedPriorAndTransposedCovarianceByHand) {
  std::mt19937_64 rng(54);
  const Index n = 6, d = 2;
  const double time = 1.5, level = std::exp(-3.0);
  const Matrix x0 = (gaussian_matrix(n, d, rng).array() + 4.0).matrix(), z = gaussian_matrix(n, d, rng);
  const double signal = std::exp(-time), noise = std::sqrt(level * (1 - std::exp(-2 * time)));
  const Matrix y = signal * x0 + noise * z;
  const Vector x_mean = x0.colwise().mean().transpose(), y_mean = y.colwise().mean().transpose();
  const Matrix xc = x0.rowwise() - x_mean.transpose(), yc = y.rowwise() - y_mean.transpose();
  const Matrix a = (xc.transpose() * yc) * (yc.transpose() * yc).inverse();
  const Vector b = x_mean - a * y_mean;
  const double v = xc.squaredNorm() / ((n - 1) * d);
  const double s2 = signal * signal * v + level * (1 - signal * signal);
  OneStepSpec spec{time, level, true, OneStepPrior::kFitted, OneStepCovariance::kTransposed};
  const Gaussian transposed = one_step_distribution(fit_one_step(x0, z, spec));
  EXPECT_LT((transposed.mean - (a * signal * x_mean + b)).norm(), 1e-10);
  EXPECT_LT((transposed.covariance - s2 * a.transpose() * a).norm(), 1e-10 * s2 * a.squaredNorm());
  spec.covariance = OneStepCovariance::kPushforward;
  const Gaussian pushforward = one_step_distribution(fit_one_step(x0, z, spec));
  EXPECT_LT((pushforward.covariance - s2 * a * a.transpose()).norm(), 1e-10 * s2 * a.squaredNorm());
  EXPECT_GT((pushforward.covariance - transposed.covariance).norm(), 1e-3 * pushforward.covariance.norm())
      << "A is not symmetric here: the two conventions must differ";
  EXPECT_THROW(fit_one_step(x0.topRows(1), z.topRows(1), OneStepSpec{time, level, true, OneStepPrior::kFitted}),
               std::invalid_argument);
}

// \int q^2 and \int p q of the kernel density estimate in closed form against the trapezoid
// rule on a grid (d = 1: 40001 points on [-12, 12]; d = 2: 801^2 on [-8, 8]^2; the integrands
// are smooth and negligible at the edges): relative 1e-9 and 1e-7.
TEST(KdeL2, PartsMatchNumericalIntegration) {
  const auto density = [](const Vector& x, const Vector& mean, const Matrix& covariance) {
    const Eigen::LLT<Matrix> llt(covariance);
    const Vector w = llt.matrixL().solve(x - mean);
    const double log_det = 2 * llt.matrixLLT().diagonal().array().log().sum();
    return std::exp(-0.5 * w.squaredNorm() - 0.5 * (x.size() * std::log(2 * M_PI) + log_det));
  };
  struct Case { Gaussian p; Matrix set; double sigma; double half_width; Index points; double tolerance; };
  Case one{{Vector::Constant(1, 0.3), Matrix::Constant(1, 1, 0.8)}, Matrix(3, 1), 0.9, 12.0, 40001, 1e-9};
  one.set << -0.5, 0.2, 1.1;
  Case two{{Vector(2), Matrix(2, 2)}, Matrix(3, 2), 1.0, 8.0, 801, 1e-7};
  two.p.mean << 0.2, -0.4;
  two.p.covariance << 1.0, 0.4, 0.4, 0.6;
  two.set << 0.0, 0.5, -1.0, 0.3, 0.7, -0.9;
  for (const Case& c : {one, two}) {
    const Index d = c.p.mean.size(), k = c.set.rows();
    const double eps = c.sigma * std::pow(static_cast<double>(k), -1.0 / static_cast<double>(d));
    const Matrix kernel = eps * eps * Matrix::Identity(d, d);
    const double h = 2 * c.half_width / static_cast<double>(c.points - 1);
    double q_squared = 0, p_q = 0;
    Vector x(d);
    const Index cells = d == 1 ? c.points : c.points * c.points;
    for (Index cell = 0; cell < cells; ++cell) {
      const Index i = cell % c.points, j = cell / c.points;
      x(0) = -c.half_width + h * static_cast<double>(i);
      if (d == 2) x(1) = -c.half_width + h * static_cast<double>(j);
      double weight = (i == 0 || i == c.points - 1) ? 0.5 : 1.0;
      if (d == 2) weight *= (j == 0 || j == c.points - 1) ? 0.5 : 1.0;
      double q = 0;
      for (Index s = 0; s < k; ++s) q += density(x, c.set.row(s).transpose(), kernel) / static_cast<double>(k);
      q_squared += weight * q * q;
      p_q += weight * q * density(x, c.p.mean, c.p.covariance);
    }
    const double volume = std::pow(h, static_cast<double>(d));
    q_squared *= volume;
    p_q *= volume;
    const KdeL2Parts parts = kde_l2_parts(c.p, c.set, c.sigma);
    EXPECT_NEAR(std::exp(parts.log_diagonal) + std::exp(parts.log_off_diagonal), q_squared, c.tolerance * q_squared) << d;
    EXPECT_NEAR(std::exp(parts.log_cross), p_q, c.tolerance * p_q) << d;
  }
}

// d = 100, one point per set (K = 1, eps = sigma): e_S = (4 pi sigma^2)^{-d/2} - 2 N(s; m, C),
// C = (c + sigma^2) I, so Delta = -2 (N(x; m, C) - N(y; m, C)) in closed form. The points sit
// ~13.6 from the mean, where N / (4 pi sigma^2)^{-d/2} ~ 1e-21: subtracting the two e_S in
// double loses Delta entirely, the parts keep it to 1e-9.
TEST(KdeL2, DeltaSurvivesWhereTheCommonDiagonalSwampsDouble) {
  const Index d = 100;
  const double c = 1.0, sigma = 1.0, variance = c + sigma * sigma;
  const Gaussian p{Vector::Zero(d), c * Matrix::Identity(d, d)};
  Matrix x = Matrix::Zero(1, d), y = Matrix::Zero(1, d);
  x(0, 0) = 13.6;
  y(0, 0) = 13.7;
  const SignedDelta delta = kde_l2_delta(kde_l2_parts(p, x, sigma), kde_l2_parts(p, y, sigma));
  const double log_normaliser = -0.5 * d * std::log(2 * M_PI * variance);
  const double expected = -2 * (std::exp(log_normaliser - 13.6 * 13.6 / (2 * variance)) -
                                std::exp(log_normaliser - 13.7 * 13.7 / (2 * variance)));
  EXPECT_EQ(delta.sign, -1) << "the training point is the closer one: memorising";
  EXPECT_NEAR(delta.value, expected, 1e-9 * std::abs(expected));
  const double diagonal = std::pow(4 * M_PI * sigma * sigma, -0.5 * d);
  EXPECT_LT(std::abs(expected), 1e-15 * diagonal) << "the case must be beyond double precision of e_S";
  EXPECT_EQ(kde_l2_delta(kde_l2_parts(p, y, sigma), kde_l2_parts(p, x, sigma)).sign, 1);
  EXPECT_EQ(kde_l2_delta(kde_l2_parts(p, x, sigma), kde_l2_parts(p, x, sigma)).sign, 0);
}

// K = 1100 rows (three 512-row blocks, the last partial, so block pairs above the diagonal are
// counted twice and running maxima merge), a tight far cluster last so that a later block
// raises the maximum: the off-diagonal part against a direct double loop, to 1e-10 in the log
// (relative 1e-10 in the sum; distances by GEMM and directly round differently, ~1e-12).
TEST(KdeL2, BlockedOffDiagonalSumMatchesADirectLoop) {
  std::mt19937_64 rng(55);
  const Index k = 1100, d = 2;
  Matrix set = gaussian_matrix(k, d, rng);
  set.bottomRows(100) = (0.01 * gaussian_matrix(100, d, rng)).array() + 30.0;
  const double sigma = 0.8, eps = sigma * std::pow(static_cast<double>(k), -1.0 / d);
  double sum = 0;
  for (Index i = 0; i < k; ++i) {
    for (Index j = 0; j < k; ++j) {
      if (i != j) sum += std::exp(-(set.row(i) - set.row(j)).squaredNorm() / (4 * eps * eps));
    }
  }
  const double expected = std::log(sum) - 0.5 * d * std::log(4 * M_PI * eps * eps) - 2 * std::log(static_cast<double>(k));
  const Gaussian p{Vector::Zero(d), Matrix::Identity(d, d)};
  EXPECT_NEAR(kde_l2_parts(p, set, sigma).log_off_diagonal, expected, 1e-10);
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
