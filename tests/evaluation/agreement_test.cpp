// Each agreement metric on values computed by hand.
#include "src/evaluation/agreement.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

#include <torch/torch.h>

namespace lindiff {
namespace {

using ::testing::HasSubstr;
using ::testing::ThrowsMessage;

// a = (1, 2, 3, 4), r = (1, 2, 3, 5): sum (a - r)^2 = 1; mean r = 2.75, sum (r - mean r)^2 = 8.75;
// mean a = 2.5, sum (a - mean a)^2 = 5; sum (a - mean a)(r - mean r) = 6.5.
TEST(Agreement, MetricsOnHandComputedValues) {
  const Agreement got = agreement(torch::tensor({1.0, 2.0, 3.0, 4.0}), torch::tensor({1.0, 2.0, 3.0, 5.0}));
  EXPECT_EQ(got.count, 4);
  EXPECT_DOUBLE_EQ(got.mse, 0.25);
  EXPECT_DOUBLE_EQ(got.relative_mse, 1.0 / 8.75);
  EXPECT_DOUBLE_EQ(got.r_squared, 1.0 - 1.0 / 8.75);
  EXPECT_DOUBLE_EQ(got.pearson, 6.5 / std::sqrt(5.0 * 8.75));
  EXPECT_DOUBLE_EQ(got.studio_r_squared, 1.0 - 1.0 / 5.0);
}

// r^2 is not a squared correlation: an output opposite to the reference gives r^2 = -3 and
// Pearson -1; a scaled copy has Pearson 1 but r^2 below 1; the layout does not matter.
TEST(Agreement, RSquaredCanBeNegativeWherePearsonIsNot) {
  const Agreement opposite = agreement(torch::tensor({-1.0, 1.0}), torch::tensor({1.0, -1.0}));
  EXPECT_DOUBLE_EQ(opposite.r_squared, -3.0);
  EXPECT_DOUBLE_EQ(opposite.pearson, -1.0);
  const at::Tensor r = torch::tensor({{1.0, 2.0}, {3.0, 6.0}});
  const Agreement scaled = agreement(2 * r.t().contiguous().t(), r);
  EXPECT_DOUBLE_EQ(scaled.pearson, 1.0);
  EXPECT_DOUBLE_EQ(scaled.r_squared, 1.0 - 50.0 / 14.0);  // sum r^2 = 50, sum (r - 3)^2 = 14
  EXPECT_DOUBLE_EQ(agreement(r.to(torch::kFloat), r).mse, 0.0);
}

TEST(Agreement, DegenerateAndMismatchedOutputs) {
  const Agreement constant = agreement(torch::tensor({1.0, 2.0}), torch::tensor({3.0, 3.0}));
  EXPECT_TRUE(std::isnan(constant.r_squared));
  EXPECT_TRUE(std::isnan(constant.pearson));
  EXPECT_DOUBLE_EQ(constant.mse, 2.5);
  // 0.1 is not exact in binary: its mean differs from it by an ulp, a spread of ~1e-33, not zero.
  const Agreement rounded = agreement(torch::tensor({0.2, 0.3, 0.4}), torch::full({3}, 0.1, torch::kDouble));
  EXPECT_TRUE(std::isnan(rounded.r_squared));
  EXPECT_TRUE(std::isnan(rounded.relative_mse));
  EXPECT_FALSE(std::isnan(rounded.studio_r_squared));
  EXPECT_THAT([] { agreement(torch::zeros({2, 3}), torch::zeros({3, 2})); },
              ThrowsMessage<std::invalid_argument>(HasSubstr("differ in shape")));
  EXPECT_THAT([] { agreement(torch::zeros({0}), torch::zeros({0})); },
              ThrowsMessage<std::invalid_argument>(HasSubstr("no outputs")));
}

}  // namespace
}  // namespace lindiff
