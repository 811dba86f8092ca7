#include "src/evaluation/cell_evaluation.h"

#include <gtest/gtest.h>

namespace lindiff {
namespace {

ResultRow cell_row(std::int64_t step, const std::string& metric, double value, const std::string& source) {
  return ResultRow{"data", 4, 8, "unet", "noise", 0.0, 0, step, "all", metric, value, source};
}

TEST(HeldOutCurve, ExactForTheLinearModelMonteCarloWithErrorsOtherwise) {
  ResultsTable rows;
  for (std::int64_t step : {10, 1}) {  // out of order on purpose
    rows.add(cell_row(step, "train_loss", 2.0 * step, "monte_carlo"));
    rows.add(cell_row(step, "test_loss", 3.0 * step, "monte_carlo"));
    rows.add(cell_row(step, "test_loss_se", 0.1 * step, "monte_carlo"));
    rows.add(cell_row(step, "test_loss", 5.0 * step, "exact"));
    rows.add(cell_row(step, "test_loss", 7.0 * step, "theory_gd"));
  }
  const std::vector<LossPoint> unet = held_out_curve(rows, "unet");
  ASSERT_EQ(unet.size(), 2u);
  EXPECT_EQ(unet[0].step, 1);
  EXPECT_DOUBLE_EQ(unet[1].loss, 30.0);
  EXPECT_DOUBLE_EQ(unet[1].standard_error, 1.0);
  const std::vector<LossPoint> linear = held_out_curve(rows, "linear");
  ASSERT_EQ(linear.size(), 2u);
  EXPECT_DOUBLE_EQ(linear[1].loss, 50.0);
  EXPECT_DOUBLE_EQ(linear[1].standard_error, 0.0);
}

// On Gaussian data the excess over the Bayes-optimal loss on the same draws carries the
// smaller, paired standard error; the curve's changes are judged with it.
TEST(HeldOutCurve, UsesThePairedErrorOfTheExcessWhereMeasured) {
  ResultsTable rows;
  rows.add(cell_row(100, "test_loss", 0.2622, "monte_carlo"));
  rows.add(cell_row(100, "test_loss_se", 0.0073, "monte_carlo"));
  rows.add(cell_row(100, "excess_test_loss_se", 0.0012, "monte_carlo"));
  rows.add(cell_row(1000, "test_loss", 0.2435, "monte_carlo"));
  rows.add(cell_row(1000, "test_loss_se", 0.0072, "monte_carlo"));
  rows.add(cell_row(1000, "excess_test_loss_se", 0.0009, "monte_carlo"));
  const std::vector<LossPoint> curve = held_out_curve(rows, "unet");
  ASSERT_EQ(curve.size(), 2u);
  EXPECT_DOUBLE_EQ(curve[0].standard_error, 0.0012);
  EXPECT_DOUBLE_EQ(curve[1].standard_error, 0.0009);
  // The quickstart U-Net at N = 256 (1000 steps): a 7.7% drop over the last decade is real
  // (2 x 0.0015 / 0.2435 = 1.2% noise); with the unpaired errors it passed as noise (8.4%).
  EXPECT_FALSE(judge_convergence(curve, false).converged);
}

TEST(HeldOutCurve, FallsBackToTheTrainingLossWithoutAHeldOutSplit) {
  ResultsTable rows;
  rows.add(cell_row(4, "train_loss", 0.5, "monte_carlo"));
  rows.add(cell_row(4, "train_loss_se", 0.01, "monte_carlo"));
  const std::vector<LossPoint> curve = held_out_curve(rows, "unet");
  ASSERT_EQ(curve.size(), 1u);
  EXPECT_DOUBLE_EQ(curve[0].loss, 0.5);
  EXPECT_DOUBLE_EQ(curve[0].standard_error, 0.01);
}

}  // namespace
}  // namespace lindiff
