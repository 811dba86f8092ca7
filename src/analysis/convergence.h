// Owns the rule that says whether a trained model had converged: its held-out loss must have
// stopped falling over the last decade of training steps (docs/convergence.md).
#pragma once

#include <cstdint>
#include <vector>

namespace lindiff {

// One checkpoint of a loss curve; standard_error is 0 for an exact loss. `draws` optionally
// holds a Monte Carlo loss's per-draw values on draws fixed across checkpoints.
struct LossPoint {
  std::int64_t step = 0;
  double loss = 0;
  double standard_error = 0;
  std::vector<double> draws;
};

// The verdict on one curve.
struct ConvergenceVerdict {
  double drop = 0;         // (L(s_ref) - L(s_last)) / L(s_last), s_ref the last checkpoint <= s_last / 10
  bool converged = false;
};

// The relative fall of the loss below which a curve counts as flat.
constexpr double kConvergenceTolerance = 0.01;

// Converged when early stopping ended the run (the held-out loss rose for `patience`
// checkpoints), or when the loss fell by less than kConvergenceTolerance (relative) over the last
// decade of steps, [s_ref, s_last], plus two standard errors of the difference for a Monte
// Carlo loss: paired, sd(draws_ref - draws_last) / sqrt(draws), where both checkpoints carry
// their per-draw values (the draws' common noise cancels), else sqrt(se_ref^2 + se_last^2).
// A curve without a positive checkpoint at or below s_last / 10 is too short to judge: not
// converged, its drop measured from the first checkpoint. O(points + draws).
ConvergenceVerdict judge_convergence(std::vector<LossPoint> curve, bool stopped_early);

}  // namespace lindiff
