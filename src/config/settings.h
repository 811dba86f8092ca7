// Owns what a validated config resolves to once a dataset is known: the noise schedule,
// the training-set sizes of the theory and of the training sweep, and the checkpoint steps.
#pragma once

#include <cstdint>
#include <vector>

#include "src/common/matrix.h"
#include "src/config/config.h"
#include "src/theory/schedule.h"

namespace lindiff {

// The schedule a theory spec describes (respaced when asked); models are trained with it too.
Schedule make_schedule(const TheorySpec& spec);

// The training-set sizes of the theory: spec.n, or 12 log-spaced values from max(2, d/8) to the pool.
std::vector<Index> theory_sizes(const TheorySpec& spec, Index dim, Index pool);

// The training-set sizes of the sweep: training.n, else the theory's sizes.
std::vector<Index> training_sizes(const ExperimentConfig& config, Index dim, Index pool);

// The log-spaced checkpoint steps: 0, then `count - 1` values from 1 to `steps` (deduplicated).
std::vector<std::int64_t> checkpoint_steps(std::int64_t steps, int count);

// The checkpoints of an open-ended run: 0, the 1-2-5 steps 1, 2, 5, 10, 20, ... below `cap`, and
// `cap` (at most 10^12); each grid step from 10 on has the one a decade before it, as the
// convergence verdict compares (a cap off the grid may not).
std::vector<std::int64_t> decade_checkpoint_steps(std::int64_t cap);

}  // namespace lindiff
