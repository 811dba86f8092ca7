// The empirical optimum against a brute-force posterior mean and its closed-form limits.
#include "src/denoisers/empirical_denoiser.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include <torch/torch.h>

#include "src/denoisers/registry.h"

namespace lindiff {
namespace {

using ::testing::HasSubstr;
using ::testing::ThrowsMessage;

// x0_hat for one query, term by term: logits -||x - sqrt(abar) x_i||^2 / (2 (1 - abar)), their
// log-sum-exp by the largest, the weighted mean of the rows. Double, O(N d).
std::vector<double> brute_force_mean(const at::Tensor& query, const at::Tensor& rows, double abar) {
  const auto x = query.accessor<double, 1>();
  const auto r = rows.accessor<double, 2>();
  const std::int64_t n = rows.size(0), d = rows.size(1);
  std::vector<double> logits(static_cast<std::size_t>(n));
  for (std::int64_t i = 0; i < n; ++i) {
    double distance = 0;
    for (std::int64_t k = 0; k < d; ++k) distance += std::pow(x[k] - std::sqrt(abar) * r[i][k], 2);
    logits[static_cast<std::size_t>(i)] = -distance / (2 * (1 - abar));
  }
  const double largest = *std::max_element(logits.begin(), logits.end());
  double total = 0;
  std::vector<double> mean(static_cast<std::size_t>(d), 0.0);
  for (std::int64_t i = 0; i < n; ++i) {
    const double w = std::exp(logits[static_cast<std::size_t>(i)] - largest);
    total += w;
    for (std::int64_t k = 0; k < d; ++k) mean[static_cast<std::size_t>(k)] += w * r[i][k];
  }
  for (double& m : mean) m /= total;
  return mean;
}

at::Tensor timesteps(std::vector<std::int64_t> t) { return torch::tensor(t, torch::kLong); }

TEST(EmpiricalDenoiser, EqualsTheBruteForcePosteriorMeanForEveryBlockSize) {
  torch::manual_seed(3);
  const Schedule schedule = Schedule::linear(50);
  const at::Tensor rows = torch::randn({7, 5}, torch::kDouble);
  const at::Tensor t = timesteps({1, 3, 10, 25, 40, 50});
  const at::Tensor x = torch::randn({6, 5}, torch::kDouble);
  for (const std::int64_t block : {1, 3, 7, 100}) {  // one row, uneven blocks, exact, one block
    const at::Tensor got = empirical_denoiser(rows, schedule, torch::kCPU, block)->predict(x, t, Objective::kData);
    for (std::int64_t b = 0; b < x.size(0); ++b) {
      const std::vector<double> want = brute_force_mean(x[b], rows, schedule.abar(static_cast<int>(t[b].item<std::int64_t>())));
      for (std::int64_t k = 0; k < x.size(1); ++k) {
        EXPECT_NEAR(got[b][k].item<double>(), want[static_cast<std::size_t>(k)], 1e-12) << "block " << block << ", query " << b;
      }
    }
  }
}

// The noise prediction follows from x0_hat through the forward process.
TEST(EmpiricalDenoiser, NoisePredictionIsTheForwardProcessOfTheMean) {
  torch::manual_seed(4);
  const Schedule schedule = Schedule::linear(20);
  const at::Tensor rows = torch::randn({9, 3}, torch::kDouble);
  const at::Tensor x = torch::randn({4, 3}, torch::kDouble);
  const at::Tensor t = timesteps({2, 5, 11, 20});
  const auto denoiser = empirical_denoiser(rows, schedule, torch::kCPU);
  const at::Tensor x0 = denoiser->predict(x, t, Objective::kData), eps = denoiser->predict(x, t, Objective::kNoise);
  for (std::int64_t b = 0; b < 4; ++b) {
    const int step = static_cast<int>(t[b].item<std::int64_t>());
    const at::Tensor want = (x[b] - std::sqrt(schedule.abar(step)) * x0[b]) / std::sqrt(schedule.one_minus_abar(step));
    EXPECT_LT((eps[b] - want).abs().max().item<double>(), 1e-6);  // the base class's coefficients are float
  }
}

// abar_t -> 1: the posterior collapses on the training image nearest to x_t / sqrt(abar_t).
TEST(EmpiricalDenoiser, NearlyNoiselessInputsReturnTheNearestTrainingImage) {
  torch::manual_seed(5);
  const Schedule schedule = Schedule::from_betas({1e-7, 0.02});
  const at::Tensor rows = torch::randn({12, 6}, torch::kDouble);
  const std::vector<std::int64_t> nearest = {0, 4, 11};
  const at::Tensor x = rows.index_select(0, torch::tensor(nearest, torch::kLong)) + 0.05 * torch::randn({3, 6}, torch::kDouble);
  const at::Tensor got = empirical_denoiser(rows, schedule, torch::kCPU)->predict(x, timesteps({1, 1, 1}), Objective::kData);
  for (std::size_t b = 0; b < nearest.size(); ++b) {
    EXPECT_LT((got[static_cast<std::int64_t>(b)] - rows[nearest[b]]).abs().max().item<double>(), 1e-12);
  }
}

TEST(EmpiricalDenoiser, OneTrainingImageIsReturnedForEveryInput) {
  torch::manual_seed(6);
  const Schedule schedule = Schedule::linear(30);
  const at::Tensor row = torch::randn({1, 4}, torch::kDouble);
  const at::Tensor x = 10 * torch::randn({5, 4}, torch::kDouble);
  const at::Tensor got = empirical_denoiser(row, schedule, torch::kCPU)->predict(x, timesteps({1, 7, 15, 29, 30}), Objective::kData);
  EXPECT_LT((got - row.expand({5, 4})).abs().max().item<double>(), 1e-14);
}

// abar_t -> 0: x_t carries no information and the posterior mean is the training mean.
TEST(EmpiricalDenoiser, PureNoiseInputsReturnTheTrainingMean) {
  torch::manual_seed(7);
  const Schedule schedule = Schedule::from_betas(std::vector<double>(40, 0.6));  // abar_40 = 0.4^40 ~ 1e-16
  const at::Tensor rows = torch::randn({8, 3}, torch::kDouble);
  const at::Tensor got = empirical_denoiser(rows, schedule, torch::kCPU)->predict(torch::randn({3, 3}, torch::kDouble),
                                                                                 timesteps({40, 40, 40}), Objective::kData);
  EXPECT_LT((got - rows.mean(0).expand({3, 3})).abs().max().item<double>(), 1e-7);
}

// Float32 (what the denoise stage runs) against double on image-like data: 1e-5 relative.
TEST(EmpiricalDenoiser, FloatAgreesWithDouble) {
  torch::manual_seed(8);
  const Schedule schedule = Schedule::linear(100);
  const at::Tensor rows = torch::rand({300, 64}, torch::kDouble);
  const at::Tensor x = torch::randn({16, 64}, torch::kDouble);
  const at::Tensor t = torch::randint(20, 101, {16}, torch::kLong);
  const at::Tensor exact = empirical_denoiser(rows, schedule, torch::kCPU)->predict(x, t, Objective::kData);
  for (const std::int64_t block : {std::int64_t{7}, kEmpiricalBlockRows}) {  // many blocks (and the flush of far weights), one block
    const at::Tensor single = empirical_denoiser(rows.to(torch::kFloat), schedule, torch::kCPU, block)
                                  ->predict(x.to(torch::kFloat), t, Objective::kData);
    EXPECT_LT((single.to(torch::kDouble) - exact).abs().max().item<double>(), 1e-5 * exact.abs().max().item<double>())
        << "block " << block;
  }
}

// At t = 1 of 100 (1 - abar = 1e-4) nearly every row lies hundreds of units of logit below the
// nearest one, which sits in the last block: float clamps those logits before exp and flushes
// their weights, and the running maximum is replaced block after block. The result still agrees
// with double, which keeps every weight.
TEST(EmpiricalDenoiser, FarRowsClampedAndFlushedInFloatLeaveTheResult) {
  torch::manual_seed(10);
  const Schedule schedule = Schedule::linear(100);
  const at::Tensor rows = torch::rand({300, 64}, torch::kDouble);
  const at::Tensor t = torch::tensor({1, 2, 3, 1}, torch::kLong);
  const double root = std::sqrt(schedule.abar(1)), noise = std::sqrt(schedule.one_minus_abar(1));
  const at::Tensor x = root * rows.slice(0, 296, 300) + noise * torch::randn({4, 64}, torch::kDouble);
  // Precondition: the far rows' shifted logits reach below the clamp at -87.
  const at::Tensor logits = -(x.unsqueeze(1) - root * rows.unsqueeze(0)).pow(2).sum(2) / (2 * schedule.one_minus_abar(1));
  ASSERT_LT((logits - std::get<0>(logits.max(1, true))).min().item<double>(), -87);
  const at::Tensor exact = empirical_denoiser(rows, schedule, torch::kCPU, 7)->predict(x, t, Objective::kData);
  const at::Tensor single = empirical_denoiser(rows.to(torch::kFloat), schedule, torch::kCPU, 7)
                                ->predict(x.to(torch::kFloat), t, Objective::kData);
  EXPECT_LT((single.to(torch::kDouble) - exact).abs().max().item<double>(), 1e-5 * exact.abs().max().item<double>());
  EXPECT_TRUE(torch::isfinite(single).all().item<bool>());
}

TEST(EmpiricalDenoiser, TheRegistryEntryIsTheSameDenoiser) {
  torch::manual_seed(9);
  const Schedule schedule = Schedule::linear(10);
  const at::Tensor rows = torch::randn({5, 4}, torch::kDouble);
  const auto entry = find_denoiser_kind("empirical")
                         .make(AnalyticInputs{schedule, Objective::kNoise, torch::kCPU, nullptr, nullptr, nullptr, 0, std::nullopt, rows,
                                              ImageShape{}, 3, ElsPadding::kKambGanguli, 0.005});
  const at::Tensor x = torch::randn({3, 4}, torch::kDouble), t = timesteps({1, 5, 10});
  EXPECT_TRUE(torch::equal(entry->predict(x, t, Objective::kData),
                           empirical_denoiser(rows, schedule, torch::kCPU)->predict(x, t, Objective::kData)));
  const AnalyticInputs without_rows{schedule, Objective::kNoise, torch::kCPU, nullptr, nullptr, nullptr, 0, std::nullopt, at::Tensor(),
                                    ImageShape{}, 3, ElsPadding::kKambGanguli, 0.005};
  EXPECT_THAT([&] { find_denoiser_kind("empirical").make(without_rows); },
              ThrowsMessage<std::invalid_argument>(HasSubstr("training rows")));
}

TEST(EmpiricalDenoiser, MismatchedInputsAreRefusedByName) {
  const at::Tensor rows = torch::randn({5, 4}, torch::kDouble);
  const at::Tensor coefficient = torch::full({2}, 0.5, torch::kDouble);
  EXPECT_THAT([&] { empirical_posterior_mean(torch::randn({2, 3}, torch::kDouble), coefficient, coefficient, rows); },
              ThrowsMessage<std::invalid_argument>(HasSubstr("must share d (got 3 and 4)")));
  EXPECT_THAT([&] { empirical_posterior_mean(torch::randn({2, 4}), coefficient, coefficient, rows); },
              ThrowsMessage<std::invalid_argument>(HasSubstr("type and device")));
  EXPECT_THAT([&] { empirical_posterior_mean(torch::randn({2, 4}, torch::kDouble), coefficient, torch::zeros({2}, torch::kDouble), rows); },
              ThrowsMessage<std::invalid_argument>(HasSubstr("1 - abar must be positive")));
  const Schedule schedule = Schedule::linear(10);
  for (const at::Tensor& bad : {torch::randn({4}), torch::zeros({0, 4}), torch::zeros({3, 4}, torch::kLong)}) {
    EXPECT_THAT([&] { empirical_denoiser(bad, schedule, torch::kCPU); },
                ThrowsMessage<std::invalid_argument>(HasSubstr("non-empty floating [N, d]")));
  }
  EXPECT_THAT([&] { empirical_denoiser(rows, schedule, torch::kCPU, 0); },
              ThrowsMessage<std::invalid_argument>(HasSubstr("block_rows must be >= 1")));
}

TEST(EmpiricalDenoiser, CostCountsBothProductsAndOneBlockOfLogits) {
  const EmpiricalCost cost = empirical_cost(100, 10000, 784, 4, 2048);
  EXPECT_DOUBLE_EQ(cost.multiply_adds, 2.0 * 100 * 10000 * 784);
  EXPECT_DOUBLE_EQ(cost.bytes, 4.0 * (4 * 100 * 784 + 2 * 100 * 2048 + 6 * 100));
}

}  // namespace
}  // namespace lindiff
