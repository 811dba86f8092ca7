#include "src/denoisers/linear_steps.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

#include "src/common/error.h"
#include "src/theory/diagonal_model.h"
#include "tests/support/synthetic_data.h"

namespace lindiff {
namespace {

// A Gaussian training set (d = 16, N = 64, T = 50) and its exact evaluation context.
struct PlanFixture {
  PlanFixture() : e(make()), context(e.config.datasets[0], e.dataset, e.config), set(context.training_modes(64)),
        mean(context.training_set(64).moments.mean),
        evaluation{context.schedule(), set.modes, set.population_view, set.train, set.test, mean, false} {}
  static testing::ExperimentWithData make() {
    SyntheticSpec synthetic;
    synthetic.shape = {4, 4};
    synthetic.n_train = 64;
    synthetic.n_test = 256;
    testing::ExperimentWithData e = testing::synthetic_experiment(synthetic, 11);
    e.config.theory.steps = 50;
    return e;
  }
  // The held-out loss of gradient descent at a constant rate after `steps` steps, computed
  // directly (gradient_descent_model, not the planner's blocks).
  double loss(double rate, std::int64_t steps) const {
    const DiagonalModel model = gradient_descent_model(context.schedule(), Objective::kNoise, set.modes.eigenvalues(), 0.0,
                                                       rate, static_cast<double>(steps), set.modes.dim());
    return evaluate_model(evaluation, model).test_loss.mean();
  }
  double limit() const {
    return evaluate_model(evaluation, optimal_model(context.schedule(), Objective::kNoise, set.modes.eigenvalues(), 0.0))
        .test_loss.mean();
  }
  // Whether `steps` meets the plan's target (docs/convergence.md#steps-auto), by brute force.
  bool meets_target(double rate, std::int64_t steps, double tolerance) const {
    const double at_end = loss(rate, steps), a_decade_before = loss(rate, steps / 10);
    const double drop = (a_decade_before - at_end) / at_end;
    return drop < 0.005 && (at_end <= (1 + tolerance / 2) * limit() || drop < 0);
  }

  testing::ExperimentWithData e;
  DatasetContext context;
  const TrainingModes& set;
  Vector mean;
  EvaluationContext evaluation;
};

// At a constant rate (one run, so the planner's blocks are exact) the plan is the first point of
// its grid 100 x 1.25^k that meets the target, checked against the direct GD solution.
TEST(LinearSteps, PlanIsTheFirstGridPointMeetingTheTarget) {
  PlanFixture f;
  TrainingSpec training;
  training.linear.steps = StepCount::chosen();
  training.linear.max_steps = 10000000;
  const double rate = 0.05 * gd_stability_limit(f.context.schedule(), f.set.modes.eigenvalues().maxCoeff(), 0.0, 16);
  const StepPlan plan = plan_linear_steps(StepInputs{training, f.evaluation, Objective::kNoise, 0.0, rate});
  ASSERT_TRUE(plan.reached) << plan.why;
  EXPECT_TRUE(f.meets_target(rate, plan.steps, training.linear.auto_tolerance)) << plan.why;
  std::int64_t previous = 0;  // the grid point before the plan
  for (double s = 100; std::llround(s) < plan.steps; s *= 1.25) previous = std::llround(s);
  ASSERT_GT(previous, 0);
  EXPECT_FALSE(f.meets_target(rate, previous, training.linear.auto_tolerance)) << previous;
  EXPECT_THAT(plan.why, ::testing::HasSubstr(std::to_string(plan.steps) + " steps"));
}

// max_steps caps the plan, which then says that it did not reach its target.
TEST(LinearSteps, MaxStepsCapsThePlan) {
  PlanFixture f;
  TrainingSpec training;
  training.linear.max_steps = 150;
  const double rate = 0.01 * gd_stability_limit(f.context.schedule(), f.set.modes.eigenvalues().maxCoeff(), 0.0, 16);
  const StepPlan plan = plan_linear_steps(StepInputs{training, f.evaluation, Objective::kNoise, 0.0, rate});
  EXPECT_EQ(plan.steps, 150);
  EXPECT_FALSE(plan.reached);
  EXPECT_THAT(plan.why, ::testing::HasSubstr("max_steps"));
}

// A rate beyond the theory's stability limit is refused by key.
TEST(LinearSteps, UnstableRateIsRefusedByKey) {
  PlanFixture f;
  TrainingSpec training;
  const double rate = 1.01 * gd_stability_limit(f.context.schedule(), f.set.modes.eigenvalues().maxCoeff(), 0.0, 16);
  try {
    plan_linear_steps(StepInputs{training, f.evaluation, Objective::kNoise, 0.0, rate});
    FAIL() << "no error";
  } catch (const ConfigError& error) {
    EXPECT_THAT(error.what(), ::testing::HasSubstr("training.linear.learning_rate"));
  }
}

}  // namespace
}  // namespace lindiff
