#include "src/analysis/theory_curves.h"

#include <gtest/gtest.h>

#include <cmath>

#include "datasets/registry.h"
#include "src/common/error.h"
#include "src/theory/training_set_average.h"
#include "tests/support/synthetic_data.h"

namespace lindiff {
namespace {

// A 3x3 synthetic dataset with a small theory grid.
testing::ExperimentWithData small_experiment() {
  SyntheticSpec synthetic;
  synthetic.shape = {3, 3};
  synthetic.n_train = 200;
  synthetic.n_test = 10;
  testing::ExperimentWithData s = testing::synthetic_experiment(synthetic);
  s.config.theory.steps = 100;
  s.config.theory.n = {5, 50};
  s.config.theory.c = {0.0, 0.1};
  s.config.theory.gd_steps = {0, 1000};
  return s;
}

const ResultRow* find(const ResultsTable& table, const std::string& metric, std::int64_t n, std::optional<double> c,
                      const std::string& source, const std::string& objective, std::optional<std::int64_t> step) {
  for (const ResultRow& row : table.rows()) {
    if (row.metric == metric && row.n == n && row.c == c && row.source == source && row.objective == objective &&
        row.step == step) {
      return &row;
    }
  }
  return nullptr;
}

TEST(TheoryCurves, RowsForOptimumTrajectoryAndAverages) {
  const testing::ExperimentWithData s = small_experiment();
  const DatasetContext context(s.config.datasets[0], s.dataset, s.config);
  ResultsTable table;
  add_theory_rows(context, table);
  // N = 5 < d = 9 without regularisation: the sampled distribution is singular.
  const ResultRow* singular = find(table, "kl_model_data", 5, 0.0, "theory", "noise", std::nullopt);
  ASSERT_NE(singular, nullptr);
  EXPECT_TRUE(std::isinf(singular->value));
  const ResultRow* regularised = find(table, "kl_model_data", 5, 0.1, "theory", "noise", std::nullopt);
  ASSERT_NE(regularised, nullptr);
  EXPECT_TRUE(std::isfinite(regularised->value));
  // Step 0 of gradient descent from zero is the zero model: noise loss exactly 1 per dimension.
  const ResultRow* zero = find(table, "test_loss", 50, 0.0, "theory", "noise", 0);
  ASSERT_NE(zero, nullptr);
  EXPECT_NEAR(zero->value, 1.0, 1e-12);
  // The Wishart average at c = 0 for N > d + 2.
  const ResultRow* average = find(table, "kl_model_data", 50, 0.0, "theory_avg", "", std::nullopt);
  ASSERT_NE(average, nullptr);
  EXPECT_DOUBLE_EQ(average->value, wishart_kl_model_data(9, 50));
  EXPECT_NE(find(table, "best_c_kl_data_model", 50, std::nullopt, "theory", "", std::nullopt), nullptr);
}

TEST(TheoryCurves, NLargerThanThePoolIsAConfigError) {
  testing::ExperimentWithData s = small_experiment();
  s.config.theory.n = {5, 201};
  const DatasetContext context(s.config.datasets[0], s.dataset, s.config);
  ResultsTable table;
  EXPECT_THROW(add_theory_rows(context, table), ConfigError);
}

}  // namespace
}  // namespace lindiff
