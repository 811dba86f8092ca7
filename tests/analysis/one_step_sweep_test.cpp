#include "src/analysis/one_step_sweep.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "datasets/registry.h"
#include "src/common/error.h"
#include "tests/support/synthetic_data.h"

namespace lindiff {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::ThrowsMessage;

// Isotropic synthetic data N(mean, I) in d = 4 with held-out rows for Delta's fresh samples.
testing::ExperimentWithData isotropic(std::int64_t pool, std::int64_t test) {
  SyntheticSpec synthetic;
  synthetic.shape = {2, 2};
  synthetic.k = 0;
  synthetic.basis = "identity";
  synthetic.mean = 3;
  synthetic.n_train = pool;
  synthetic.n_test = test;
  return testing::synthetic_experiment(synthetic);
}

std::vector<double> values_of(const ResultsTable& table, const std::string& metric, std::int64_t n) {
  std::vector<double> out;
  for (const ResultRow& r : table.rows()) {
    if (r.metric == metric && r.n == n && r.model == "one_step" && r.source == "exact") out.push_back(r.value);
  }
  return out;
}

// The rows of `draws` fits at one training-set size N.
ResultsTable sweep(testing::ExperimentWithData& s, std::int64_t n, int draws) {
  s.config.one_step.n = {n};
  s.config.one_step.draws = draws;
  const DatasetContext context(s.config.datasets[0], s.dataset, s.config);
  ResultsTable table;
  add_one_step_rows(context, table);
  return table;
}

// N <= d with an intercept: the fitted map has rank <= N - 1 < d, so the generated Gaussian is
// singular: squared Hellinger exactly 1 and KL(data || model) infinite, in every draw.
TEST(OneStepSweep, SingularBelowDimension) {
  testing::ExperimentWithData s = isotropic(100, 100);
  const ResultsTable table = sweep(s, 4, 3);
  ASSERT_EQ(values_of(table, "hellinger_squared", 4).size(), 3u);
  for (double h : values_of(table, "hellinger_squared", 4)) EXPECT_EQ(h, 1.0);
  for (double kl : values_of(table, "kl_data_model", 4)) EXPECT_TRUE(std::isinf(kl));
}

// N >> d: least squares recovers the population regression x0 ~ a x_T + b with
// a = s / (s^2 + l (1 - s^2)), s = e^{-T}, for Sigma = I and intercept b = mu - a s mu; generating
// from the prior N(0, l I) gives N(b, v I), v = l a^2, whose mean misses mu by a s mu (the prior
// ignores the signal's mean), so KL(data || model)/d -> (1/v - 1 + ln v + (a s mu_i)^2 / v)/2.
// With N = 4000 the fitted a has standard error sqrt((1 - s^2)/N) / a ~ 4% (s = e^{-1}), ~8% in v
// and ~12% in one coordinate's KL (d ln KL / d ln v ~ -1.45); averaged over d = 4 coordinates and the median of 9 draws, the
// spread is ~3%, so the median is held to 10%. Pool and held-out split are 10x N so that draws
// are different training sets.
TEST(OneStepSweep, LargeNMatchesPopulationRegression) {
  testing::ExperimentWithData s = isotropic(40000, 40000);
  s.config.one_step.time = 1.0;
  s.config.one_step.level = 1.0;
  const ResultsTable table = sweep(s, 4000, 9);
  const double signal = std::exp(-1.0);
  const double a = signal / (signal * signal + (1 - signal * signal));
  const double v = a * a;
  const double offset = a * signal * 3.0;  // mean 3 per coordinate
  const double expected = 0.5 * (1 / v - 1 + std::log(v) + offset * offset / v);
  std::vector<double> kl = values_of(table, "kl_data_model_per_dim", 4000);
  ASSERT_EQ(kl.size(), 9u);
  std::sort(kl.begin(), kl.end());
  EXPECT_NEAR(kl[4], expected, 0.1 * expected);
  // The generated distribution is as close to fresh data as to the training set: the mean of
  // Delta over draws lies within 4 standard errors of 0.
  const std::vector<double> delta = values_of(table, "memorisation_delta", 4000);
  double mean = 0, squares = 0;
  for (double x : delta) mean += x / static_cast<double>(delta.size());
  for (double x : delta) squares += (x - mean) * (x - mean);
  const double se = std::sqrt(squares / static_cast<double>(delta.size() - 1) / static_cast<double>(delta.size()));
  EXPECT_LT(std::abs(mean), 4 * se) << "mean " << mean << " se " << se;
}

// Few samples: the model reproduces its training set, so it sits closer to it than to fresh data.
TEST(OneStepSweep, DeltaNegativeWhenMemorising) {
  testing::ExperimentWithData s = isotropic(100, 100);
  std::vector<double> delta = values_of(sweep(s, 3, 20), "memorisation_delta", 3);
  std::sort(delta.begin(), delta.end());
  EXPECT_LT(delta[delta.size() / 2], 0.0);
}

TEST(OneStepSweep, SizeBeyondHeldOutSplitIsAConfigError) {
  testing::ExperimentWithData s = isotropic(100, 10);
  s.config.one_step.n = {8, 20};
  const DatasetContext context(s.config.datasets[0], s.dataset, s.config);
  ResultsTable table;
  EXPECT_THAT([&] { add_one_step_rows(context, table); },
              ThrowsMessage<ConfigError>(AllOf(HasSubstr("one_step.n.1"), HasSubstr("held-out split"))));
}

}  // namespace
}  // namespace lindiff
