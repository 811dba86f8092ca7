#include "src/config/settings.h"

#include <algorithm>
#include <set>

#include "src/common/log_spaced.h"

namespace lindiff {

Schedule make_schedule(const TheorySpec& spec) {
  const double beta_min = spec.beta_min > 0 ? spec.beta_min : 1e-4;
  const Schedule full = spec.betas.empty() ? Schedule::of(spec.schedule, spec.steps, beta_min, spec.beta_max)
                                           : Schedule::from_betas(spec.betas);
  return spec.respace > 0 ? full.respaced(spec.respace) : full;
}

std::vector<Index> theory_sizes(const TheorySpec& spec, Index dim, Index pool) {
  if (!spec.n.empty()) return {spec.n.begin(), spec.n.end()};
  return log_spaced_integers(std::min(std::max<Index>(2, dim / 8), pool), pool, 12);
}

std::vector<Index> training_sizes(const ExperimentConfig& config, Index dim, Index pool) {
  if (!config.training.n.empty()) return {config.training.n.begin(), config.training.n.end()};
  return theory_sizes(config.theory, dim, pool);
}

std::vector<std::int64_t> checkpoint_steps(std::int64_t steps, int count) {
  std::set<std::int64_t> chosen = {0, steps};
  if (count > 2) {
    for (std::int64_t step : log_spaced_integers(1, steps, count - 1)) chosen.insert(step);
  }
  return {chosen.begin(), chosen.end()};
}

std::vector<std::int64_t> decade_checkpoint_steps(std::int64_t cap) {
  std::vector<std::int64_t> steps = {0};
  for (std::int64_t decade = 1; decade < cap; decade *= 10) {
    for (const std::int64_t m : {1, 2, 5}) {
      if (m * decade < cap) steps.push_back(m * decade);
    }
  }
  steps.push_back(cap);
  return steps;
}

}  // namespace lindiff
