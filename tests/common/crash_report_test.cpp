#include "src/common/crash_report.h"

#include <gtest/gtest.h>

#include <csignal>

namespace lindiff {
namespace {

void crash_with_a_null_write() {
  install_crash_report();
  volatile int* nowhere = nullptr;
  *nowhere = 1;
}

// The process still dies of the signal (so shells see 128 + 11), after naming it and printing a
// backtrace that reaches the crashing function.
TEST(CrashReportDeathTest, ASegmentationFaultIsNamedWithABacktraceAndStillKills) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(crash_with_a_null_write(), ::testing::KilledBySignal(SIGSEGV),
              "fatal signal: Segmentation fault; backtrace \\(innermost first\\):\n.*test_common");
}

TEST(CrashReportDeathTest, AnAbortIsReportedToo) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT((install_crash_report(), std::abort()), ::testing::KilledBySignal(SIGABRT), "fatal signal: Aborted");
}

}  // namespace
}  // namespace lindiff
