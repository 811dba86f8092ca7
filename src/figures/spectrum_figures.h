// Owns the spectrum figures (docs/theory.md#spectra-and-data-structure, the paper's Figure 1), drawn from the rows
// of the spectrum stage alone: each dataset's training-set and population spectra with the
// power-law fit, the covariance error versus N against its prediction, and every dataset's
// normalised spectrum in one figure.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "src/report/results_table.h"
#include "src/report/run_folder.h"

namespace lindiff {

// spectrum_<label> and cov_error_<label>; the fit line is the least-squares power law over
// `fit_range` (spectrum.fit_range: [first, last], last 0 = last positive) of the training-set
// eigenvalue rows, the same fit as their powerlaw_k row. Nothing when `label` has no spectrum rows.
void draw_spectrum_figures(const ResultsTable& table, const std::string& label, const std::vector<std::int64_t>& fit_range,
                           const RunFolder& folder);

// `spectra`: the normalised training-set spectrum of every dataset with spectrum rows.
void draw_all_spectra(const ResultsTable& table, const RunFolder& folder);

}  // namespace lindiff
