#include "src/report/run_folder.h"

#include <gtest/gtest.h>

#include <fstream>
#include <optional>
#include <stdexcept>

#include "src/common/error.h"
#include "src/common/file_lock.h"
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

TEST(RunFolder, RemovesStagingFoldersWhoseLockIsFree) {
  TempDir dir;
  const auto out = dir / "run";
  // A run that died (on this host or another): its lock file exists but nobody holds it.
  std::filesystem::create_directories(out / ".staging-otherhost.77-1");
  std::ofstream(out / ".staging-otherhost.77-1" / ".lock");
  RunFolder folder(out);
  EXPECT_FALSE(std::filesystem::exists(out / ".staging-otherhost.77-1"));
}

TEST(RunFolder, KeepsTheStagingOfALiveRunWhateverItsProcessId) {
  TempDir dir;
  const auto out = dir / "run";
  // A live run in another PID namespace: its process id means nothing here (kill(pid, 0) said
  // "gone" and its staging was deleted under it), but it holds its lock.
  std::filesystem::create_directories(out / ".staging-container.99999999-1");
  const std::optional<FileLock> live = FileLock::try_acquire(out / ".staging-container.99999999-1" / ".lock");
  ASSERT_TRUE(live.has_value());
  RunFolder folder(out);
  EXPECT_TRUE(std::filesystem::exists(out / ".staging-container.99999999-1"));
}

TEST(RunFolder, TwoRunsOnOneFolderStageApart) {
  TempDir dir;
  RunFolder first(dir / "run"), second(dir / "run");
  EXPECT_NE(first.staging_dir(), second.staging_dir());
  EXPECT_TRUE(std::filesystem::exists(first.staging_dir()));  // the second did not take it for abandoned
}

}  // namespace
}  // namespace lindiff

namespace lindiff {
namespace {

TEST(PathInside, RefusesEscapesAndLinksAndNamesThePath) {
  TempDir dir;
  std::filesystem::create_directories(dir / "run/figures");
  EXPECT_EQ(path_inside(dir / "run", "figures/a.png"), dir / "run/figures/a.png");
  for (const char* escape : {"../escaped", "figures/../../x", "/etc/passwd", ""}) {
    EXPECT_THROW(path_inside(dir / "run", escape), Error) << escape;
  }
  std::filesystem::create_directories(dir / "elsewhere");
  std::filesystem::create_directory_symlink(dir / "elsewhere", dir / "run/samples");
  try {
    path_inside(dir / "run", "samples/grid.png");
    FAIL() << "a link inside the run folder was followed";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::kUsage);
    EXPECT_NE(std::string(e.what()).find((dir / "run/samples").string()), std::string::npos) << e.what();
  }
}

TEST(RunFolder, CommitDoesNotWriteThroughALinkedFiguresFolder) {
  TempDir dir;
  std::filesystem::create_directories(dir / "run");
  std::filesystem::create_directories(dir / "elsewhere");
  std::filesystem::create_directory_symlink(dir / "elsewhere", dir / "run/figures");
  {
    RunFolder folder(dir / "run");
    std::ofstream(folder.stage("figures/a.png")) << "png";
    EXPECT_THROW(folder.commit(), Error);
  }
  EXPECT_TRUE(std::filesystem::is_empty(dir / "elsewhere"));
}

TEST(RunFolder, AnOutputPathThatIsAFileIsExitTwoNamingIt) {
  TempDir dir;
  testing::write_bytes(dir / "file", "x");
  try {
    RunFolder folder(dir / "file");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::kUsage);
    EXPECT_NE(std::string(e.what()).find((dir / "file").string()), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace lindiff
