#include <functional>

#include <gtest/gtest.h>

#include <torch/torch.h>

#include "datasets/registry.h"
#include "models/linear_denoiser.h"
#include "src/common/error.h"
#include "src/denoisers/registry.h"
#include "src/analysis/dataset_context.h"
#include "src/diffusion/forward_process.h"
#include "src/tensors/tensor_bridge.h"
#include "src/theory/diagonal_model.h"
#include "src/theory/expected_loss.h"
#include "src/theory/gaussian_kl.h"
#include "src/theory/sampling_distribution.h"
#include "src/training/training_loop.h"
#include "tests/support/synthetic_data.h"

namespace lindiff {
namespace {

// Exact test loss (mean over t) of the module's current weights, through the dense theory path.
double exact_test_loss(LinearDenoiser& model, const Schedule& schedule, const Population& population,
                       Objective objective) {
  const torch::Tensor w = model->stacked_weights().to(torch::kDouble).contiguous();
  const torch::Tensor b = model->stacked_biases().to(torch::kDouble).contiguous();
  const WeightSource weights = [&](int t, Matrix& wt, Vector& bt) {
    wt = as_eigen_matrix(w[t - 1].contiguous());
    bt = as_eigen_vector(b[t - 1].contiguous());
  };
  return expected_loss_dense(schedule, objective, weights, population.mean, population.covariance).mean();
}

// A linear model (d = 8) trained from zero weights, its bias held at the training set's mean, on
// `data`'s pool as `options` say (objective, rate, steps, batch, seed): the setting of the GD
// theory with plain SGD. `at_checkpoint` sees the model at each of options.checkpoints.
LinearDenoiser train_from_zero(const Dataset& data, const TrainingSet& set, const Schedule& schedule,
                               const TrainOptions& options,
                               const std::function<void(LinearDenoiser&, std::int64_t)>& at_checkpoint = nullptr) {
  LinearDenoiser model(LinearDenoiserOptions{8, options.objective, LinearInit::kZero, false, 0},
                       schedule_tensors(schedule).sqrt_abar);
  model->set_bias(to_tensor(set.moments.mean));
  const torch::Tensor rows =
      torch::from_blob(const_cast<float*>(data.pool.data()), {static_cast<std::int64_t>(data.pool.rows()), 8}, torch::kFloat);
  TrainingTarget target{[&](const at::Tensor& x, const at::Tensor& t) { return model->forward(x, t); }, nullptr,
                        model->parameters(), nullptr};
  train(target, rows, schedule, options, [&](std::int64_t step) {
    if (at_checkpoint) at_checkpoint(model, step);
  });
  return model;
}

// Trains the linear model with plain SGD from zero (bias held at mu0) under `shape` and checks
// that the exact test loss of the trained weights stays within 2% of the gradient-descent theory
// with the same rates at every checkpoint, below and above N = d. With batches of 4096 (about
// 200 rows per timestep) the minibatch noise stays below that bar.
void expect_sgd_follows_theory(const RateShape& shape) {
  const Schedule schedule = Schedule::linear(20, 1e-3, 0.2);
  const double eta = 8.0, c = 0.0;
  for (std::int64_t n : {4, 32}) {
    const Dataset data = testing::synthetic_d8(n);
    const Population population = population_of(data, default_eigen_solver());
    const TrainingSet set = training_set(data.pool, "auto", default_eigen_solver());
    const ModeSpace modes(set.eigen);
    const ModeMoments test = project_moments(modes, population.mean, population.covariance, set.moments.mean);
    for (const Objective objective : {Objective::kNoise, Objective::kData}) {
      TrainOptions options;
      options.objective = objective;
      options.optimizer = Optimizer::kSgd;
      options.learning_rate = eta;
      options.rate_shape = shape;
      options.steps = 600;
      options.batch_size = 4096;
      options.seed = 3;
      options.checkpoints = {0, 10, 30, 100, 300, 600};
      options.model_name = "linear (test)";
      const RateSchedule rate = options.rate_schedule();
      train_from_zero(data, set, schedule, options, [&](LinearDenoiser& model, std::int64_t step) {
        const double trained = exact_test_loss(model, schedule, population, objective);
        const double theory =
            expected_loss(schedule, gradient_descent_model(schedule, objective, modes.eigenvalues(), c, rate, step, 8),
                          modes, test)
                .mean();
        EXPECT_NEAR(trained / theory, 1.0, 0.02) << enum_name(shape.kind) << ", N = " << n << ", " << objective
                                                 << ", step " << step << ": trained " << trained << ", theory " << theory;
      });
    }
  }
}

// docs/theory.md#gradient-descent-dynamics: plain SGD from zero with the bias held at mu0 follows, in expectation,
// u_t(s) = u*_t (1 - (1 - 2 eta k_t/(T d))^s).
TEST(SgdMatchesGradientDescentTheory, TestLossWithinTwoPercentAtEveryCheckpoint) {
  expect_sgd_follows_theory(RateShape{});
}

// docs/theory.md#learning-rate-schedules: under a decaying rate the expectation multiplies the
// per-step factors of the rates actually used: a warm-up then a cosine to a floor, and step decay.
TEST(SgdMatchesGradientDescentTheory, UnderWarmUpAndDecayingRates) {
  expect_sgd_follows_theory(RateShape{LrSchedule::kCosine, 50, 0.05, 0, 0.5});
  expect_sgd_follows_theory(RateShape{LrSchedule::kStep, 0, 0.0, 150, 0.3});
}

// Issue 4, check 2: trained long enough, the linear model reaches the optimum of docs/theory.md#linear-denoisers-optimum
// (with c > 0 through the exact penalty): its exact test loss is within 1e-3 relative and both
// KLs of its exact sampling distribution within 1% of the closed form. A cosine learning rate
// removes the minibatch noise at the end. d = 8, N = 64, T = 20, 3000 steps of batch 4096.
TEST(SgdReachesTheOptimum, TestLossAndKlMatchTheClosedForm) {
  const Schedule schedule = Schedule::linear(20, 1e-3, 0.2);
  const double c = 0.05;
  const Dataset data = testing::synthetic_d8(64);
  const Population population = population_of(data, default_eigen_solver());
  const TrainingSet set = training_set(data.pool, "auto", default_eigen_solver());
  const ModeSpace modes(set.eigen);
  const PopulationView view(modes, population.mean, population.eigen);
  const Gaussian data_gaussian{population.mean, population.covariance};
  for (const Objective objective : {Objective::kNoise, Objective::kData}) {
    const Objective kind = objective;
    LinearDenoiser model(LinearDenoiserOptions{8, objective, LinearInit::kZero, false, 0}, schedule_tensors(schedule).sqrt_abar);
    model->set_bias(to_tensor(set.moments.mean));
    TrainOptions options;
    options.objective = objective;
    options.learning_rate = 8.0;
    options.rate_shape.kind = LrSchedule::kCosine;
    options.steps = 3000;
    options.batch_size = 4096;
    options.seed = 11;
    const torch::Tensor rows = torch::from_blob(const_cast<float*>(data.pool.data()), {64, 8}, torch::kFloat);
    TrainingTarget target{[&](const at::Tensor& x, const at::Tensor& t) { return model->forward(x, t); },
                          [&](const at::Tensor& t) { return model->penalty(t, c); }, model->parameters(), nullptr};
    train(target, rows, schedule, options, [](std::int64_t) {});

    const torch::Tensor w = model->stacked_weights().to(torch::kDouble).contiguous();
    const torch::Tensor b = model->stacked_biases().to(torch::kDouble).contiguous();
    const WeightSource weights = [&](int t, Matrix& wt, Vector& bt) {
      wt = as_eigen_matrix(w[t - 1].contiguous());
      bt = as_eigen_vector(b[t - 1].contiguous());
    };
    const double trained_loss =
        expected_loss_dense(schedule, kind, weights, population.mean, population.covariance).mean();
    const KlPair trained_kl = kl_pair(sampling_distribution_dense(schedule, kind, weights, 8, false), data_gaussian);

    const DiagonalModel optimum = optimal_model(schedule, kind, modes.eigenvalues(), c);
    const double optimal_loss = expected_loss(schedule, optimum, modes, view.moments(set.moments.mean)).mean();
    const KlPair optimal_kl = view.kl(sampling_distribution(schedule, optimum, false), set.moments.mean);
    EXPECT_NEAR(trained_loss / optimal_loss, 1.0, 1e-3) << objective << ": " << trained_loss << " vs " << optimal_loss;
    EXPECT_NEAR(trained_kl.model_data / optimal_kl.model_data, 1.0, 0.01)
        << objective << ": " << trained_kl.model_data << " vs " << optimal_kl.model_data;
    EXPECT_NEAR(trained_kl.data_model / optimal_kl.data_model, 1.0, 0.01)
        << objective << ": " << trained_kl.data_model << " vs " << optimal_kl.data_model;
  }
}

// docs/theory.md#default-learning-rates: the automatic rate is half the mean-square stability
// limit of one minibatch step on W_t. Trained at it for long enough to reach the stationary
// state, SGD sits above the GD theory by at most twice the noise estimate of
// docs/convergence.md#steps-auto, eta mean_t Tr K_t / (B d); at eight times the rate (about twice
// the limit for the mean number of rows per timestep, B / T) training diverges. d = 8, N = 64,
// T = 20, B = 400: 20 rows per timestep on average, where the earlier cap B d / (2 r m2) was
// several times smaller than this rate.
TEST(SgdAtTheAutomaticRate, SettlesWithinItsNoiseAndEightTimesItDiverges) {
  const Schedule schedule = Schedule::linear(20, 1e-3, 0.2);
  const Dataset data = testing::synthetic_d8(64);
  const Population population = population_of(data, default_eigen_solver());
  const TrainingSet set = training_set(data.pool, "auto", default_eigen_solver());
  const ModeSpace modes(set.eigen);
  const ModeMoments test = project_moments(modes, population.mean, population.covariance, set.moments.mean);
  TrainingSpec spec;
  spec.linear.batch_size = 400;
  spec.linear.steps = StepCount::fixed(3000);
  const double max_eigenvalue = set.eigen.values.maxCoeff(), trace = set.eigen.values.sum();
  const double eta = find_denoiser_kind(kLinearModelName)
                         .automatic_learning_rate(RateInputs{spec, schedule, max_eigenvalue, trace, 0.0, 8});
  const double old_cap = 400.0 * 8 / (2.0 * 40 * std::max(trace, 8.0));
  ASSERT_GT(eta, 2 * old_cap) << "the case must be one the earlier cap held back";
  double mean_trace = 0;
  for (int t = 1; t <= schedule.steps(); ++t) mean_trace += schedule.abar(t) * trace + schedule.one_minus_abar(t) * 8;
  const double noise_estimate = eta * (mean_trace / schedule.steps()) / (400.0 * 8);

  const auto train_at = [&](double rate) {
    TrainOptions options;
    options.optimizer = Optimizer::kSgd;
    options.learning_rate = rate;
    options.steps = 3000;
    options.batch_size = 400;
    options.seed = 5;
    options.model_name = "linear (test)";
    LinearDenoiser model = train_from_zero(data, set, schedule, options);
    return exact_test_loss(model, schedule, population, Objective::kNoise);
  };
  const double trained = train_at(eta);
  const double theory =
      expected_loss(schedule, gradient_descent_model(schedule, Objective::kNoise, modes.eigenvalues(), 0.0, eta, 3000, 8),
                    modes, test)
          .mean();
  EXPECT_LT(trained / theory - 1, 2 * noise_estimate) << "rate " << eta << ", noise estimate " << noise_estimate;
  EXPECT_GT(trained / theory - 1, -0.01);
  EXPECT_THROW(train_at(8 * eta), NumericError);
}

}  // namespace
}  // namespace lindiff
