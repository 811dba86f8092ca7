#include "src/common/quantile.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

namespace lindiff {
namespace {

using ::testing::HasSubstr;
using ::testing::ThrowsMessage;

// Nearest rank floor(q (n - 1) + 1/2): a rank that falls on a half rounds up.
TEST(SortedQuantile, NearestRankWithHalvesUp) {
  const std::vector<double> four = {1, 2, 3, 4};
  EXPECT_EQ(sorted_quantile(four, 0.5), 3);  // rank 1.5 -> 2
  EXPECT_EQ(sorted_quantile(four, 0.0), 1);
  EXPECT_EQ(sorted_quantile(four, 1.0), 4);
  const std::vector<double> five = {10, 20, 30, 40, 50};
  EXPECT_EQ(sorted_quantile(five, 0.5), 30);    // rank 2
  EXPECT_EQ(sorted_quantile(five, 0.25), 20);   // rank 1
  EXPECT_EQ(sorted_quantile(five, 0.125), 20);  // rank 0.5 -> 1
  EXPECT_EQ(sorted_quantile(five, 0.375), 30);  // rank 1.5 -> 2
  EXPECT_EQ(sorted_quantile(five, 0.1), 10);    // rank 0.4 -> 0
  EXPECT_EQ(sorted_quantile(five, 0.9), 50);    // rank 3.6 -> 4
}

TEST(SortedQuantile, OneValueIsEveryQuantile) {
  for (double q : {0.0, 0.3, 0.5, 1.0}) EXPECT_EQ(sorted_quantile({7.0}, q), 7.0) << q;
}

TEST(SortedQuantile, RejectsNoValuesAndQOutsideTheUnitInterval) {
  EXPECT_THAT([] { sorted_quantile({}, 0.5); }, ThrowsMessage<std::invalid_argument>(HasSubstr("no values")));
  for (double q : {-0.1, 1.5, std::nan("")}) {
    EXPECT_THAT([q] { sorted_quantile({1.0, 2.0}, q); },
                ThrowsMessage<std::invalid_argument>(HasSubstr("q must lie in [0, 1]")))
        << q;
  }
}

}  // namespace
}  // namespace lindiff
