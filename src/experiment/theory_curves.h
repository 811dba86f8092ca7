// Owns the closed-form theory curves of one dataset (THEORY.md sections 3-7) as tidy rows:
// for each training-set size N, regularisation c and objective, the optimal linear
// denoiser's exact train/test loss, sampled variances and KL divergences (source `theory`),
// the same along the gradient-descent trajectory (early stopping), the best c, and
// averages over training sets (source `theory_avg`).
#pragma once

#include <cstdint>

#include "datasets/dataset.h"
#include "src/experiment/config.h"
#include "src/experiment/statistics.h"
#include "src/report/results_table.h"
#include "src/theory/schedule.h"

namespace lindiff {

// `how_many` ranks in 1..count, evenly spaced in log rank (duplicates merged), ascending.
std::vector<Index> log_spaced_ranks(Index count, int how_many);

// The schedule a theory spec describes (respaced when asked).
Schedule make_schedule(const TheorySpec& spec);

// The training-set sizes of a spec: spec.n, or 12 log-spaced values from max(2, d/8) to the pool.
std::vector<Index> theory_sizes(const TheorySpec& spec, Index dim, Index pool);

// Adds every theory row of `dataset` to `table`. Training sets are nested prefixes of one
// permutation seeded with `seed`; eigensystems use spectrum.solver and spectrum.route.
// Cost per N: O(N d^2 + d^3) for statistics, then O(T d + d^2) per (c, objective, step).
void add_theory_rows(const Dataset& dataset, const Population& population, const ExperimentConfig& config,
                     ResultsTable& table);

}  // namespace lindiff
