#include "src/evaluation/denoise_comparison.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include <torch/torch.h>

#include "src/report/metrics.h"

namespace lindiff {
namespace {

torch::Tensor clean_images(std::int64_t m, std::int64_t d) {
  return torch::linspace(-1, 1, m * d, torch::kFloat).reshape({m, d}).sin();
}

// x_t of every query is sqrt(abar_t) x0 + sqrt(1 - abar_t) eps with standard normal eps, and the
// first rows' noise does not depend on how many images the split holds.
TEST(DenoiseComparison, SharedInputsFollowTheForwardProcessAndKeepTheirNoiseWhenTheSplitGrows) {
  const Schedule schedule = Schedule::linear(20);
  const std::vector<std::int64_t> grid{1, 7, 20};
  const torch::Tensor clean = clean_images(400, 8);
  const DenoiseSplit large = shared_inputs("test", clean, grid, schedule, 5, 400);
  const DenoiseSplit small = shared_inputs("test", clean.slice(0, 0, 10), grid, schedule, 5, 400);
  ASSERT_EQ(large.noisy.sizes(), (std::vector<std::int64_t>{3, 400, 8}));
  EXPECT_TRUE(torch::equal(small.noisy, large.noisy.slice(1, 0, 10)));
  for (std::size_t g = 0; g < grid.size(); ++g) {
    const int t = static_cast<int>(grid[g]);
    const torch::Tensor eps =
        (large.noisy[static_cast<std::int64_t>(g)].to(torch::kDouble) - std::sqrt(schedule.abar(t)) * clean.to(torch::kDouble)) /
        std::sqrt(schedule.one_minus_abar(t));
    // 3200 standard normal values: mean within 4.5 standard errors (0.08), variance within 0.1.
    EXPECT_NEAR(eps.mean().item<double>(), 0.0, 0.08) << "t = " << t;
    EXPECT_NEAR(eps.var().item<double>(), 1.0, 0.1) << "t = " << t;
  }
  const DenoiseSplit other_seed = shared_inputs("test", clean, grid, schedule, 6, 400);
  EXPECT_FALSE(torch::equal(other_seed.noisy, large.noisy));
  EXPECT_THROW(shared_inputs("test", clean, {21}, schedule, 5, 400), std::invalid_argument);
  EXPECT_THROW(shared_inputs("test", clean, grid, schedule, 5, 399), std::invalid_argument);
}

// The rows of a denoiser against the clean images and a reference, each against a brute-force
// sum over the same numbers: x0_hat = x_t / sqrt(abar) (the noise predicted as zero) and a
// reference that is the same prediction shifted by 0.25.
TEST(DenoiseComparison, RowsMatchBruteForceSumsAndSkipTheDenoiserItself) {
  const Schedule schedule = Schedule::linear(10);
  const std::vector<std::int64_t> grid{2, 9};
  const torch::Tensor clean = clean_images(6, 5).to(torch::kFloat);
  ScheduleTensors coefficients = schedule_tensors(schedule);
  const auto scaled = [coefficients](const at::Tensor& x, const at::Tensor& t) {
    return x / coefficients.sqrt_abar.index_select(0, t - 1).unsqueeze(1).to(x.scalar_type());
  };
  const FunctionDenoiser plain(schedule, Objective::kData, torch::kCPU, scaled);
  const FunctionDenoiser shifted(schedule, Objective::kData, torch::kCPU,
                                 [scaled](const at::Tensor& x, const at::Tensor& t) { return scaled(x, t) + 0.25; });
  DenoiseComparison comparison(schedule, grid, {shared_inputs("train", clean, grid, schedule, 1, 6)});
  comparison.add_reference("shifted", shifted);
  comparison.add_reference("plain", plain);

  std::map<std::string, double> rows;  // "<t> <metric>"
  comparison.add_rows("plain", comparison.outputs(plain, 4), [&](const std::string& t, const std::string& m, double v) {
    rows[t + " " + m] = v;
  });
  EXPECT_EQ(rows.size(), 2u * (1 + 3));  // no agreement of `plain` with itself
  const DenoiseSplit& split = comparison.splits()[0];
  for (std::size_t g = 0; g < grid.size(); ++g) {
    const std::string t = std::to_string(grid[g]);
    const torch::Tensor x = split.noisy[static_cast<std::int64_t>(g)].to(torch::kDouble);
    const torch::Tensor mine = x / std::sqrt(schedule.abar(static_cast<int>(grid[g])));
    const torch::Tensor reference = mine + 0.25;
    const double ss_tot = (reference - reference.mean()).pow(2).sum().item<double>();
    EXPECT_NEAR(rows.at(t + " " + metric::denoise_mse("train")), (mine - clean.to(torch::kDouble)).pow(2).mean().item<double>(), 1e-6);
    EXPECT_NEAR(rows.at(t + " " + metric::agreement("mse", "shifted", "train")), 0.0625, 1e-6);
    EXPECT_NEAR(rows.at(t + " " + metric::agreement("r2", "shifted", "train")), 1 - 0.0625 * 30 / ss_tot, 1e-5);
    EXPECT_NEAR(rows.at(t + " " + metric::agreement("pearson", "shifted", "train")), 1.0, 1e-6);
  }
  // Batches of 4 and of 1024 give the same outputs.
  EXPECT_TRUE(torch::allclose(comparison.outputs(plain, 4)[0], comparison.outputs(plain)[0], 0, 0));
  EXPECT_THROW(comparison.add_rows("plain", {}, [](const std::string&, const std::string&, double) {}), std::invalid_argument);
}

// Sample rows on hand-computed values: samples a = r + delta row by row, two samples of d = 2.
// Pooled: MSE = mean delta^2, r^2 = 1 - sum delta^2 / sum (r - mean r)^2 over all four values;
// per sample: r^2_i around that sample's own mean; a constant reference sample has no r^2 and is
// left out of the median.
TEST(DenoiseComparison, SampleRowsOnHandComputedValues) {
  const torch::Tensor reference = torch::tensor({{1.0, 3.0}, {0.0, 4.0}}, torch::kDouble);
  const torch::Tensor samples = torch::tensor({{1.5, 3.0}, {0.0, 3.0}}, torch::kDouble);
  std::map<std::string, double> rows;
  add_sample_rows(samples, "wiener", reference, [&](const std::string& t, const std::string& m, double v) {
    EXPECT_EQ(t, "");
    rows[m] = v;
  });
  // deltas 0.5, 0, 0, -1: sum 1.25; reference mean 2, sum of squares around it 1 + 1 + 4 + 4 = 10.
  EXPECT_DOUBLE_EQ(rows.at("sample_mse_wiener"), 1.25 / 4);
  EXPECT_DOUBLE_EQ(rows.at("sample_r2_wiener"), 1 - 1.25 / 10);
  // Sample 1: 1 - 0.25 / 2 = 0.875; sample 2: 1 - 1 / 8 = 0.875; median 0.875.
  EXPECT_DOUBLE_EQ(rows.at("sample_r2_median_wiener"), 0.875);

  const torch::Tensor flat = torch::tensor({{2.0, 2.0}, {0.0, 4.0}}, torch::kDouble);
  add_sample_rows(samples, "flat", flat, [&](const std::string&, const std::string& m, double v) { rows[m] = v; });
  EXPECT_DOUBLE_EQ(rows.at("sample_r2_median_flat"), 0.875);  // the first sample's reference is constant
  EXPECT_THROW(add_sample_rows(samples, "wiener", reference.slice(0, 0, 1), [](auto&&...) {}), std::invalid_argument);
}

}  // namespace
}  // namespace lindiff
