// Owns `steps: auto` for the linear model (docs/convergence.md#steps-auto): the gradient-descent
// theory says, from the training set's spectrum, after how many steps of the configured rate
// schedule the expected trained model has converged.
#pragma once

#include <cstdint>

#include "src/denoisers/registry.h"

namespace lindiff {

// The fewest steps S on the grid S_k = round(S_0 1.25^k), S_0 = max(100, 2 (warm-up + 1)), whose
// GD theory curve (the schedule stretched over S steps) passes lindiff's convergence verdict
// with half its tolerance, (L(S / 10) - L(S)) / L(S) < 0.005 (S / 10 is a checkpoint of auto
// runs), and either lies within half of training.linear.auto_tolerance of the limit's held-out
// loss, L(S) <= (1 + tol / 2) L(infinity), or has risen over that decade (past its best: memorisation,
// N < d). L is the held-out loss of docs/theory.md#gradient-descent-dynamics with the rates
// averaged over 64 blocks (coarsened(); the rows of the run stay exact). Capped at max_steps
// (reached = false). Throws ConfigError when the rate is beyond the theory's stability limit.
// O(candidates x (T G x 64 + d^2)), candidates <= log(max_steps / S_0) / log 1.25.
StepPlan plan_linear_steps(const StepInputs& in);

}  // namespace lindiff
