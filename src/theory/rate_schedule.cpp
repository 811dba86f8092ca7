#include "src/theory/rate_schedule.h"

#include <algorithm>
#include <cmath>

namespace lindiff {

RateSchedule RateSchedule::constant(double rate, std::int64_t steps) { return RateSchedule{RateShape{}, rate, steps}; }

double RateSchedule::at(std::int64_t step) const {
  const std::int64_t warmup = shape.warmup_steps;
  if (step < warmup) return peak * static_cast<double>(step + 1) / static_cast<double>(warmup);
  const double floor = shape.final_share * peak;
  const double after = static_cast<double>(step - warmup);
  const double decay_steps = static_cast<double>(std::max<std::int64_t>(steps - warmup, 1));
  const double progress = std::min(after / decay_steps, 1.0);
  switch (shape.kind) {
    case LrSchedule::kConstant:
      return peak;
    case LrSchedule::kCosine:
      return floor + (peak - floor) * 0.5 * (1.0 + std::cos(M_PI * progress));
    case LrSchedule::kLinear:
      return floor + (peak - floor) * (1.0 - progress);
    case LrSchedule::kStep: {
      const double every =
          shape.step_every > 0 ? static_cast<double>(shape.step_every) : std::max(1.0, std::floor(decay_steps / 3.0));
      return std::max(floor, peak * std::pow(shape.step_factor, std::floor(after / every)));
    }
  }
  return peak;
}

std::vector<RateRun> RateSchedule::runs(double upto) const {
  std::vector<RateRun> list;
  if (shape.kind == LrSchedule::kConstant && shape.warmup_steps == 0) {
    if (upto > 0) list.push_back({peak, upto});
    return list;
  }
  const auto last = static_cast<std::int64_t>(upto);
  for (std::int64_t s = 0; s < last; ++s) {
    const double rate = at(s);
    if (!list.empty() && list.back().rate == rate) {
      list.back().count += 1;
    } else {
      list.push_back({rate, 1});
    }
  }
  return list;
}

std::vector<RateRun> coarsened(const std::vector<RateRun>& runs, std::size_t blocks) {
  if (blocks == 0 || runs.size() <= blocks) return runs;
  const std::size_t per_block = (runs.size() + blocks - 1) / blocks;
  std::vector<RateRun> merged;
  for (std::size_t first = 0; first < runs.size(); first += per_block) {
    double weighted = 0, count = 0;
    for (std::size_t i = first; i < std::min(runs.size(), first + per_block); ++i) {
      weighted += runs[i].rate * runs[i].count;
      count += runs[i].count;
    }
    merged.push_back({weighted / count, count});
  }
  return merged;
}

}  // namespace lindiff
