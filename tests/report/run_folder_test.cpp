#include "src/report/run_folder.h"

#include <gtest/gtest.h>

#include <fstream>
#include <stdexcept>

#include "tests/support/temp_dir.h"

namespace lindiff {
namespace {

using testing::TempDir;

TEST(RunFolder, StagedFilesAppearOnlyOnCommit) {
  TempDir dir;
  const auto out = dir / "run";
  {
    RunFolder folder(out);
    std::ofstream(folder.stage("results.csv")) << "new";
    std::ofstream(folder.stage("figures/a.png")) << "png";
    EXPECT_FALSE(std::filesystem::exists(out / "results.csv"));
    folder.commit();
  }
  EXPECT_EQ(testing::read_text(out / "results.csv"), "new");
  EXPECT_EQ(testing::read_text(out / "figures/a.png"), "png");
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(out), {}), 2) << "staging folder left behind";
}

TEST(RunFolder, AFailedRunLeavesEarlierResultsIntact) {
  TempDir dir;
  const auto out = dir / "run";
  {
    RunFolder folder(out);
    std::ofstream(folder.stage("results.csv")) << "old";
    folder.commit();
  }
  try {
    RunFolder folder(out);
    std::ofstream(folder.stage("results.csv")) << "half-writ";
    throw std::runtime_error("stage failed");
  } catch (const std::runtime_error&) {
  }
  EXPECT_EQ(testing::read_text(out / "results.csv"), "old");
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(out), {}), 1) << "staging folder left behind";
}

TEST(RunFolder, RemovesStagingFoldersOfDeadProcesses) {
  TempDir dir;
  const auto out = dir / "run";
  // PIDs are below 2^22 on Linux, so this process cannot exist.
  std::filesystem::create_directories(out / ".staging-99999999-1");
  RunFolder folder(out);
  EXPECT_FALSE(std::filesystem::exists(out / ".staging-99999999-1"));
}

}  // namespace
}  // namespace lindiff
