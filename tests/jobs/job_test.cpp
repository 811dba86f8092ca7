#include "src/jobs/job.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "src/common/error.h"
#include "src/jobs/resource_estimate.h"
#include "tests/support/synthetic_data.h"
#include "tests/support/temp_dir.h"

namespace lindiff {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::ThrowsMessage;
using testing::TempDir;

ExperimentConfig named(const std::string& name, std::uint64_t seed, const std::filesystem::path& out) {
  ExperimentConfig config;
  config.name = name;
  config.seed = seed;
  config.output_dir = out.string();
  return config;
}

TEST(ClaimOutputFolder, RefusesAFolderHoldingAnotherRun) {
  TempDir dir;
  std::filesystem::create_directories(dir / "out/figures");
  std::ofstream(dir / "out/config.yaml") << to_yaml(named("first", 0, dir / "out"));
  std::ofstream(dir / "out/results.csv") << "rows of the first run";
  // A different seed is another run too: its results were once mixed into the first one's.
  EXPECT_THAT([&] { claim_output_folder(named("second", 0, dir / "out"), false); },
              ThrowsMessage<ConfigError>(AllOf(HasSubstr("holds another run ('name' is 'first' there and 'second' here)"),
                                               HasSubstr("--out"), HasSubstr("--replace"))));
  EXPECT_THAT([&] { claim_output_folder(named("first", 1, dir / "out"), false); },
              ThrowsMessage<ConfigError>(HasSubstr("'seed' is '0' there and '1' here")));
  EXPECT_EQ(testing::read_text(dir / "out/results.csv"), "rows of the first run");
  claim_output_folder(named("first", 0, dir / "out"), false);  // the same run resumes in place
  EXPECT_TRUE(std::filesystem::exists(dir / "out/results.csv"));
}

// The record is written first, so an interrupted (or still running) run owns its folder too; any
// changed key that shapes the results is refused by name, a moved folder is not.
TEST(ClaimOutputFolder, TheFirstWriteIsTheConfigAndAChangedKeyIsRefusedByName) {
  TempDir dir;
  ExperimentConfig first = named("first", 0, dir / "out");
  first.datasets.resize(1);
  first.datasets[0].synthetic.emplace();
  first.datasets[0].synthetic->shape = {4, 4};
  claim_output_folder(first, false);
  EXPECT_EQ(testing::read_text(dir / "out/config.yaml"), to_yaml(first));
  ExperimentConfig reshaped = first;
  reshaped.datasets[0].synthetic->shape = {8, 8};
  EXPECT_THAT([&] { claim_output_folder(reshaped, false); },
              ThrowsMessage<ConfigError>(AllOf(HasSubstr("'datasets.0.synthetic.shape.0' is '4' there and '8' here"),
                                               HasSubstr("--replace"))));
  EXPECT_EQ(testing::read_text(dir / "out/config.yaml"), to_yaml(first));
  ExperimentConfig moved = first;
  moved.output_dir = (dir / "elsewhere").string();
  std::filesystem::rename(dir / "out", dir / "elsewhere");
  claim_output_folder(moved, false);  // same experiment, new place: resumes
}

TEST(ClaimOutputFolder, KeysAnOlderConfigYamlLacksAreNotCompared) {
  TempDir dir;
  std::filesystem::create_directories(dir / "out");
  std::ofstream(dir / "out/config.yaml") << "name: first\nseed: 0\n";
  claim_output_folder(named("first", 0, dir / "out"), false);
}

TEST(ClaimOutputFolder, AnOutputPathThatIsAFileIsExitTwoNamingIt) {
  TempDir dir;
  std::ofstream(dir / "file") << "x";
  try {
    claim_output_folder(named("first", 0, dir / "file"), false);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::kUsage);
    EXPECT_THAT(e.what(), HasSubstr((dir / "file").string()));
  }
}

TEST(ClaimOutputFolder, ReplaceEmptiesTheFolderButLeavesLiveStaging) {
  TempDir dir;
  std::filesystem::create_directories(dir / "out/figures");
  std::filesystem::create_directories(dir / "out/.staging-host.1-1");
  std::ofstream(dir / "out/config.yaml") << to_yaml(named("first", 0, dir / "out"));
  std::ofstream(dir / "out/results.csv") << "rows";
  claim_output_folder(named("second", 0, dir / "out"), true);
  EXPECT_FALSE(std::filesystem::exists(dir / "out/results.csv"));
  EXPECT_FALSE(std::filesystem::exists(dir / "out/figures"));
  EXPECT_TRUE(std::filesystem::exists(dir / "out/.staging-host.1-1"));
}

