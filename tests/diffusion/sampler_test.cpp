#include "src/diffusion/sampler.h"

#include <gtest/gtest.h>

#include <random>

#include <torch/torch.h>

#include "models/linear_denoiser.h"
#include "src/diffusion/forward_process.h"
#include "src/tensors/tensor_bridge.h"
#include "src/theory/diagonal_model.h"
#include "src/theory/sampling_distribution.h"

namespace lindiff {
namespace {

// Samples of the tensor sampler with a linear model (random weights near a stable optimum,
// a bias) against the exact Gaussian of the same weights: 200000 samples in d = 3, mean and
// covariance within 4 standard errors, both objectives, with and without final noise.
TEST(DdpmSampler, LinearModelSamplesMatchTheExactDistribution) {
  std::mt19937_64 rng(71);
  std::normal_distribution<double> normal;
  const Index d = 3;
  const Schedule schedule = Schedule::linear(30, 1e-3, 0.2);
  Vector lambda(d);
  lambda << 2.0, 0.5, 0.1;
  Vector bias(d);
  bias << 0.4, -0.3, 1.0;
  for (const Objective objective : {Objective::kNoise, Objective::kData}) {
    for (bool final_noise : {false, true}) {
      const DiagonalModel optimum = optimal_model(schedule, objective, lambda, 0.05);
      std::vector<Matrix> weights;
      for (int t = 1; t <= schedule.steps(); ++t) {
        Matrix w = optimum.weights.row(t - 1).transpose().asDiagonal();
        for (Index i = 0; i < w.size(); ++i) w.data()[i] += 0.05 * normal(rng);  // not diagonal, not optimal
        weights.push_back(w);
      }
      LinearDenoiser model(LinearDenoiserOptions{d, objective, LinearInit::kZero, true, 0}, schedule_tensors(schedule).sqrt_abar);
      {
        torch::NoGradGuard no_grad;
        for (int t = 1; t <= schedule.steps(); ++t) model->weight(t).copy_(to_tensor(weights[t - 1]));
        model->set_bias(to_tensor(bias));
      }
      const WeightSource source = [&](int t, Matrix& w, Vector& b) { w = weights[t - 1], b = bias; };
      const Gaussian exact = sampling_distribution_dense(schedule, objective, source, d, final_noise);

      const std::int64_t count = 200000;
      const SamplerOptions options{final_noise, 50000, 9};
      const FunctionDenoiser denoiser(schedule, objective, torch::kCPU,
                                      [&](const at::Tensor& x, const at::Tensor& t) { return model->forward(x, t); });
      const torch::Tensor samples = ddpm_sample(denoiser, schedule, count, d, options).to(torch::kDouble);
      const Matrix x = as_eigen_matrix(samples);
      const Vector mean = x.colwise().mean().transpose();
      const Matrix centered = x.rowwise() - mean.transpose();
      const Matrix covariance = centered.transpose() * centered / static_cast<double>(count);
      for (Index i = 0; i < d; ++i) {
        EXPECT_NEAR(mean(i), exact.mean(i), 4 * std::sqrt(exact.covariance(i, i) / count)) << objective;
        for (Index j = 0; j < d; ++j) {
          const double se = std::sqrt((exact.covariance(i, i) * exact.covariance(j, j) +
                                       exact.covariance(i, j) * exact.covariance(i, j)) / count);
          EXPECT_NEAR(covariance(i, j), exact.covariance(i, j), 4 * se) << objective << " " << i << "," << j;
        }
      }
    }
  }
}

TEST(DdpmSampler, SameSeedSameSamples) {
  const Schedule schedule = Schedule::linear(5);
  const FunctionDenoiser half(schedule, Objective::kNoise, torch::kCPU,
                              [](const at::Tensor& x, const at::Tensor&) { return 0.5 * x; });
  const SamplerOptions options{false, 7, 4};
  EXPECT_TRUE(torch::equal(ddpm_sample(half, schedule, 20, 2, options), ddpm_sample(half, schedule, 20, 2, options)));
  const FunctionDenoiser shorter(Schedule::linear(4), Objective::kNoise, torch::kCPU,
                                 [](const at::Tensor& x, const at::Tensor&) { return 0.5 * x; });
  EXPECT_THROW(ddpm_sample(shorter, schedule, 2, 2, options), std::invalid_argument);
}

}  // namespace
}  // namespace lindiff
