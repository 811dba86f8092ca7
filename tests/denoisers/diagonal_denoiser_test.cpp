#include "src/denoisers/diagonal_denoiser.h"

#include <gtest/gtest.h>

#include <torch/torch.h>

#include "src/denoisers/registry.h"
#include "src/evaluation/monte_carlo_loss.h"
#include "src/tensors/tensor_bridge.h"
#include "src/theory/model_evaluation.h"
#include "tests/support/synthetic_data.h"

namespace lindiff {
namespace {

// Gaussian data in d = 16 with a power-law spectrum, a short schedule and a large held-out split.
testing::ExperimentWithData gaussian_data(std::int64_t n_train = 64) {
  SyntheticSpec synthetic;
  synthetic.shape = {4, 4};
  synthetic.mean = 0.5;
  synthetic.n_train = n_train;
  synthetic.n_test = 20000;
  testing::ExperimentWithData e = testing::synthetic_experiment(synthetic, 5);
  e.config.theory.steps = 50;
  return e;
}

// The Monte Carlo loss of the Bayes denoiser on fresh population draws matches the exact
// Bayes-optimal loss (mean over t) within 4 standard errors (20000 draws).
TEST(BayesDenoiser, MonteCarloLossMatchesTheExactBayesLoss) {
  const testing::ExperimentWithData e = gaussian_data();
  const DatasetContext context(e.config.datasets[0], e.dataset, e.config);
  const LossProbe probe(rows_to_tensor(e.dataset.test, torch::kCPU), context.schedule(), 20000, 17);
  for (const Objective objective : {Objective::kNoise, Objective::kData}) {
    const auto bayes = bayes_denoiser(context.population(), context.schedule(), objective, torch::kCPU);
    const LossEstimate estimate = probe.estimate(*bayes, objective);
    const double exact = context.bayes_test_loss(objective).mean();
    EXPECT_NEAR(estimate.mean, exact, 4 * estimate.standard_error) << objective;
    EXPECT_LT(estimate.standard_error, 0.05 * exact) << objective;
  }
}

// On the same draws the Bayes denoiser has no excess over itself. A shrunk Bayes denoiser s eps_hat
// loses exactly (1 - s)^2 E||eps_hat||^2 / d = (1 - s)^2 (1 - L_bayes) (the posterior mean is
// orthogonal to its error), which the excess on common draws recovers within 4 standard errors,
// far more precisely than two separate estimates could.
TEST(BayesDenoiser, ExcessOnCommonDrawsIsExactForItselfAndMatchesTheClosedForm) {
  const testing::ExperimentWithData e = gaussian_data();
  const DatasetContext context(e.config.datasets[0], e.dataset, e.config);
  const LossProbe probe(rows_to_tensor(e.dataset.test, torch::kCPU), context.schedule(), 20000, 3);
  const auto bayes = bayes_denoiser(context.population(), context.schedule(), Objective::kNoise, torch::kCPU);
  const torch::Tensor reference = probe.per_draw_losses(*bayes, Objective::kNoise);
  const LossEstimate self = summarize_draws(probe.per_draw_losses(*bayes, Objective::kNoise) - reference);
  EXPECT_EQ(self.mean, 0.0);
  EXPECT_EQ(self.standard_error, 0.0);
  const double shrink = 0.8;
  const FunctionDenoiser shrunk(context.schedule(), Objective::kNoise, torch::kCPU,
                                [&bayes, shrink](const at::Tensor& x, const at::Tensor& t) {
                                  return shrink * bayes->predict(x, t, Objective::kNoise);
                                });
  const LossEstimate excess = summarize_draws(probe.per_draw_losses(shrunk, Objective::kNoise) - reference);
  const double closed_form = (1 - shrink) * (1 - shrink) * (1 - context.bayes_test_loss(Objective::kNoise).mean());
  EXPECT_NEAR(excess.mean, closed_form, 4 * excess.standard_error);
  EXPECT_LT(excess.standard_error, 0.3 * probe.estimate(shrunk, Objective::kNoise).standard_error);
}

// The Wiener denoiser is the dense linear map W_t = U diag(w_t) U^T + w_c (I - U U^T) of
// docs/theory.md#linear-denoisers-optimum: its output equals that map computed in double, for
// both objectives, at the optimum and at a gradient-descent step, with N < d (Gram route: a
// complement group) and N > d.
TEST(WienerDenoiser, EqualsTheDenseLinearMapOfItsTrainingSet) {
  for (const std::int64_t n : {std::int64_t{9}, std::int64_t{64}}) {
    const testing::ExperimentWithData e = gaussian_data(n);
    const DatasetContext context(e.config.datasets[0], e.dataset, e.config);
    const Schedule& schedule = context.schedule();
    const TrainingSet& set = context.training_set(n);
    const ModeSpace& modes = context.training_modes(n).modes;
    ASSERT_EQ(modes.has_complement(), n < 16);
    const torch::Tensor x = torch::randn({6, 16}, at::detail::createCPUGenerator(4));
    const torch::Tensor t = torch::tensor({1, 3, 10, 25, 49, 50}, torch::kLong);
    for (const Objective objective : {Objective::kNoise, Objective::kData}) {
      for (const std::optional<GradientDescentStep> gd : {std::optional<GradientDescentStep>{},
                                                          std::optional<GradientDescentStep>{GradientDescentStep{50.0, 300}}}) {
        const auto wiener = wiener_denoiser(set, modes, schedule, objective, 0.05, gd, torch::kCPU);
        const DiagonalModel model =
            gd ? gradient_descent_model(schedule, objective, modes.eigenvalues(), 0.05, gd->learning_rate, gd->steps, 16)
               : optimal_model(schedule, objective, modes.eigenvalues(), 0.05);
        const torch::Tensor prediction = wiener->predict(x, t, objective).to(torch::kDouble);
        for (std::int64_t row = 0; row < 6; ++row) {
          const int step = static_cast<int>(t[row].item<std::int64_t>());
          Matrix map = Matrix::Zero(16, 16);
          const Index r = modes.basis().cols();
          for (Index g = 0; g < r; ++g) map += model.weights(step - 1, g) * modes.basis().col(g) * modes.basis().col(g).transpose();
          if (modes.has_complement()) {
            map += model.weights(step - 1, r) * (Matrix::Identity(16, 16) - modes.basis() * modes.basis().transpose());
          }
          const Vector input = as_eigen_vector(x[row].to(torch::kDouble).contiguous());
          Vector expected = map * (input - std::sqrt(schedule.abar(step)) * set.moments.mean);
          if (objective == Objective::kData) expected += set.moments.mean;
          const Vector got = as_eigen_vector(prediction[row].contiguous());
          EXPECT_LT((got - expected).cwiseAbs().maxCoeff(), 1e-4 * std::max(1.0, expected.cwiseAbs().maxCoeff()))
              << "N = " << n << ", " << objective << (gd ? ", GD" : ", optimum") << ", t = " << step;
        }
      }
    }
  }
}

// Through the Denoiser path, the Wiener denoiser's Monte Carlo losses on its training set and on
// held-out data match its closed-form train and test losses (docs/theory.md#exact-expected-loss)
// within 4 standard errors (20000 draws), both objectives, predicted natively and converted.
TEST(WienerDenoiser, MonteCarloLossesMatchTheClosedFormTrainAndTestLoss) {
  const testing::ExperimentWithData e = gaussian_data(64);
  const DatasetContext context(e.config.datasets[0], e.dataset, e.config);
  const Schedule& schedule = context.schedule();
  const TrainingModes& set = context.training_modes(64);
  const Vector mu0 = context.training_set(64).moments.mean;
  const LossProbe train_probe(rows_to_tensor(context.training_rows(64), torch::kCPU), schedule, 20000, 8);
  const LossProbe test_probe(rows_to_tensor(e.dataset.test, torch::kCPU), schedule, 20000, 9);
  const EvaluationContext exact{schedule, set.modes, set.population_view, set.train, set.test, mu0, false};
  for (const Objective native : {Objective::kNoise, Objective::kData}) {
    const auto wiener = find_denoiser_kind("wiener").make(
        AnalyticInputs{schedule, native, torch::kCPU, nullptr, &context.training_set(64), &set.modes, 0.02, std::nullopt, at::Tensor(),
                       ImageShape{}, 3, ElsPadding::kKambGanguli, 0.005});
    for (const Objective target : {Objective::kNoise, Objective::kData}) {
      const ModelEvaluation closed = evaluate_model(exact, ModelRows(target, set.modes.eigenvalues(), 0.02));
      const LossEstimate train = train_probe.estimate(*wiener, target), test = test_probe.estimate(*wiener, target);
      EXPECT_NEAR(train.mean, closed.train_loss.mean(), 4 * train.standard_error) << native << " -> " << target;
      EXPECT_NEAR(test.mean, closed.test_loss.mean(), 4 * test.standard_error) << native << " -> " << target;
    }
  }
}

}  // namespace
}  // namespace lindiff
