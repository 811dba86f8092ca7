#include "src/common/subprocess.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "src/common/error.h"
#include "tests/support/temp_dir.h"

namespace lindiff {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::ThrowsMessage;
using testing::TempDir;

// Every trick a shell would act on: quotes, substitution, backquotes, separators, a line break.
const std::string kHostile = "x'\"$(touch PWNED)`touch PWNED2`;touch PWNED3 &&\ntouch PWNED4 | y";

TEST(Subprocess, ArgumentsReachTheProgramVerbatimAndNoShellRuns) {
  TempDir dir;
  EXPECT_EQ(run_program({"touch", kHostile}, dir.path()), 0);
  EXPECT_TRUE(std::filesystem::exists(dir / kHostile));
  for (const char* planted : {"PWNED", "PWNED2", "PWNED3", "PWNED4"}) {
    EXPECT_FALSE(std::filesystem::exists(dir / planted)) << planted;
  }
}

TEST(Subprocess, RunsInItsFolderAndKeepsStandardErrorAndTheExitStatus) {
  TempDir dir;
  EXPECT_EQ(run_program({"touch", "made"}, dir.path()), 0);
  EXPECT_TRUE(std::filesystem::exists(dir / "made"));
  EXPECT_EQ(run_program({"ls", "no-such-entry"}, dir.path(), dir / "err.log"), 2);
  EXPECT_THAT(testing::read_text(dir / "err.log"), HasSubstr("no-such-entry"));
}

TEST(Subprocess, AMissingProgramIsNamedWithExitTwo) {
  TempDir dir;
  try {
    run_program({"lindiff-no-such-program"}, dir.path());
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::kUsage);
    EXPECT_THAT(e.what(), HasSubstr("lindiff-no-such-program"));
  }
}

TEST(Subprocess, AChildEndedBySigintEndsTheRunAsAnInterrupt) {
  TempDir dir;
  EXPECT_THAT([&] { run_program({"sh", "-c", "kill -INT $$"}, dir.path()); },
              ThrowsMessage<InterruptedError>(HasSubstr("SIGINT")));
  EXPECT_EQ(run_program({"sh", "-c", "kill -KILL $$"}, dir.path()), 128 + 9);
}

TEST(Subprocess, ProgramOnPathLooksOnlyAtBareNamesOnPath) {
  EXPECT_TRUE(program_on_path("sh"));
  EXPECT_FALSE(program_on_path("lindiff-no-such-program"));
  EXPECT_FALSE(program_on_path("/bin/sh"));
  EXPECT_FALSE(program_on_path(""));
}

}  // namespace
}  // namespace lindiff
