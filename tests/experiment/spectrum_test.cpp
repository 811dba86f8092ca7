#include <gtest/gtest.h>

#include <fstream>

#include "datasets/registry.h"
#include "src/common/error.h"
#include "src/experiment/spectrum_analysis.h"
#include "src/experiment/spectrum_job.h"
#include "tests/support/temp_dir.h"

namespace lindiff {
namespace {

using testing::TempDir;

Dataset small_synthetic(std::int64_t n_train) {
  DatasetSpec spec;
  spec.name = "synthetic";
  spec.synthetic = SyntheticSpec{};
  spec.synthetic->shape = {4, 4};
  spec.synthetic->n_train = n_train;
  spec.synthetic->n_test = 10;
  resolve_dataset_spec(spec, "", [](const std::string& k, const std::string& m) { throw ConfigError(k + m); });
  return load_dataset(spec);
}

TEST(SpectrumAnalysis, GramRouteForFewSamplesAndExactPopulation) {
  const Dataset data = small_synthetic(200);
  SpectrumSpec spec;
  spec.n_train = 10;
  spec.fit_range = {1, 0};
  spec.cov_error_n = {10, 100, 200, 500};  // 500 exceeds the pool and is skipped
  const SpectrumAnalysis a = analyse_spectrum(data, spec, 0);
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
  const Dataset data = small_synthetic(100);
  SpectrumSpec spec;
  spec.cov_error_n = {50};
  const SpectrumAnalysis a = analyse_spectrum(data, spec, 0);
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
  const Dataset data = small_synthetic(20);
  SpectrumSpec spec;
  spec.n_train = 21;
  EXPECT_THROW(analyse_spectrum(data, spec, 0), ConfigError);
}

TEST(SpectrumJob, WritesResultsManifestConfigAndImages) {
  TempDir dir;
  ExperimentConfig config;
  config.name = "job";
  config.output_dir = (dir / "out").string();
  DatasetSpec spec;
  spec.name = "synthetic";
  spec.synthetic = SyntheticSpec{};
  spec.synthetic->n_train = 64;
  spec.synthetic->n_test = 8;
  resolve_dataset_spec(spec, "", [](const std::string& k, const std::string& m) { throw ConfigError(k + m); });
  config.datasets = {spec};
  DatasetSpec missing;
  missing.name = "mnist";
  missing.path = (dir / "no-mnist").string();
  missing.optional = true;
  resolve_dataset_spec(missing, "", [](const std::string& k, const std::string& m) { throw ConfigError(k + m); });
  config.datasets.push_back(missing);
  config.spectrum.cov_error_n = {16, 64};
  run_spectrum_job(config, "inline", RuntimeInfo{});
  for (const char* file : {"results.csv", "manifest.json", "config.yaml", "figures/examples_synthetic_k1.png",
                           "figures/eigenvectors_synthetic_k1.png"}) {
    EXPECT_TRUE(std::filesystem::exists(dir / "out" / file)) << file;
  }
  std::ifstream manifest(dir / "out/manifest.json");
  const std::string text((std::istreambuf_iterator<char>(manifest)), {});
  EXPECT_NE(text.find("\"skipped_datasets\""), std::string::npos);
  EXPECT_NE(text.find("no-mnist"), std::string::npos) << "the skipped optional dataset is recorded";
}

}  // namespace
}  // namespace lindiff
