// Owns the calibration of a local denoiser's setting against a network (docs/denoisers.md#calibration-against-a-network):
// per timestep, the candidate setting (a patch size, a Wiener-locality threshold) whose outputs
// predict the network's outputs best on one half of the held-out inputs, scored on the other half.
// Score: r^2 of the network's outputs by the candidate's,
//   r^2 = 1 - sum (candidate - network)^2 / sum (network - mean network)^2,
// the network being the quantity explained (Kamb & Ganguli's direction, with r^2 in place of
// their squared Pearson correlation). Choosing on one half and scoring on the other keeps the
// reported agreement free of the choice's optimism.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include <ATen/core/Tensor.h>

namespace lindiff {

// The calibration of one setting: one entry per timestep of the grid.
struct Calibration {
  std::vector<double> best;     // the chosen candidate
  std::vector<double> fit_r2;   // its r^2 on the fitting half (the best of all candidates there)
  std::vector<double> check_r2; // its r^2 on the checking half
};

// `network` [G, M, d]: the network's outputs at each of G timesteps on M held-out inputs;
// `outputs_of(value)`: a candidate's outputs on the same inputs, [G, M, d]. Queries [0, M/2)
// (rounded up) choose, the rest check (with M = 1 the one query does both). Ties go to the
// earlier candidate; where no candidate has a score (a constant network output) best and both r^2
// are NaN. Throws std::invalid_argument for no candidates or mismatched shapes.
// O(candidates G M d) besides the candidates' outputs.
Calibration calibrate(const std::vector<double>& candidates, const std::function<at::Tensor(double)>& outputs_of,
                      const at::Tensor& network);

// The setting of every timestep t = 1..`steps` from settings `best` chosen on `grid` (timesteps in
// any order; a repeated one keeps its first setting): each t takes the setting of the grid point
// nearest in log t, so t between grid points g < h is nearer to g iff t^2 < g h (ties go to g,
// the less noisy one). Grid points without a setting (NaN) are left out; empty when none has one.
// Throws std::invalid_argument when grid and best differ in length or a grid timestep lies
// outside 1..steps. O(steps + grid log grid).
std::vector<double> settings_per_timestep(const std::vector<std::int64_t>& grid, const std::vector<double>& best,
                                          std::int64_t steps);

}  // namespace lindiff
