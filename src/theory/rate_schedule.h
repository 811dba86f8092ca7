// Owns the learning-rate schedule of a training run (docs/theory.md#learning-rate-schedules): a
// linear warm-up, then constant, cosine, linear or step decay to a floor. The training loop sets
// the rate of each step from it and the gradient-descent theory multiplies the per-step
// contractions of the very same rates, so theory_gd stays the exact expectation under decay.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "src/common/enum_names.h"

namespace lindiff {

// How the learning rate moves after the warm-up.
enum class LrSchedule { kConstant, kCosine, kLinear, kStep };

template <>
struct EnumNames<LrSchedule> {
  static constexpr std::pair<LrSchedule, const char*> kNames[] = {{LrSchedule::kConstant, "constant"},
                                                                  {LrSchedule::kCosine, "cosine"},
                                                                  {LrSchedule::kLinear, "linear"},
                                                                  {LrSchedule::kStep, "step"}};
};

// The shape of a schedule: everything but its peak rate and its length.
struct RateShape {
  LrSchedule kind = LrSchedule::kConstant;
  std::int64_t warmup_steps = 0;  // the rate ramps as peak (s + 1) / W over steps s < W
  double final_share = 0;         // the floor, a share of the peak: cosine and linear reach it at the last step
  std::int64_t step_every = 0;    // step decay: one multiplication by step_factor per this many steps; 0 = a third of the decay
  double step_factor = 0.5;
};

// A run of equal rates: `count` consecutive steps at `rate`.
struct RateRun {
  double rate = 0;
  double count = 0;
};

// The rate of every step of one run of `steps` optimizer steps.
struct RateSchedule {
  RateShape shape;
  double peak = 0;
  std::int64_t steps = 0;

  // A constant rate (no warm-up): the setting of docs/theory.md#gradient-descent-dynamics.
  static RateSchedule constant(double rate, std::int64_t steps);

  // The rate of step s (0-based: the update from s to s + 1). With progress p = (s - W) / (S - W)
  // after the warm-up and floor f = final_share * peak:
  //   constant: peak;  cosine: f + (peak - f) (1 + cos(pi p)) / 2;  linear: f + (peak - f) (1 - p);
  //   step: max(f, peak * step_factor^floor((s - W) / step_every)). O(1).
  double at(std::int64_t step) const;
  // The rates of steps [0, upto) as runs of equal consecutive rates (one run for a constant rate
  // without warm-up, whatever `upto`; a constant rate may continue past `steps`). O(upto).
  std::vector<RateRun> runs(double upto) const;
  // The largest rate of any step (the peak): what stability depends on.
  double max_rate() const { return peak; }
};

// At most `blocks` runs standing for `runs`: consecutive runs merged into groups of equal numbers
// of runs, each at its steps' mean rate. The merged product differs from the exact one in second
// order of the rate's spread within a group: for planning only, never for rows. O(runs).
std::vector<RateRun> coarsened(const std::vector<RateRun>& runs, std::size_t blocks);

}  // namespace lindiff
