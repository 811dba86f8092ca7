#include "src/config/settings.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace lindiff {
namespace {

using ::testing::ElementsAre;

TEST(Settings, ScheduleFollowsTheSpec) {
  TheorySpec spec;
  spec.schedule = ScheduleKind::kSlides;
  spec.steps = 1000;
  EXPECT_NEAR(make_schedule(spec).abar(1000), 6.3e-3, 0.05e-3);
  spec.respace = 50;
  EXPECT_EQ(make_schedule(spec).steps(), 50);
  spec.betas = {0.1, 0.2, 0.3};
  spec.respace = 0;
  EXPECT_EQ(make_schedule(spec).steps(), 3);
  EXPECT_NEAR(make_schedule(spec).abar(3), 0.9 * 0.8 * 0.7, 1e-15);
}

// Without theory.n: 12 values round(8 * 512^(i/11)) from d/8 = 8 to the pool 4096.
TEST(Settings, TheorySizesRunFromAnEighthOfTheDimensionToThePool) {
  TheorySpec spec;
  EXPECT_EQ(theory_sizes(spec, 64, 4096).front(), 8);
  EXPECT_EQ(theory_sizes(spec, 64, 4096).back(), 4096);
  EXPECT_THAT(theory_sizes(spec, 64, 4096), ElementsAre(8, 14, 25, 44, 77, 136, 240, 424, 747, 1318, 2323, 4096));
  EXPECT_THAT(theory_sizes(spec, 8, 3), ElementsAre(2, 3));  // at least 2, duplicates merged
  EXPECT_THAT(theory_sizes(spec, 800, 50), ElementsAre(50));  // never above the pool
  spec.n = {5, 50};
  EXPECT_THAT(theory_sizes(spec, 64, 4096), ElementsAre(5, 50));
}

TEST(Settings, TrainingSizesDefaultToTheTheorySizes) {
  ExperimentConfig config;
  config.theory.n = {5, 50};
  EXPECT_THAT(training_sizes(config, 64, 4096), ElementsAre(5, 50));
  config.training.n = {16, 64};
  EXPECT_THAT(training_sizes(config, 64, 4096), ElementsAre(16, 64));
}

TEST(Settings, CheckpointStepsAreLogSpacedWithEnds) {
  EXPECT_EQ(checkpoint_steps(1000, 5), (std::vector<std::int64_t>{0, 1, 10, 100, 1000}));
  EXPECT_EQ(checkpoint_steps(7, 2), (std::vector<std::int64_t>{0, 7}));
  EXPECT_EQ(checkpoint_steps(3, 8), (std::vector<std::int64_t>{0, 1, 2, 3}));
}

// Open-ended runs: every checkpoint from 10 on has the one a decade before it.
TEST(Settings, DecadeCheckpointStepsFollowTheOneTwoFiveGrid) {
  EXPECT_EQ(decade_checkpoint_steps(20000),
            (std::vector<std::int64_t>{0, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000}));
  EXPECT_EQ(decade_checkpoint_steps(300), (std::vector<std::int64_t>{0, 1, 2, 5, 10, 20, 50, 100, 200, 300}));
  EXPECT_EQ(decade_checkpoint_steps(1), (std::vector<std::int64_t>{0, 1}));
}

}  // namespace
}  // namespace lindiff
