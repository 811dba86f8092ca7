#include "src/denoisers/linear_steps.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "src/analysis/convergence.h"
#include "src/common/error.h"
#include "src/theory/diagonal_model.h"
#include "src/theory/rate_schedule.h"

namespace lindiff {

namespace {

constexpr double kGridFactor = 1.25;
constexpr std::size_t kPlanningBlocks = 64;

// The theory's held-out loss after `step` steps of a run of `total` steps.
class TheoryCurve {
 public:
  TheoryCurve(const StepInputs& in, const Vector& eigenvalues)
      : in_(in), eigenvalues_(eigenvalues), shape_(in.training.linear.rate) {}

  double at(std::int64_t step, std::int64_t total) const {
    const RateSchedule rate{shape_, in_.learning_rate, total};
    const ModelRows rows(in_.evaluation.schedule, in_.objective, eigenvalues_, in_.c,
                         coarsened(rate.runs(static_cast<double>(step)), kPlanningBlocks), rate.max_rate(),
                         in_.evaluation.modes.dim());
    return evaluate_model(in_.evaluation, rows).test_loss.mean();
  }
  double limit() const {
    return evaluate_model(in_.evaluation, ModelRows(in_.objective, eigenvalues_, in_.c)).test_loss.mean();
  }

 private:
  const StepInputs& in_;
  const Vector& eigenvalues_;
  RateShape shape_;
};


std::string describe(std::int64_t steps, double loss, double limit, double drop, bool reached) {
  char line[256];
  std::snprintf(line, sizeof line, "%lld steps: GD theory held-out loss %.6g, %+.3f%% from its limit's %.6g, %+.3f%% over the last decade%s",
                static_cast<long long>(steps), loss, 100.0 * (loss - limit) / limit, limit, 100.0 * drop,
                reached ? "" : " (max_steps reached before the target)");
  return line;
}

}  // namespace

StepPlan plan_linear_steps(const StepInputs& in) {
  const LinearTrainingSpec& linear = in.training.linear;
  const Vector& eigenvalues = in.evaluation.modes.eigenvalues();
  const double limit_rate = gd_stability_limit(in.evaluation.schedule, eigenvalues.maxCoeff(), in.c, in.evaluation.modes.dim());
  if (!(in.learning_rate < limit_rate)) {
    throw ConfigError("training.linear.steps: auto plans with the gradient-descent theory, which diverges at learning rate " +
                      std::to_string(in.learning_rate) + " (stability limit " + std::to_string(limit_rate) +
                      "): lower training.linear.learning_rate (0 = automatic) or give a number of steps");
  }
  const TheoryCurve curve(in, eigenvalues);
  const double limit = curve.limit();
  const std::int64_t first = std::max<std::int64_t>(100, 2 * (linear.rate.warmup_steps + 1));
  double candidate = static_cast<double>(first);
  while (true) {
    const std::int64_t total = std::min(linear.max_steps, static_cast<std::int64_t>(std::llround(candidate)));
    const std::int64_t reference = total / 10;  // a checkpoint of auto runs (automatic_checkpoint_steps)
    const double loss = curve.at(total, total);
    const double drop = reference > 0 ? (curve.at(reference, total) - loss) / loss : 1.0;
    const bool flat = drop < kConvergenceTolerance / 2;
    const bool done = flat && (loss <= (1 + linear.auto_tolerance / 2) * limit || drop < 0);
    if (done || total >= linear.max_steps) return {total, done, describe(total, loss, limit, drop, done)};
    candidate *= kGridFactor;
  }
}

}  // namespace lindiff
