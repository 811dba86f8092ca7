#include "src/evaluation/bayes_denoiser.h"

#include <gtest/gtest.h>

#include <torch/torch.h>

#include "src/tensors/tensor_bridge.h"
#include "tests/support/synthetic_data.h"

namespace lindiff {
namespace {

// Gaussian data in d = 16 with a power-law spectrum, a short schedule and a large held-out split.
testing::ExperimentWithData gaussian_data() {
  SyntheticSpec synthetic;
  synthetic.shape = {4, 4};
  synthetic.mean = 0.5;
  synthetic.n_train = 64;
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
    const Predict bayes = bayes_denoiser(context.population(), context.schedule(), objective, torch::kCPU);
    const LossEstimate estimate = probe.estimate(bayes, objective);
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
  const Predict bayes = bayes_denoiser(context.population(), context.schedule(), Objective::kNoise, torch::kCPU);
  const torch::Tensor reference = probe.per_draw_losses(bayes, Objective::kNoise);
  const LossEstimate self = summarize_draws(probe.per_draw_losses(bayes, Objective::kNoise) - reference);
  EXPECT_EQ(self.mean, 0.0);
  EXPECT_EQ(self.standard_error, 0.0);
  const double shrink = 0.8;
  const Predict shrunk = [&bayes, shrink](const at::Tensor& x, const at::Tensor& t) { return shrink * bayes(x, t); };
  const LossEstimate excess = summarize_draws(probe.per_draw_losses(shrunk, Objective::kNoise) - reference);
  const double closed_form = (1 - shrink) * (1 - shrink) * (1 - context.bayes_test_loss(Objective::kNoise).mean());
  EXPECT_NEAR(excess.mean, closed_form, 4 * excess.standard_error);
  EXPECT_LT(excess.standard_error, 0.3 * probe.estimate(shrunk, Objective::kNoise).standard_error);
}

}  // namespace
}  // namespace lindiff
