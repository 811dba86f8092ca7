#include "models/linear_denoiser.h"

#include <gtest/gtest.h>

#include <random>

#include <torch/torch.h>

#include "src/common/random_matrices.h"
#include "src/diffusion/forward_process.h"
#include "src/tensors/tensor_bridge.h"
#include "src/theory/diagonal_model.h"
#include "src/theory/expected_loss.h"
#include "src/theory/spectrum_stats.h"
#include "tests/support/random_tensors.h"

namespace lindiff {
namespace {

TEST(LinearDenoiser, ZeroInitPredictsZeroNoiseAndTheBias) {
  const Schedule schedule = Schedule::linear(10);
  const ScheduleTensors s = schedule_tensors(schedule);
  LinearDenoiser noise(LinearDenoiserOptions{3, Objective::kNoise, LinearInit::kZero, true, 0}, s.sqrt_abar);
  LinearDenoiser data(LinearDenoiserOptions{3, Objective::kData, LinearInit::kZero, true, 0}, s.sqrt_abar);
  data->set_bias(torch::tensor({1.0, 2.0, 3.0}));
  const torch::Tensor x = torch::randn({5, 3});
  const torch::Tensor t = torch::tensor({1, 4, 10, 2, 2}, torch::kLong);
  EXPECT_EQ(noise->forward(x, t).abs().max().item<float>(), 0.0f);
  EXPECT_TRUE(torch::allclose(data->forward(x, t), torch::tensor({1.0f, 2.0f, 3.0f}).expand({5, 3})));
  EXPECT_EQ(noise->stacked_weights().numel(), 10 * 3 * 3);
  EXPECT_EQ(noise->parameters().size(), 20u);  // W_t and b_t for each of the 10 timesteps
}

TEST(LinearDenoiser, PerRowAndOneTimestepPathsAgree) {
  const ScheduleTensors s = schedule_tensors(Schedule::linear(6));
  LinearDenoiser model(LinearDenoiserOptions{4, Objective::kData, LinearInit::kNormal, true, 3}, s.sqrt_abar);
  model->set_bias(torch::randn({4}));
  const torch::Tensor x = torch::randn({7, 4});
  const torch::Tensor t = torch::full({7}, 5, torch::kLong);
  EXPECT_TRUE(torch::allclose(model->forward(x, t), model->forward_at(x, 5), 1e-5, 1e-6));
  // Mixed timesteps: each row equals the one-timestep path of its own t.
  const torch::Tensor mixed = torch::tensor({3, 1, 6, 3, 2, 6, 1}, torch::kLong);
  const torch::Tensor out = model->forward(x, mixed);
  for (std::int64_t i = 0; i < 7; ++i) {
    EXPECT_TRUE(torch::allclose(out[i], model->forward_at(x.slice(0, i, i + 1), mixed[i].item<std::int64_t>())[0], 1e-5, 1e-6));
  }
}

// Mixed timesteps with a trainable bias: predictions and the gradients of every W_t and b_t
// equal those of the one-timestep path applied row by row.
TEST(LinearDenoiser, PerRowGradientsMatchTheOneTimestepPath) {
  const Schedule schedule = Schedule::linear(7);
  LinearDenoiser model(LinearDenoiserOptions{5, Objective::kData, LinearInit::kNormal, true, 2}, schedule_tensors(schedule).sqrt_abar);
  model->set_bias(torch::randn({5}));
  const torch::Tensor x = testing::random_rows(23, 5, 3);
  torch::Generator g = at::detail::createCPUGenerator(9);
  const torch::Tensor t = torch::randint(1, 8, {23}, g, torch::kLong);
  const auto gradients = [&](const torch::Tensor& out) {
    for (auto& p : model->parameters()) p.mutable_grad() = torch::Tensor();
    out.pow(2).sum().backward();
    std::vector<torch::Tensor> grads;
    for (const auto& p : model->parameters()) grads.push_back(p.grad().defined() ? p.grad().clone() : torch::zeros_like(p));
    return grads;
  };
  const torch::Tensor batched = model->forward(x, t);
  const std::vector<torch::Tensor> batched_grads = gradients(batched);
  std::vector<torch::Tensor> rows;
  for (std::int64_t i = 0; i < 23; ++i) rows.push_back(model->forward_at(x.slice(0, i, i + 1), t[i].item<std::int64_t>()));
  EXPECT_TRUE(torch::allclose(batched, torch::cat(rows), 1e-5, 1e-6));
  const std::vector<torch::Tensor> row_grads = gradients(torch::cat(rows));
  for (std::size_t p = 0; p < row_grads.size(); ++p) {
    EXPECT_TRUE(torch::allclose(batched_grads[p], row_grads[p], 1e-4, 1e-5)) << "parameter " << p;
  }
}

// The module with the theory's optimum loaded (W_t = U diag(w_t) U^T, b_t = mu0) has the
// closed-form expected test loss: Monte Carlo over 400000 draws of Gaussian data at three
// timesteps, 4 standard errors.
TEST(LinearDenoiser, MonteCarloLossOfTheOptimumMatchesTheory) {
  std::mt19937_64 rng(61);
  const Index d = 5;
  const Schedule schedule = Schedule::linear(50, 1e-3, 0.2);
  const Matrix basis = haar_orthogonal(d, rng);
  const Vector spectrum = power_law_spectrum(d, 1.0);
  const Matrix sigma = basis * spectrum.asDiagonal() * basis.transpose();
  Vector mu(d), mu0(d);
  mu << 0.5, -0.2, 0.1, 0.0, 0.3;
  mu0 = mu.array() + 0.05;  // a training mean slightly off the population mean
  for (const Objective objective : {Objective::kNoise, Objective::kData}) {
    // The optimum for a training set whose eigenvalues are 0.9 of the population's (same basis).
    const DiagonalModel optimum =
        optimal_model(schedule, objective, (spectrum * 0.9).eval(), 0.02);
    const ScheduleTensors s = schedule_tensors(schedule);
    LinearDenoiser model(LinearDenoiserOptions{d, objective, LinearInit::kZero, true, 0}, s.sqrt_abar);
    {
      torch::NoGradGuard no_grad;
      for (int t = 1; t <= schedule.steps(); ++t) {
        const Matrix w = basis * optimum.weights.row(t - 1).transpose().asDiagonal() * basis.transpose();
        model->weight(t).copy_(to_tensor(w));
      }
      model->set_bias(to_tensor(mu0));
    }
    const WeightSource weights = [&](int t, Matrix& w, Vector& b) {
      w = basis * optimum.weights.row(t - 1).transpose().asDiagonal() * basis.transpose();
      b = mu0;
    };
    const Vector exact = expected_loss_dense(schedule, objective, weights, mu, sigma);
    torch::manual_seed(5);
    const std::int64_t draws = 400000;
    const torch::Tensor root = to_tensor(Matrix(basis * spectrum.cwiseSqrt().asDiagonal()), torch::kDouble);
    const torch::Tensor x0 = (torch::randn({draws, d}, torch::kDouble).matmul(root.t()) + to_tensor(mu, torch::kDouble))
                                 .to(torch::kFloat);
    for (int t : {1, 20, 50}) {
      const torch::Tensor eps = torch::randn({draws, d});
      const torch::Tensor steps = torch::full({draws}, t, torch::kLong);
      torch::NoGradGuard no_grad;
      const torch::Tensor prediction = model->forward_at(noised(s, x0, eps, steps), t);
      const torch::Tensor target = objective == Objective::kData ? x0 : eps;
      const torch::Tensor per_sample = (target - prediction).pow(2).sum(1).to(torch::kDouble) / static_cast<double>(d);
      const double mean = per_sample.mean().item<double>();
      const double se = per_sample.std().item<double>() / std::sqrt(static_cast<double>(draws));
      EXPECT_NEAR(mean, exact(t - 1), 4 * se) << objective << " t = " << t;
      EXPECT_NEAR(denoising_loss(prediction, x0, eps, objective).item<double>(), mean, 1e-4 * mean);
    }
  }
}

// docs/theory.md#regularisation-c: rows at t = 1, 1, 3 give c (2 abar_1 ||W_1||^2 + abar_3 ||W_3||^2) / (3 d) for the
// noise objective and the same with ||sqrt(abar_t) V_t - I||^2 for the data objective.
TEST(LinearDenoiser, PenaltyIsTheExactRegulariser) {
  const Schedule schedule = Schedule::linear(4, 1e-3, 0.2);
  const ScheduleTensors s = schedule_tensors(schedule);
  const torch::Tensor t = torch::tensor({1, 3, 1}, torch::kLong);
  for (const Objective objective : {Objective::kNoise, Objective::kData}) {
    LinearDenoiser model(LinearDenoiserOptions{3, objective, LinearInit::kNormal, true, 5}, s.sqrt_abar);
    const torch::Tensor w = model->stacked_weights().to(torch::kDouble);
    double expected = 0;
    for (int step : {1, 1, 3}) {
      const double root = std::sqrt(schedule.abar(step));
      const torch::Tensor term = objective == Objective::kNoise ? root * w[step - 1]
                                                      : root * w[step - 1] - torch::eye(3, torch::kDouble);
      expected += term.pow(2).sum().item<double>();
    }
    expected *= 0.5 / (3.0 * 3.0);
    EXPECT_NEAR(model->penalty(t, 0.5).item<double>(), expected, 1e-5 * expected) << objective;  // float32 model
  }
}

}  // namespace
}  // namespace lindiff
