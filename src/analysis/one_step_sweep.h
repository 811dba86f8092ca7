// Owns the sweep of Halder's one-step model (docs/theory.md#halder-one-step-model, arXiv 2411.17807): for each
// N of `one_step.n` and each of `one_step.draws` independent training sets, the fitted map's
// generated Gaussian compared with the population, as rows.
#pragma once

#include "src/analysis/dataset_context.h"
#include "src/report/results_table.h"

namespace lindiff {

// A proportion with its 95% (by default) Wilson score interval.
struct ProportionInterval {
  double estimate = 0, low = 0, high = 1;
};

// Wilson's interval for `successes` of `trials` (half successes allowed, for ties):
// (p + z^2/2n \pm z \sqrt{p(1-p)/n + z^2/4n^2}) / (1 + z^2/n). O(1).
ProportionInterval wilson_interval(double successes, double trials, double z = 1.959963984540054);

// Adds, per N and draw (seed column = draw index; model one_step, source exact), the squared
// Hellinger distance and both KLs (total and per dimension) of the generated Gaussian (prior,
// covariance and level as `one_step` says) to the population, and Delta by `one_step.delta`
// (mmd or LDM.py's kde_l2) against `one_step.fresh` held-out rows (0 = N); per N (no seed,
// source monte_carlo) P(Delta > 0) over the draws with its 95% Wilson interval
// (p_delta_positive, _low, _high). Each draw takes N pool rows and the fresh rows without
// replacement and N x d noise from its own seeded stream. O(draws |n| (N d^2 + d^3 + F^2 d))
// for F fresh rows. Throws ConfigError naming one_step.n or one_step.fresh when the pool or the
// held-out split is too small.
void add_one_step_rows(const DatasetContext& context, ResultsTable& table);

}  // namespace lindiff
