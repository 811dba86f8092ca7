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

// DDIM with x0_hat(u, t) = c u: eps_hat = (1 - sqrt(abar_t) c) u / sqrt(1 - abar_t), so each step
// multiplies u by f_t = sqrt(abar_{t-1}) c + sqrt(1 - abar_{t-1}) (1 - sqrt(abar_t) c) / sqrt(1 - abar_t)
// and the sample is (prod_t f_t) u_T, u_T the seed's standard normal draw (f_1 = c: the sample is
// x0_hat at t = 1).
TEST(DdimSampler, ScaledDataPredictionGivesTheProductOfItsStepFactors) {
  const Schedule schedule = Schedule::linear(12, 1e-3, 0.2);
  const double c = 0.8;
  const FunctionDenoiser scaled(schedule, Objective::kData, torch::kCPU,
                                [c](const at::Tensor& x, const at::Tensor&) { return c * x; });
  double product = 1;
  for (int t = schedule.steps(); t >= 1; --t) {
    product *= std::sqrt(schedule.abar(t - 1)) * c +
               std::sqrt(schedule.one_minus_abar(t - 1)) * (1 - std::sqrt(schedule.abar(t)) * c) /
                   std::sqrt(schedule.one_minus_abar(t));
  }
  const std::int64_t count = 10, dim = 3;
  const SamplerOptions options{false, 4, 21};  // batches of 4: the draws continue across batches
  torch::Generator generator = at::detail::createCPUGenerator(21);
  const torch::Tensor start = torch::randn({count, dim}, generator, torch::kFloat).to(torch::kDouble);
  const torch::Tensor samples = ddim_sample(scaled, schedule, count, dim, options).to(torch::kDouble);
  EXPECT_TRUE(torch::allclose(samples, product * start, 1e-5, 1e-6)) << samples - product * start;
  EXPECT_TRUE(torch::equal(ddim_sample(scaled, schedule, count, dim, options),
                           draw_samples(SamplerKind::kDdim, scaled, schedule, count, dim, options)));
}

// Two different denoisers given one seed see the same initial and per-step noise: DDPM with
// eps_hat = k u replayed by hand from the seed's draws (u_T, then z_T, ..., z_2) for k = 0 and 0.3.
TEST(DdpmSampler, DenoisersGivenOneSeedShareEveryNoiseDraw) {
  const Schedule schedule = Schedule::linear(6, 1e-2, 0.3);
  const std::int64_t count = 5, dim = 2;
  for (const double k : {0.0, 0.3}) {
    const FunctionDenoiser linear(schedule, Objective::kNoise, torch::kCPU,
                                  [k](const at::Tensor& x, const at::Tensor&) { return k * x; });
    torch::Generator generator = at::detail::createCPUGenerator(8);
    const auto normal = [&] { return torch::randn({count, dim}, generator, torch::kFloat).to(torch::kDouble); };
    torch::Tensor u = normal();
    for (int t = schedule.steps(); t >= 1; --t) {
      u = (u - schedule.beta(t) / std::sqrt(schedule.one_minus_abar(t)) * k * u) / std::sqrt(schedule.alpha(t));
      if (t > 1) u = u + std::sqrt(schedule.beta(t)) * normal();
    }
    const torch::Tensor samples =
        draw_samples(SamplerKind::kDdpm, linear, schedule, count, dim, SamplerOptions{false, 64, 8}).to(torch::kDouble);
    EXPECT_TRUE(torch::allclose(samples, u, 1e-5, 1e-6)) << "k = " << k;
  }
}

}  // namespace
}  // namespace lindiff
