#include "src/figures/plot.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/support/temp_dir.h"

namespace lindiff {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testing::TempDir;

// gnuplot runs `...` inside double-quoted strings and lindiff once ran gnuplot through a shell.
const std::string kHostile = "a'\"`touch PWNED1`$(touch PWNED2);touch PWNED3\nsecond line @macro";

TEST(Plot, HostileTitlesAndFileNamesAreDrawnAsTextAndRunNothing) {
  if (!gnuplot_available()) GTEST_SKIP() << "gnuplot is not installed";
  TempDir dir;
  Plot plot;
  plot.title = kHostile;
  plot.x_label = kHostile;
  plot.y_label = kHostile;
  plot.warning = kHostile;
  plot.series.push_back(series_of(kHostile, {{1, 2}, {2, 3}}, "lines"));
  const std::string stem = "fig'\"`touch PWNED4`$(touch PWNED5)";
  render_plot(plot, dir / stem);
  EXPECT_TRUE(std::filesystem::exists(dir / (stem + ".png")));
  EXPECT_TRUE(std::filesystem::exists(dir / (stem + ".svg")));
  for (const char* planted : {"PWNED1", "PWNED2", "PWNED3", "PWNED4", "PWNED5"}) {
    EXPECT_FALSE(std::filesystem::exists(dir / planted)) << planted;
    EXPECT_FALSE(std::filesystem::exists(planted)) << planted;
  }
  // Every string of the script is single-quoted (no substitution there).
  EXPECT_THAT(testing::read_text(dir / (stem + ".gp")), Not(HasSubstr("\"a'")));
}

}  // namespace
}  // namespace lindiff
