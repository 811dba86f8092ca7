// Owns the figures that put trained models next to the theory, drawn from the results table
// alone, for every trained model the rows name (styled by the denoiser registry): loss and the
// excess over the Bayes-optimal loss versus N, KL per dimension versus d/N with d/(4N), loss and
// KL versus training steps, memorisation versus N, and sampled variance per mode. One figure per
// trained (objective, c); src/figures/figure_registry.h lists them.
#pragma once

#include "src/figures/figure_context.h"

namespace lindiff {

// loss_vs_n_<objective>_c<c>_<label>.
void draw_loss_figures(const FigureContext& context);
// kl_vs_n_<objective>_c<c>_<label>.
void draw_kl_figures(const FigureContext& context);
// excess_vs_n_<objective>_c<c>_<label> (exact populations only).
void draw_excess_figures(const FigureContext& context);
// steps_<metric>_<objective>_c<c>_<label>: `metric` (a loss or KL(data || model)/d) versus training steps.
void draw_step_figures(const FigureContext& context, const char* metric);
// memorisation_<objective>_c<c>_<label>.
void draw_memorisation_figures(const FigureContext& context);
// mode_variance_N<n>_<objective>_c<c>_<label>.
void draw_mode_variance_figures(const FigureContext& context);

// denoise_r2_<model>_<objective>_c<c>_<label>: per trained model, r^2 of its reported checkpoint
// against each analytic reference on held-out inputs versus t, one curve per (reference, N).
void draw_denoise_figures(const FigureContext& context);
// denoise_steps_<model>_<objective>_c<c>_<label>: the same r^2 at the middle timestep of the grid
// versus training step, one curve per (reference, N), the reported checkpoints marked.
void draw_denoise_step_figures(const FigureContext& context);

// calibration_{patch_size,threshold,r2}_<model>_<objective>_c<c>_<label>: per model calibrated
// against (denoise.calibrate_against), each local denoiser's calibrated setting and its r^2 of the
// network's held-out outputs versus t, one curve per (denoiser, N).
void draw_calibration_figures(const FigureContext& context);

// linearisation_cosine_<model>_<objective>_c<c>_<label>: per trained model, the cosine of its
// reported model's Jacobian row at the centre pixel with the Wiener filter's row versus t, one
// curve per N; linearisation_radius_...: the radius holding 90% of each row's squared mass
// (network solid, Wiener filter dashed).
void draw_linearisation_figures(const FigureContext& context);

}  // namespace lindiff
