// Owns the sweep of Halder's one-step model (THEORY.md section 10, arXiv 2411.17807): for each
// N of `one_step.n` and each of `one_step.draws` independent training sets, the fitted map's
// generated Gaussian compared with the population, as rows.
#pragma once

#include "src/analysis/dataset_context.h"
#include "src/report/results_table.h"

namespace lindiff {

// Adds, per N and draw (seed column = draw index; model one_step, source exact), the squared
// Hellinger distance and both KLs (total and per dimension) of the generated N(b, l A A^T) to the
// population, and Delta = MMD^2(generated, training set) - MMD^2(generated, N fresh held-out
// rows). Each draw takes N pool rows without replacement, N held-out rows and N x d noise from
// its own seeded stream. O(draws |n| (N d^2 + N^2 d + d^3)). Throws ConfigError naming
// one_step.n when N exceeds the pool or the held-out split.
void add_one_step_rows(const DatasetContext& context, ResultsTable& table);

}  // namespace lindiff
