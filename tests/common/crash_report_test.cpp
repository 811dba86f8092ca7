#include "src/common/crash_report.h"

#include <gtest/gtest.h>

#include <csignal>

namespace lindiff {
namespace {

// A segmentation fault as the kernel delivers it (a real null write would be caught earlier by
// UBSan in the sanitizer build).
void crash_with_a_segmentation_fault() {
  install_crash_report();
  std::raise(SIGSEGV);
}

// The process still dies of the signal (so shells see 128 + 11), after naming it and printing a
// backtrace that reaches the crashing function.
TEST(CrashReportDeathTest, ASegmentationFaultIsNamedWithABacktraceAndStillKills) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(crash_with_a_segmentation_fault(), ::testing::KilledBySignal(SIGSEGV),
              "fatal signal: Segmentation fault; backtrace \\(innermost first\\):\n.*test_common");
}

TEST(CrashReportDeathTest, AnAbortIsReportedToo) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT((install_crash_report(), std::abort()), ::testing::KilledBySignal(SIGABRT), "fatal signal: Aborted");
}

}  // namespace
}  // namespace lindiff