TEST(ResourceEstimate, TheLinearModelCostsTDSquaredTimesItsCopies) {
  ExperimentConfig config;
  config.theory.steps = 100;
  config.training.models = {"linear"};
  config.training.linear.optimizer = Optimizer::kSgd;
  const Dataset data = testing::synthetic_d8(64);
  double linear = 0;
  for (const MemoryPart& part : estimate_memory("train", config, data)) {
    if (part.what.rfind("the linear model", 0) == 0) linear = part.bytes;
  }
  // 100 x 8^2 weights x (4 weights + 4 gradient + 8 checkpoint and its copy + 4 stacked float copy
  // the exact evaluation reads, converting one timestep at a time to double + 1 finiteness mask).
  EXPECT_DOUBLE_EQ(linear, 100.0 * 64 * 21);
  config.training.linear.optimizer = Optimizer::kAdam;  // + 8 bytes of moments
  for (const MemoryPart& part : estimate_memory("train", config, data)) {
    if (part.what.rfind("the linear model", 0) == 0) {
      EXPECT_DOUBLE_EQ(part.bytes, 100.0 * 64 * 29);
    }
  }
  EXPECT_TRUE(estimate_memory("spectrum", config, data).size() == 2);  // the data and the population only
}

// A huge time embedding is the U-Net's parameters, not its activations: the key named is the one
// that made it huge.
TEST(ResourceEstimate, AnAbsurdUNetIsRefusedNamingItsSizeKeys) {
  ExperimentConfig config;
  config.training.models = {"unet"};
  config.training.unet.time_dim = 1 << 28;
  const Dataset data = testing::synthetic_d8(64);
  EXPECT_THAT([&] { check_memory("train", config, data); },
              ThrowsMessage<ResourceError>(AllOf(HasSubstr("parameters"), HasSubstr("training.unet.time_dim"))));
  EXPECT_THAT(memory_advice(), HasSubstr("training.unet.time_dim"));
}

TEST(ResourceEstimate, ARunLargerThanTheMachineIsRefusedNamingTheKey) {
  ExperimentConfig config;
  config.theory.steps = 2000000000;  // T = 2 x 10^9: 2 x 10^9 x 64 x 21 bytes (2.7 TB) of linear model alone
  config.training.models = {"linear"};
  const Dataset data = testing::synthetic_d8(64);
  EXPECT_THAT([&] { check_memory("train", config, data); },
              ThrowsMessage<ResourceError>(AllOf(HasSubstr("GiB are available"), HasSubstr("the linear model"),
                                                 HasSubstr("theory.respace"))));
  config.theory.respace = 100;
  check_memory("train", config, data);
}

// The denoise stage's work by hand: per N, each reference on G (min(M, N) + M_test) inputs and
// K T sampling steps; calibration adds each candidate on the G M_test held-out inputs per
// calibrated cell and the calibrated machine's K T sampling steps at its costliest candidate. Above denoise.max_minutes the run is refused naming the keys.
TEST(ResourceEstimate, TheDenoiseStagesWorkIsCountedPerReferenceAndCandidate) {
  ExperimentConfig config;
  config.theory.steps = 10;
  config.training.models = {"unet"};
  config.training.n = {16};
  config.denoise.references = {"empirical", "ls"};
  config.denoise.t = {1, 4};
  config.denoise.queries = 8;
  config.denoise.samples = 2;
  const Dataset data = testing::synthetic_d8(64);  // 2x4 grey images, d = 8
  ASSERT_EQ(data.shape.size(), 8);
  const double test = std::min<double>(8, static_cast<double>(data.test.rows()));
  const double queries = 2 * (8 + test) + 2 * 10;
  const double empirical = 2 * 16 * 8;  // 2 N d
  const auto ls = [](double p) { return 8 * 16 * p * p; };  // each pixel against N patches of P^2 values
  EXPECT_DOUBLE_EQ(denoise_multiply_adds(config, data), queries * (empirical + ls(3)));
  config.denoise.calibrate_against = "unet";
  config.denoise.calibrate_patch_sizes = {1, 3};
  // Each candidate on the held-out inputs, and the calibrated machine's K T sampling steps at the costlier size.
  EXPECT_DOUBLE_EQ(denoise_multiply_adds(config, data),
                   queries * (empirical + ls(3)) + 2 * test * (ls(1) + ls(3)) + 2 * 10 * ls(3));

  config.theory.steps = 1000;
  config.denoise.samples = 100000;  // 10^8 sampling steps of 1408 multiply-adds: seconds, not 0.06 ms
  config.denoise.max_minutes = 1e-6;
  EXPECT_THAT([&] { check_denoise_time(config, data); },
              ThrowsMessage<ResourceError>(AllOf(HasSubstr("denoise.max_minutes"), HasSubstr("denoise.samples"))));
  config.denoise.max_minutes = 0;  // no limit
  EXPECT_NO_THROW(check_denoise_time(config, data));
}

}  // namespace
}  // namespace lindiff
