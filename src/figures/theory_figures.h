// Owns the figures of the closed-form theory of one dataset, drawn from the results table alone:
// KL per dimension versus d/N, losses versus N, early stopping along gradient descent, the best c
// and the sampled variance per eigen-mode (src/figures/figure_registry.h lists them).
#pragma once

#include "src/figures/figure_context.h"

namespace lindiff {

// theory_kl_<direction>_<label>: KL(data || model)/d and KL(model || data)/d of the optimum versus d/N, with d/(4N).
void draw_theory_kl_figures(const FigureContext& context);
// theory_loss_<objective>_<label>: train and test loss of the optimum versus N, per c.
void draw_theory_loss_figures(const FigureContext& context);
// theory_early_stopping_<objective>_<label>: KL along gradient descent from zero, per N.
void draw_theory_early_stopping_figures(const FigureContext& context);
// theory_best_c_<label>: the c minimising each criterion versus N.
void draw_theory_best_c_figures(const FigureContext& context);
// theory_mode_variance_<label>: sampled variance per eigen-mode against lambda + c.
void draw_theory_mode_variance_figures(const FigureContext& context);

}  // namespace lindiff
