#include "src/evaluation/linear_exact.h"

#include <gtest/gtest.h>

#include <torch/torch.h>

#include "datasets/registry.h"
#include "models/linear_denoiser.h"
#include "src/analysis/dataset_context.h"
#include "src/common/error.h"
#include "src/diffusion/forward_process.h"
#include "src/evaluation/monte_carlo_loss.h"
#include "src/tensors/tensor_bridge.h"
#include "src/theory/expected_loss.h"
#include "tests/support/synthetic_data.h"

namespace lindiff {
namespace {

Dataset small_synthetic() {
  SyntheticSpec synthetic;
  synthetic.shape = {2, 3};  // d = 6
  synthetic.mean = 0.2;
  synthetic.n_train = 200;
  synthetic.n_test = 10;
  return load_dataset(testing::synthetic_spec(synthetic, 11));
}

// The optimum's weights, written into the module and evaluated through the dense path, give
// the closed-form eigenbasis values; a Monte Carlo probe of the same module agrees within 4 SE.
TEST(ExactLinearEvaluation, OptimalWeightsMatchClosedFormAndMonteCarlo) {
  const Schedule schedule = Schedule::linear(40, 1e-3, 0.1);
  const Dataset data = small_synthetic();
  const Population population = population_of(data, default_eigen_solver());
  const TrainingSet set = training_set(data.pool, "auto", default_eigen_solver());
  const ModeSpace modes(set.eigen);
  const PopulationView view(modes, population.mean, population.eigen);
  const Gaussian train{set.moments.mean, set.moments.covariance}, test{population.mean, population.covariance};
  for (const Objective objective : {Objective::kNoise, Objective::kData}) {
    const Objective kind = objective;
    const DiagonalModel optimum = optimal_model(schedule, kind, modes.eigenvalues(), 0.05);
    LinearDenoiser model(LinearDenoiserOptions{6, objective, LinearInit::kZero, false, 0}, schedule_tensors(schedule).sqrt_abar);
    model->set_bias(to_tensor(set.moments.mean));
    {
      torch::NoGradGuard no_grad;
      for (int t = 1; t <= 40; ++t) {
        const Vector u = optimum.weights.row(t - 1).transpose();
        const Matrix w = modes.basis() * u.asDiagonal() * modes.basis().transpose();
        model->weight(t).copy_(to_tensor(w));
      }
    }
    const ExactLinearEvaluation exact =
        evaluate_linear_weights(model->stacked_weights(), model->stacked_biases(), kind, schedule, train, test, false);
    const double closed = expected_loss(schedule, optimum, modes, view.moments(set.moments.mean)).mean();
    const KlPair kl = view.kl(sampling_distribution(schedule, optimum, false), set.moments.mean);
    EXPECT_NEAR(exact.test_loss.mean() / closed, 1.0, 1e-5) << objective;  // float weights
    EXPECT_NEAR(exact.kl.data_model / kl.data_model, 1.0, 1e-3) << objective;
    EXPECT_NEAR(exact.kl.model_data / kl.model_data, 1.0, 1e-3) << objective;

    const torch::Tensor rows = torch::from_blob(const_cast<float*>(data.pool.data()), {200, 6}, torch::kFloat);
    const LossProbe probe(rows, schedule, 200000, 7);
    const FunctionDenoiser denoiser(schedule, objective, torch::kCPU,
                                    [&](const at::Tensor& x, const at::Tensor& t) { return model->forward(x, t); });
    const LossEstimate mc = probe.estimate(denoiser, objective);
    EXPECT_NEAR(mc.mean, exact.train_loss.mean(), 4 * mc.standard_error) << objective;
    EXPECT_EQ(mc.draws, 200000);
  }
}

}  // namespace
}  // namespace lindiff
