#include "src/common/log_spaced.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <stdexcept>

namespace lindiff {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::ThrowsMessage;

// Powers of ten: exp(i ln(1000) / 3) rounds to 10^i, ends included.
TEST(LogSpacedIntegers, DecadesIncludeBothEnds) {
  EXPECT_THAT(log_spaced_integers(1, 1000, 4), ElementsAre(1, 10, 100, 1000));
  EXPECT_THAT(log_spaced_integers(2, 32, 5), ElementsAre(2, 4, 8, 16, 32));
}

// 3^(i/7), i = 0..7, is 1, 1.17, 1.37, 1.60, 1.87, 2.19, 2.56, 3: rounded and merged, {1, 2, 3}.
TEST(LogSpacedIntegers, DuplicatesAreMergedAscending) {
  EXPECT_THAT(log_spaced_integers(1, 3, 8), ElementsAre(1, 2, 3));
  EXPECT_THAT(log_spaced_integers(7, 7, 5), ElementsAre(7));
}

// Past hi ln(hi / lo) + 2 points every integer is hit, and the shortcut that returns them all
// must agree with the points themselves just below it; a count of 2^31 - 1 then costs the range.
TEST(LogSpacedIntegers, AHugeCountIsEveryIntegerOfTheRangeAtOnce) {
  std::vector<std::int64_t> all(50);
  for (int i = 0; i < 50; ++i) all[static_cast<std::size_t>(i)] = i + 1;
  EXPECT_EQ(log_spaced_integers(1, 50, 197), all);  // 50 ln 50 + 2 = 197.6: computed point by point
  EXPECT_EQ(log_spaced_integers(1, 50, 198), all);  // the shortcut
  EXPECT_EQ(log_spaced_integers(1, 50, 2147483647), all);
}

TEST(LogSpacedIntegers, CountOneIsTheLowEnd) {
  EXPECT_THAT(log_spaced_integers(5, 100, 1), ElementsAre(5));
}

TEST(LogSpacedIntegers, EmptyWhenHighIsBelowLowOrCountIsZero) {
  EXPECT_THAT(log_spaced_integers(10, 5, 3), IsEmpty());
  EXPECT_THAT(log_spaced_integers(1, 10, 0), IsEmpty());
  EXPECT_THAT(log_spaced_integers(1, 10, -2), IsEmpty());
}

TEST(LogSpacedIntegers, LowBelowOneIsRejected) {
  EXPECT_THAT([] { log_spaced_integers(0, 10, 3); },
              ThrowsMessage<std::invalid_argument>(HasSubstr("lo = 0 must be >= 1")));
}

}  // namespace
}  // namespace lindiff
