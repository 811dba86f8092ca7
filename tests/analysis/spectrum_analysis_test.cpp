#include "src/analysis/spectrum_analysis.h"

#include <gtest/gtest.h>

#include "datasets/registry.h"
#include "src/common/error.h"
#include "tests/support/synthetic_data.h"

namespace lindiff {
namespace {

// A 4x4 synthetic dataset with `n_train` pool rows; the spectrum settings are set per test,
// the pool order uses seed 0.
testing::ExperimentWithData small_synthetic(std::int64_t n_train) {
  SyntheticSpec synthetic;
  synthetic.shape = {4, 4};
  synthetic.n_train = n_train;
  synthetic.n_test = 10;
  testing::ExperimentWithData s = testing::synthetic_experiment(synthetic);
  s.config.seed = 0;
  return s;
}

TEST(SpectrumAnalysis, IdenticalRowsAreANumericErrorNamingTheFitRange) {
  // Every row the same: a zero covariance, no positive eigenvalue to fit (once exit 1).
  testing::ExperimentWithData s = small_synthetic(50);
  s.dataset.pool.setConstant(0.5f);
  s.dataset.test.setConstant(0.5f);
  s.dataset.exact.reset();
  s.config.spectrum.cov_error_n = {10};
  const DatasetContext context(s.config.datasets[0], s.dataset, s.config);
  try {
    analyse_spectrum(context);
    ADD_FAILURE() << "expected NumericError";
  } catch (const NumericError& e) {
    EXPECT_NE(std::string(e.what()).find("0 positive eigenvalue(s) of 16"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("spectrum.fit_range"), std::string::npos) << e.what();
  }
}

TEST(SpectrumAnalysis, GramRouteForFewSamplesAndExactPopulation) {
  testing::ExperimentWithData s = small_synthetic(200);
  SpectrumSpec& spec = s.config.spectrum;
  spec.n_train = 10;
  spec.fit_range = {1, 0};
  spec.cov_error_n = {10, 100, 200, 500};  // 500 exceeds the pool and is skipped
  const DatasetContext context(s.config.datasets[0], s.dataset, s.config);
  const SpectrumAnalysis a = analyse_spectrum(context);
  EXPECT_EQ(a.route, "gram");
  EXPECT_EQ(a.train.explicit_count(), 9);
  EXPECT_EQ(a.n_population, 0);
  EXPECT_NEAR(a.d_eff_population, participation_ratio(power_law_spectrum(16, 1.0)), 1e-12);
  ASSERT_EQ(a.covariance_error.size(), 3u);
  EXPECT_EQ(a.covariance_error[2].n, 200);
  EXPECT_NEAR(a.covariance_error[0].predicted, (9 * (1 + a.d_eff_population) + 1) / 100.0, 1e-12);
  EXPECT_EQ(a.examples.rows(), 10);
}

TEST(SpectrumAnalysis, RowsCarrySourcesAndEveryRank) {
  testing::ExperimentWithData s = small_synthetic(100);
  s.config.spectrum.cov_error_n = {50};
  const DatasetContext context(s.config.datasets[0], s.dataset, s.config);
  const SpectrumAnalysis a = analyse_spectrum(context);
  EXPECT_EQ(a.route, "covariance");
  ResultsTable table;
  add_spectrum_rows(a, table);
  int eigenvalue_rows = 0, theory_rows = 0;
  for (const ResultRow& row : table.rows()) {
    eigenvalue_rows += row.metric.rfind("eigenvalue_", 0) == 0;
    theory_rows += row.source == "theory";
    if (row.metric == "d_eff" && row.source == "data") {
      EXPECT_EQ(row.n, 100);
      EXPECT_DOUBLE_EQ(row.value, a.d_eff_train);
    }
  }
  EXPECT_EQ(eigenvalue_rows, 2 * 16);
  EXPECT_EQ(theory_rows, 1);
}

TEST(SpectrumAnalysis, TooLargeNIsAConfigError) {
  testing::ExperimentWithData s = small_synthetic(20);
  s.config.spectrum.n_train = 21;
  const DatasetContext context(s.config.datasets[0], s.dataset, s.config);
  EXPECT_THROW(analyse_spectrum(context), ConfigError);
}

}  // namespace
}  // namespace lindiff
