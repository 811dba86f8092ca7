#include "src/theory/rate_schedule.h"

#include <gtest/gtest.h>

#include <cmath>

#include "src/theory/diagonal_model.h"

namespace lindiff {
namespace {

RateSchedule schedule_of(LrSchedule kind, std::int64_t warmup, double final_share, std::int64_t every = 0) {
  RateShape shape;
  shape.kind = kind;
  shape.warmup_steps = warmup;
  shape.final_share = final_share;
  shape.step_every = every;
  shape.step_factor = 0.5;
  return RateSchedule{shape, 2.0, 110};
}

// The closed forms of docs/theory.md#learning-rate-schedules at hand-computed steps: warm-up
// over 10 steps, then 100 steps of decay to a floor of 0.1 x 2.0.
TEST(RateSchedule, WarmUpThenEachDecayAtClosedFormSteps) {
  const RateSchedule cosine = schedule_of(LrSchedule::kCosine, 10, 0.1);
  EXPECT_DOUBLE_EQ(cosine.at(0), 0.2);   // 2 x 1/10
  EXPECT_DOUBLE_EQ(cosine.at(9), 2.0);   // 2 x 10/10
  EXPECT_DOUBLE_EQ(cosine.at(10), 2.0);  // p = 0
  EXPECT_NEAR(cosine.at(60), 0.2 + 1.8 * 0.5, 1e-15);  // p = 1/2: cos = 0
  EXPECT_NEAR(cosine.at(110), 0.2, 1e-15);             // p = 1: the floor
  const RateSchedule linear = schedule_of(LrSchedule::kLinear, 10, 0.1);
  EXPECT_NEAR(linear.at(35), 0.2 + 1.8 * 0.75, 1e-15);
  const RateSchedule step = schedule_of(LrSchedule::kStep, 10, 0.1, 30);
  EXPECT_DOUBLE_EQ(step.at(39), 2.0);
  EXPECT_DOUBLE_EQ(step.at(40), 1.0);
  EXPECT_DOUBLE_EQ(step.at(70), 0.5);
  EXPECT_DOUBLE_EQ(step.at(100), 0.25);
  EXPECT_DOUBLE_EQ(schedule_of(LrSchedule::kStep, 10, 0.2, 30).at(100), 0.4);  // held at the floor
  EXPECT_DOUBLE_EQ(schedule_of(LrSchedule::kStep, 10, 0.0).at(43), 1.0);      // every = 100 / 3 -> 33
  const RateSchedule constant = schedule_of(LrSchedule::kConstant, 0, 0.1);
  EXPECT_DOUBLE_EQ(constant.at(0), 2.0);
  EXPECT_DOUBLE_EQ(constant.at(109), 2.0);
}

// The old cosine (0.5 eta (1 + cos(pi s / S))) is the cosine without warm-up and floor, bit for bit:
// runs trained before schedules had shapes keep their numbers.
TEST(RateSchedule, PlainCosineIsTheEarlierFormula) {
  const RateSchedule cosine{RateShape{LrSchedule::kCosine, 0, 0.0, 0, 0.5}, 3e-3, 4000};
  for (std::int64_t s : {0, 1, 1234, 3999}) {
    EXPECT_EQ(cosine.at(s), 0.5 * 3e-3 * (1.0 + std::cos(M_PI * static_cast<double>(s) / 4000.0))) << s;
  }
}

TEST(RateSchedule, RunsMergeEqualRatesAndCoverEveryStep) {
  EXPECT_EQ(RateSchedule::constant(0.5, 10).runs(1e9).size(), 1u);
  EXPECT_EQ(RateSchedule::constant(0.5, 10).runs(1e9)[0].count, 1e9);
  const RateSchedule step = schedule_of(LrSchedule::kStep, 10, 0.0, 30);
  const std::vector<RateRun> runs = step.runs(110);
  double covered = 0;
  for (const RateRun& r : runs) covered += r.count;
  EXPECT_EQ(covered, 110);
  // Nine rising warm-up rates, then 2.0 (the last warm-up step is the peak too), 1.0, 0.5, 0.25.
  ASSERT_EQ(runs.size(), 9u + 4u);
  EXPECT_EQ(runs[9].rate, 2.0);
  EXPECT_EQ(runs[9].count, 31);
  EXPECT_EQ(runs[12].count, 10);
}

// Coarsening keeps every step and the mean rate of each block; runs already few enough, and a
// constant rate, are left as they are.
TEST(RateSchedule, CoarsenedRunsKeepStepsAndBlockMeans) {
  const RateSchedule cosine = schedule_of(LrSchedule::kCosine, 0, 0.1);
  const std::vector<RateRun> runs = cosine.runs(110);
  ASSERT_EQ(runs.size(), 110u);  // every cosine step has its own rate
  const std::vector<RateRun> blocks = coarsened(runs, 8);
  ASSERT_EQ(blocks.size(), 8u);  // ceil(110 / 8) = 14 runs a block: 7 of 14 and one of 12
  double covered = 0, total_rate = 0, blocked_rate = 0;
  for (const RateRun& r : runs) total_rate += r.rate * r.count;
  for (const RateRun& b : blocks) {
    covered += b.count;
    blocked_rate += b.rate * b.count;
  }
  EXPECT_EQ(covered, 110);
  EXPECT_EQ(blocks.back().count, 12);
  EXPECT_NEAR(blocked_rate, total_rate, 1e-12 * total_rate);
  double first = 0;
  for (int s = 0; s < 14; ++s) first += cosine.at(s);
  EXPECT_NEAR(blocks[0].rate, first / 14, 1e-15);
  EXPECT_EQ(coarsened(runs, 200).size(), 110u);
  EXPECT_EQ(coarsened(RateSchedule::constant(0.5, 10).runs(1e6), 4).size(), 1u);
}

// Brute force: the remaining factor of each mode multiplied step by step (double) against the
// closed-form rows, for every schedule shape, both objectives.
TEST(GradientDescentModel, FollowsAnyScheduleAsTheProductOfItsSteps) {
  const Schedule schedule = Schedule::linear(6, 0.01, 0.3);
  Vector eigenvalues(3);
  eigenvalues << 3.0, 0.4, 0.01;
  const double c = 0.05;
  const Index d = 3;
  const double peak = 0.5 * gd_stability_limit(schedule, eigenvalues.maxCoeff(), c, d);
  for (const LrSchedule kind : {LrSchedule::kConstant, LrSchedule::kCosine, LrSchedule::kLinear, LrSchedule::kStep}) {
    const RateSchedule rate{RateShape{kind, 7, 0.05, 11, 0.3}, peak, 60};
    for (const Objective objective : {Objective::kNoise, Objective::kData}) {
      const DiagonalModel optimum = optimal_model(schedule, objective, eigenvalues, c);
      for (const int steps : {0, 5, 31, 60}) {
        const DiagonalModel model = gradient_descent_model(schedule, objective, eigenvalues, c, rate, steps, d);
        for (int t = 1; t <= schedule.steps(); ++t) {
          for (Index g = 0; g < 3; ++g) {
            const double k = mode_curvature(schedule, t, eigenvalues(g), c);
            double remaining = 1;
            for (int s = 0; s < steps; ++s) remaining *= 1.0 - 2.0 * rate.at(s) * k / (schedule.steps() * static_cast<double>(d));
            const double expected = optimum.weights(t - 1, g) * (1.0 - remaining);
            EXPECT_NEAR(model.weights(t - 1, g), expected, 1e-13 * (1.0 + std::abs(expected)))
                << enum_name(kind) << " " << enum_name(objective) << " t " << t << " g " << g << " s " << steps;
          }
        }
      }
    }
  }
}

// A constant schedule gives the constant-rate trajectory bit for bit (its closed form (1 - a)^s).
TEST(GradientDescentModel, ConstantScheduleIsTheConstantRateModel) {
  const Schedule schedule = Schedule::linear(5, 0.01, 0.3);
  Vector eigenvalues(2);
  eigenvalues << 1.5, 0.2;
  const DiagonalModel a = gradient_descent_model(schedule, Objective::kNoise, eigenvalues, 0.0, 1.25, 1e6, 2);
  const DiagonalModel b =
      gradient_descent_model(schedule, Objective::kNoise, eigenvalues, 0.0, RateSchedule::constant(1.25, 10), 1e6, 2);
  EXPECT_EQ(a.weights, b.weights);
  EXPECT_EQ(a.contraction, b.contraction);
}

}  // namespace
}  // namespace lindiff
