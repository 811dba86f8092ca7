// Owns the spectrum figures (docs/theory.md#spectra-and-data-structure, the paper's Figure 1), drawn from the rows
// of the spectrum stage alone: each dataset's training-set and population spectra with the
// power-law fit, the covariance error versus N against its prediction, and every dataset's
// normalised spectrum in one figure.
#pragma once

#include "src/figures/figure_context.h"

namespace lindiff {

// spectrum_<label> and cov_error_<label>; the fit line is the least-squares power law over
// context.fit_range (spectrum.fit_range: [first, last], last 0 = last positive) of the training-set
// eigenvalue rows, the same fit as their powerlaw_k row. Nothing when the dataset has no spectrum rows.
void draw_spectrum_figures(const FigureContext& context);

// `spectra`: the normalised training-set spectrum of every dataset with spectrum rows (context.label unused).
void draw_all_spectra(const FigureContext& context);

}  // namespace lindiff
