#include "src/training/early_stopping.h"

#include <gtest/gtest.h>

namespace lindiff {
namespace {

// Stops after `patience` checkpoints without a lower loss and remembers the best one; early
// checkpoints (before the warm-up) never stop the run, and patience 0 never stops.
TEST(EarlyStopping, StopsAfterPatienceOutsideTheWarmUp) {
  EarlyStopping rule(2, 100);
  EXPECT_TRUE(rule.observe(0, 1.0));
  EXPECT_TRUE(rule.observe(1, 1.1));   // worse, but inside the warm-up
  EXPECT_TRUE(rule.observe(3, 1.2));
  EXPECT_TRUE(rule.observe(10, 1.3));
  EXPECT_TRUE(rule.observe(100, 0.5)); // new best
  EXPECT_TRUE(rule.observe(300, 0.6)); // first miss
  EXPECT_FALSE(rule.observe(1000, 0.7));
  EXPECT_EQ(rule.best_step(), 100);
  EarlyStopping never(0, 0);
  for (std::int64_t step = 0; step < 5; ++step) EXPECT_TRUE(never.observe(step, static_cast<double>(step)));
  EXPECT_EQ(never.best_step(), 0);
}

}  // namespace
}  // namespace lindiff
