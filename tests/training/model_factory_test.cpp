#include "src/training/model_factory.h"

#include <gtest/gtest.h>

#include "src/theory/diagonal_model.h"

namespace lindiff {
namespace {

// The default linear rate never exceeds the full-batch GD rate and keeps one minibatch
// step on W_t contractive: rate * 2 r m2 / (B d) <= 1.
TEST(DefaultLinearRate, RespectsBothLimits) {
  const Schedule schedule = Schedule::linear(1000);
  LinearTrainingSpec linear;
  linear.batch_size = 512;
  const double rate = default_linear_rate(schedule, 5.0, 64.0, 0.0, 64, linear);
  EXPECT_LE(rate, default_learning_rate(schedule, 5.0, 0.0, 64));
  EXPECT_NEAR(rate, 512.0 * 64 / (2.0 * 3 * 64), 1e-9);
  linear.one_t_per_batch = true;
  EXPECT_NEAR(default_linear_rate(schedule, 5.0, 64.0, 0.0, 64, linear), 64.0 / (2.0 * 64), 1e-12);
}

}  // namespace
}  // namespace lindiff
