#include "src/theory/schedule.h"

#include <gtest/gtest.h>

namespace lindiff {
namespace {

// docs/theory.md#noise-schedule quotes abar_T to two digits: 4.0e-5 (linear) and 6.3e-3 (slides).
TEST(Schedule, LinearDefaultMatchesDdpm) {
  const Schedule s = Schedule::linear(1000);
  EXPECT_EQ(s.steps(), 1000);
  EXPECT_DOUBLE_EQ(s.beta(1), 1e-4);
  EXPECT_DOUBLE_EQ(s.beta(1000), 2e-2);
  EXPECT_NEAR(s.abar(1000), 4.0e-5, 0.05e-5);
  EXPECT_EQ(s.one_minus_abar(1), s.beta(1));
  EXPECT_NEAR(s.one_minus_abar(500), 1.0 - s.abar(500), 1e-15);
}

TEST(Schedule, SlidesScheduleLeavesLargeVarianceUnnoised) {
  const Schedule s = Schedule::slides(1000);
  EXPECT_DOUBLE_EQ(s.beta(1000), 1e-2);
  EXPECT_NEAR(s.beta(1), 1e-4 + 9.9e-3 / 1000, 1e-18);
  EXPECT_NEAR(s.abar(1000), 6.3e-3, 0.05e-3);
}

TEST(Schedule, RespacedKeepsAbarAtKeptSteps) {
  const Schedule s = Schedule::linear(1000);
  const Schedule r = s.respaced(50);
  ASSERT_EQ(r.steps(), 50);
  EXPECT_EQ(r.source_steps().back(), 1000);
  EXPECT_EQ(r.source_steps().front(), 20);
  for (int k = 1; k <= 50; ++k) EXPECT_NEAR(r.abar(k), s.abar(r.source_steps()[k - 1]), 1e-14);
  EXPECT_THROW(s.respaced(0), std::invalid_argument);
}

TEST(Schedule, RejectsInvalidBetasAndNames) {
  EXPECT_THROW(Schedule::from_betas({0.1, 1.0}), std::invalid_argument);
  EXPECT_THROW(Schedule::from_betas({}), std::invalid_argument);
  EXPECT_EQ(parse_enum<ScheduleKind>("cosine"), std::nullopt);
  EXPECT_EQ(Schedule::of(ScheduleKind::kSlides, 10, 1e-4, 0).beta(10), Schedule::slides(10, 1e-4, 1e-2).beta(10));
  EXPECT_EQ(Schedule::of(ScheduleKind::kLinear, 10, 1e-4, 0).beta(10), Schedule::linear(10, 1e-4, 2e-2).beta(10));
}

}  // namespace
}  // namespace lindiff
