// Owns the figures of Halder's one-step model over repeated draws (docs/theory.md#halder-one-step-model),
// drawn from the results table alone: squared Hellinger distance, Delta and KL versus N (median and
// quartiles over draws), and P(Delta > 0) with its Wilson interval.
#pragma once

#include "src/figures/figure_context.h"

namespace lindiff {

// one_step_<metric>_<label> and one_step_p_delta_positive_<label>; nothing without one-step rows.
void draw_one_step_figures(const FigureContext& context);

}  // namespace lindiff
