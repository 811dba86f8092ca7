#include "src/sweep/training_sweep.h"

#include <gtest/gtest.h>

#include <set>

namespace lindiff {
namespace {

TEST(TrainingSweep, CellIdsAreReadableAndDistinct) {
  TrainingSpec spec;
  spec.models = {"linear", "unet"};
  spec.objectives = {Objective::kNoise, Objective::kData};
  spec.c = {0, 0.01};
  spec.seeds = {0, 1};
  const std::vector<TrainingCell> cells = training_cells(spec, "fashion", {16, 64});
  EXPECT_EQ(cells.size(), 32u);
  EXPECT_EQ(cells.front().id(), "fashion_linear_noise_N16_c0_s0");
  std::set<std::string> ids;
  for (const TrainingCell& c : cells) ids.insert(c.id());
  EXPECT_EQ(ids.size(), cells.size());
}

}  // namespace
}  // namespace lindiff
