#include "src/theory/schedule.h"

#include <cmath>
#include <stdexcept>

namespace lindiff {

Schedule::Schedule(std::vector<double> betas) : beta_(std::move(betas)) {
  if (beta_.empty()) throw std::invalid_argument("a schedule needs at least one step");
  double log_abar = 0;
  for (std::size_t i = 0; i < beta_.size(); ++i) {
    const double b = beta_[i];
    if (!(b > 0 && b < 1)) {
      throw std::invalid_argument("beta_" + std::to_string(i + 1) + " = " + std::to_string(b) + " is not in (0, 1)");
    }
    log_abar += std::log1p(-b);
    abar_.push_back(std::exp(log_abar));
    // 1 - abar_t = beta_t + alpha_t (1 - abar_{t-1}): a sum of positive terms, no cancellation.
    const double previous = i == 0 ? 0.0 : one_minus_abar_.back();
    one_minus_abar_.push_back(b + (1.0 - b) * previous);
    source_steps_.push_back(static_cast<int>(i) + 1);
  }
}

Schedule Schedule::linear(int steps, double beta_min, double beta_max) {
  if (steps < 1) throw std::invalid_argument("a schedule needs T >= 1 steps");
  std::vector<double> betas(steps);
  for (int t = 1; t <= steps; ++t) {
    betas[t - 1] = steps == 1 ? beta_min : beta_min + (beta_max - beta_min) * (t - 1) / (steps - 1);
  }
  return Schedule(std::move(betas));
}

Schedule Schedule::slides(int steps, double beta_min, double beta_max) {
  if (steps < 1) throw std::invalid_argument("a schedule needs T >= 1 steps");
  std::vector<double> betas(steps);
  for (int t = 1; t <= steps; ++t) betas[t - 1] = beta_min + (beta_max - beta_min) * t / steps;
  return Schedule(std::move(betas));
}

Schedule Schedule::from_betas(std::vector<double> betas) { return Schedule(std::move(betas)); }

Schedule Schedule::of(ScheduleKind kind, int steps, double beta_min, double beta_max) {
  return kind == ScheduleKind::kLinear ? linear(steps, beta_min, beta_max > 0 ? beta_max : 2e-2)
                                       : slides(steps, beta_min, beta_max > 0 ? beta_max : 1e-2);
}

Schedule Schedule::respaced(int kept_steps) const {
  const int total = steps();
  if (kept_steps < 1 || kept_steps > total) {
    throw std::invalid_argument("respacing keeps 1.." + std::to_string(total) + " steps, not " +
                                std::to_string(kept_steps));
  }
  std::vector<int> kept;
  for (int k = 1; k <= kept_steps; ++k) {
    kept.push_back(static_cast<int>(std::llround(static_cast<double>(k) * total / kept_steps)));
  }
  std::vector<double> betas;
  double previous_abar = 1.0;
  for (int t : kept) {
    betas.push_back(1.0 - abar(t) / previous_abar);
    previous_abar = abar(t);
  }
  Schedule respaced(std::move(betas));
  for (int k = 0; k < kept_steps; ++k) respaced.source_steps_[k] = source_steps_[kept[k] - 1];
  return respaced;
}

double Schedule::sampler_gain(int t) const { return beta(t) / std::sqrt(one_minus_abar(t)); }

}  // namespace lindiff
