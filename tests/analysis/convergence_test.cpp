#include "src/analysis/convergence.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <stdexcept>

namespace lindiff {
namespace {

using ::testing::HasSubstr;
using ::testing::ThrowsMessage;

TEST(Convergence, AFlatLastDecadeHasConverged) {
  // s_last = 1000, reference = 100 (the last checkpoint <= 100): drop (0.501 - 0.5) / 0.5 = 0.002.
  const ConvergenceVerdict v = judge_convergence({{0, 1.0, 0, {}}, {10, 0.6, 0, {}}, {100, 0.501, 0, {}}, {1000, 0.5, 0, {}}}, false);
  EXPECT_NEAR(v.drop, 0.002, 1e-12);
  EXPECT_TRUE(v.converged);
}

TEST(Convergence, ALossStillFallingHasNot) {
  // Reference 100 (300 > 1000 / 10): drop (0.55 - 0.5) / 0.5 = 0.1 > 1%.
  const ConvergenceVerdict v = judge_convergence({{1000, 0.5, 0, {}}, {100, 0.55, 0, {}}, {300, 0.52, 0, {}}, {10, 0.6, 0, {}}}, false);
  EXPECT_NEAR(v.drop, 0.1, 1e-12);
  EXPECT_FALSE(v.converged);
}

TEST(Convergence, MonteCarloNoiseWidensTheTolerance) {
  // Two standard errors of the difference: 2 sqrt(0.02^2 + 0.02^2) / 0.5 = 0.113 > 0.1 - 0.01.
  EXPECT_TRUE(judge_convergence({{100, 0.55, 0.02, {}}, {1000, 0.5, 0.02, {}}}, false).converged);
  EXPECT_FALSE(judge_convergence({{100, 0.55, 0.01, {}}, {1000, 0.5, 0.01, {}}}, false).converged);  // 0.057 + 0.01 < 0.1
}

TEST(Convergence, PairedDrawsJudgeTheChangeOnCommonDraws) {
  // Four draws whose losses differ a lot between draws (common noise) but fall by exactly
  // 0.05 or 0.05 +- 0.01 from step 100 to 1000: the unpaired errors (about 0.46 each) would call
  // a 10% drop noise; the paired difference 0.05 + (-0.01, 0.01, -0.01, 0.01) has sample sd
  // sqrt(4 * 0.01^2 / 3) and standard error 0.01 / sqrt(3), so 2 se / 0.5 = 0.0231 and
  // 0.1 > 0.01 + 0.0231: not converged.
  LossPoint reference{100, 0.55, 0.46, {0.04, 0.07, 1.04, 1.05}};
  LossPoint last{1000, 0.5, 0.46, {0.0, 0.01, 1.0, 0.99}};
  EXPECT_TRUE(judge_convergence({{100, 0.55, 0.46, {}}, {1000, 0.5, 0.46, {}}}, false).converged);
  EXPECT_FALSE(judge_convergence({reference, last}, false).converged);
  // The same change on every draw: a paired error of 0, the 1% rule alone decides.
  LossPoint uniform_last{1000, 0.5, 0.46, {-0.01, 0.02, 0.99, 1.0}};
  EXPECT_FALSE(judge_convergence({reference, uniform_last}, false).converged);
  EXPECT_TRUE(judge_convergence({reference, uniform_last}, true).converged);
}

TEST(Convergence, DrawsOfDifferentCountsFallBackToTheUnpairedError) {
  LossPoint reference{100, 0.55, 0.02, {0.5, 0.6}};
  LossPoint last{1000, 0.5, 0.02, {0.5, 0.5, 0.5}};
  EXPECT_TRUE(judge_convergence({reference, last}, false).converged);  // as in MonteCarloNoiseWidensTheTolerance
}

TEST(Convergence, ARunShorterThanADecadeIsNotJudgedConverged) {
  // No positive checkpoint <= 9 / 10: the drop runs from the first checkpoint, the verdict is no.
  const ConvergenceVerdict v = judge_convergence({{0, 1.0, 0, {}}, {5, 0.5, 0, {}}, {9, 0.5, 0, {}}}, false);
  EXPECT_DOUBLE_EQ(v.drop, 1.0);
  EXPECT_FALSE(v.converged);
}

TEST(Convergence, EarlyStoppingMeansConverged) {
  EXPECT_TRUE(judge_convergence({{100, 0.9, 0, {}}, {1000, 0.5, 0, {}}}, true).converged);
}

TEST(Convergence, NoCheckpointsIsAnError) {
  EXPECT_THAT([] { judge_convergence({}, false); },
              ThrowsMessage<std::invalid_argument>(HasSubstr("no checkpoints")));
}

}  // namespace
}  // namespace lindiff
