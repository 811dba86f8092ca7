#include "src/theory/expected_loss.h"

#include <gtest/gtest.h>

#include <random>

#include "src/common/random_matrices.h"

namespace lindiff {
namespace {

struct LossSetup {
  Index d = 5, r = 3;
  Matrix full;
  ModeSpace modes{EigenSystem{}};
  Vector mean, bias;
  Matrix covariance;
};

LossSetup make_setup(std::mt19937_64& rng) {
  LossSetup s;
  s.full = haar_orthogonal(s.d, rng);
  EigenSystem eigen;
  eigen.values = Vector::Zero(s.d);
  eigen.values.head(s.r) << 2.0, 0.7, 0.2;
  eigen.vectors = s.full.leftCols(s.r);
  s.modes = ModeSpace(eigen);
  s.mean = gaussian_matrix(s.d, 1, rng);
  s.bias = gaussian_matrix(s.d, 1, rng);
  const Matrix a = gaussian_matrix(s.d, s.d, rng);
  s.covariance = a * a.transpose() / s.d;  // not diagonal in the mode basis
  return s;
}

WeightSource dense_from(const LossSetup& s, const DiagonalModel& model) {
  return [&s, &model](int t, Matrix& w, Vector& b) {
    Vector per_direction(s.d);
    for (Index g = 0; g < s.r; ++g) per_direction(g) = model.weights(t - 1, g);
    per_direction.tail(s.d - s.r).setConstant(model.weights(t - 1, s.r));
    w = s.full * per_direction.asDiagonal() * s.full.transpose();
    b = s.bias;
  };
}

TEST(ExpectedLoss, DiagonalPathEqualsDensePath) {
  std::mt19937_64 rng(21);
  const LossSetup s = make_setup(rng);
  const Schedule schedule = Schedule::linear(30, 1e-3, 0.2);
  for (Objective objective : {Objective::kNoise, Objective::kData}) {
    const DiagonalModel model = gradient_descent_model(schedule, objective, s.modes.eigenvalues(), 0.1, 1.0, 25, s.d);
    const Vector fast =
        expected_loss(schedule, model, s.modes, project_moments(s.modes, s.mean, s.covariance, s.bias));
    const Vector dense = expected_loss_dense(schedule, objective, dense_from(s, model), s.mean, s.covariance);
    EXPECT_LT((fast - dense).cwiseAbs().maxCoeff(), 1e-12) << enum_name(objective);
  }
}

// The data loss is the noise loss reweighted by (1 - abar)/abar for the same model.
TEST(ExpectedLoss, DataLossIsReweightedNoiseLoss) {
  std::mt19937_64 rng(22);
  const LossSetup s = make_setup(rng);
  const Schedule schedule = Schedule::linear(30, 1e-3, 0.2);
  const DiagonalModel data = gradient_descent_model(schedule, Objective::kData, s.modes.eigenvalues(), 0.0, 1.0, 7, s.d);
  RowMatrix w(schedule.steps(), s.modes.groups());
  for (int t = 1; t <= schedule.steps(); ++t)
    for (Index g = 0; g < s.modes.groups(); ++g) w(t - 1, g) = data.noise_weight(schedule, t, g);
  const DiagonalModel noise = diagonal_model(schedule, Objective::kNoise, w);
  const ModeMoments moments = project_moments(s.modes, s.mean, s.covariance, s.bias);
  const Vector data_loss = expected_loss(schedule, data, s.modes, moments);
  const Vector noise_loss = expected_loss(schedule, noise, s.modes, moments);
  for (int t = 1; t <= schedule.steps(); ++t) {
    EXPECT_NEAR(data_loss(t - 1), noise_loss(t - 1) * schedule.one_minus_abar(t) / schedule.abar(t),
                1e-12 * (1 + data_loss(t - 1)));
  }
}

// Monte Carlo: the average of ||eps - W (x_t - sqrt(abar) b)||^2 / d over 200000 draws of
// Gaussian x0 and eps matches the exact loss within 4 standard errors.
TEST(ExpectedLoss, MatchesMonteCarloEstimate) {
  std::mt19937_64 rng(23);
  const Index d = 4, samples = 200000;
  const Schedule schedule = Schedule::linear(10, 0.01, 0.3);
  const Matrix w = gaussian_matrix(d, d, rng);
  const Vector b = gaussian_matrix(d, 1, rng), m = gaussian_matrix(d, 1, rng);
  const Matrix root = gaussian_matrix(d, d, rng) * 0.7;
  const Matrix covariance = root * root.transpose();
  const int t = 6;
  const WeightSource weights = [&](int, Matrix& wt, Vector& bt) { wt = w, bt = b; };
  for (Objective objective : {Objective::kNoise, Objective::kData}) {
    const double exact = expected_loss_dense(schedule, objective, weights, m, covariance)(t - 1);
    const Matrix x0 = (root * gaussian_matrix(d, samples, rng)).colwise() + m;
    const Matrix eps = gaussian_matrix(d, samples, rng);
    const Matrix xt = std::sqrt(schedule.abar(t)) * x0 + std::sqrt(schedule.one_minus_abar(t)) * eps;
    const Matrix input = xt.colwise() - std::sqrt(schedule.abar(t)) * b;
    const Matrix error = objective == Objective::kNoise ? Matrix(eps - w * input)
                                                        : Matrix(x0 - ((w * input).colwise() + b));
    const Vector per_sample = error.colwise().squaredNorm().transpose() / static_cast<double>(d);
    const double mean = per_sample.mean();
    const double se = std::sqrt((per_sample.array() - mean).square().sum() / (samples - 1) / samples);
    EXPECT_NEAR(mean, exact, 4 * se) << enum_name(objective);
  }
}

// The optimum minimises the training loss on Sigma0 + c I: nudging any weight raises it.
TEST(ExpectedLoss, OptimumIsAMinimum) {
  const Schedule schedule = Schedule::linear(50);
  EigenSystem eigen;
  eigen.values = Vector(3);
  eigen.values << 1.5, 0.4, 0.0;
  eigen.vectors = Matrix::Identity(3, 3);
  const ModeSpace modes(eigen);
  const double c = 0.05;
  ModeMoments regularised = training_moments(modes);
  regularised.variance.array() += c * modes.multiplicity().array();
  for (Objective objective : {Objective::kNoise, Objective::kData}) {
    const DiagonalModel best = optimal_model(schedule, objective, modes.eigenvalues(), c);
    const Vector base = expected_loss(schedule, best, modes, regularised);
    for (double delta : {1e-3, -1e-3}) {
      RowMatrix nudged = best.weights;
      nudged.array() += delta;
      const Vector moved = expected_loss(schedule, diagonal_model(schedule, objective, nudged), modes, regularised);
      EXPECT_TRUE(((moved - base).array() > 0).all()) << enum_name(objective);
    }
  }
}

// One full-batch gradient step on the mean-over-t loss, with the gradient taken by central
// differences of expected_loss, lands where the closed-form trajectory says (section 4).
TEST(GradientDescentModel, MatchesExplicitStepsOnTheExactLoss) {
  const Schedule schedule = Schedule::linear(8, 0.01, 0.3);
  EigenSystem eigen;
  eigen.values = Vector(2);
  eigen.values << 2.0, 0.3;
  eigen.vectors = Matrix::Identity(2, 2);
  const ModeSpace modes(eigen);
  const ModeMoments data = training_moments(modes);
  const double eta = 3.0, c = 0.0;
  for (Objective objective : {Objective::kNoise, Objective::kData}) {
    RowMatrix weights = RowMatrix::Zero(schedule.steps(), modes.groups());
    for (int step = 1; step <= 5; ++step) {
      RowMatrix gradient(weights.rows(), weights.cols());
      for (Index i = 0; i < weights.size(); ++i) {
        RowMatrix plus = weights, minus = weights;
        plus.data()[i] += 1e-5;
        minus.data()[i] -= 1e-5;
        gradient.data()[i] = (expected_loss(schedule, diagonal_model(schedule, objective, plus), modes, data).mean() -
                              expected_loss(schedule, diagonal_model(schedule, objective, minus), modes, data).mean()) /
                             2e-5;
      }
      weights -= eta * gradient;
      const DiagonalModel theory = gradient_descent_model(schedule, objective, modes.eigenvalues(), c, eta, step, 2);
      EXPECT_LT((theory.weights - weights).cwiseAbs().maxCoeff(), 1e-8) << enum_name(objective) << " step " << step;
    }
    const DiagonalModel converged = gradient_descent_model(schedule, objective, modes.eigenvalues(), c, eta, 1e9, 2);
    const DiagonalModel optimum = optimal_model(schedule, objective, modes.eigenvalues(), c);
    EXPECT_LT((converged.weights - optimum.weights).cwiseAbs().maxCoeff(), 1e-12);
  }
}

TEST(GradientDescentModel, RejectsUnstableLearningRate) {
  const Schedule schedule = Schedule::linear(2);
  EXPECT_THROW(gradient_descent_model(schedule, Objective::kNoise, Vector::Ones(1), 0.0, 10.0, 1, 1),
               std::invalid_argument);
}

}  // namespace
}  // namespace lindiff
