#include "src/jobs/spectrum_job.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "datasets/image_codecs.h"
#include "datasets/registry.h"
#include "src/common/error.h"
#include "tests/support/temp_dir.h"
#include "tests/support/synthetic_data.h"

namespace lindiff {
namespace {

using ::testing::HasSubstr;
using testing::TempDir;

TEST(SpectrumJob, WritesResultsManifestConfigAndImages) {
  TempDir dir;
  ExperimentConfig config;
  config.name = "job";
  config.output_dir = (dir / "out").string();
  SyntheticSpec synthetic;
  synthetic.n_train = 64;
  synthetic.n_test = 8;
  config.datasets = {testing::synthetic_spec(synthetic)};
  DatasetSpec missing;
  missing.name = "mnist";
  missing.path = (dir / "no-mnist").string();
  missing.optional = true;
  config.datasets.push_back(testing::resolved(missing));
  config.spectrum.cov_error_n = {16, 64};
  run_spectrum_job(config, "inline", RuntimeInfo{});
  for (const char* file : {"results.csv", "manifest.json", "config.yaml"}) {
    EXPECT_TRUE(std::filesystem::exists(dir / "out" / file)) << file;
  }
  // Image grids need image codecs (a lean build skips them with a note).
  for (const char* file : {"figures/examples_synthetic_k1.png", "figures/eigenvectors_synthetic_k1.png"}) {
    EXPECT_EQ(std::filesystem::exists(dir / "out" / file), image_codecs_available()) << file;
  }
  std::ifstream manifest(dir / "out/manifest.json");
  const std::string text((std::istreambuf_iterator<char>(manifest)), {});
  EXPECT_THAT(text, HasSubstr("\"skipped_datasets\""));
  EXPECT_THAT(text, HasSubstr("no-mnist")) << "the skipped optional dataset is recorded";
}

}  // namespace
}  // namespace lindiff
