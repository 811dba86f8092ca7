// Owns the closed-form theory curves of one dataset (docs/theory.md#linear-denoisers to #training-set-averages) as tidy rows:
// for each training-set size N, regularisation c and objective, the optimal linear
// denoiser's exact train/test loss, sampled variances and KL divergences (source `theory`),
// the same along the gradient-descent trajectory (early stopping), the best c, and
// averages over training sets (source `theory_avg`).
#pragma once

#include <cstdint>

#include "src/analysis/dataset_context.h"
#include "src/report/results_table.h"

namespace lindiff {

// Adds every theory row of the context's dataset to `table`, for the training sets of
// theory_sizes() (taken from the context, so other stages reuse them). Cost per N:
// O(N d^2 + d^3) for statistics, then O(T d + d^2) per (c, objective, step).
void add_theory_rows(const DatasetContext& context, ResultsTable& table);

}  // namespace lindiff
