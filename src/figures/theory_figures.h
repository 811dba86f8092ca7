// Owns the figures of `lindiff theory`, drawn from the results table alone: KL per
// dimension versus d/N with the d/(4N) line, train/test loss versus N, KL versus
// gradient-descent steps (early stopping), best c versus N, and sampled variance per
// eigen-mode versus its eigenvalue.
#pragma once

#include <string>

#include "src/report/results_table.h"
#include "src/report/run_folder.h"

namespace lindiff {

// Draws every theory figure of dataset `label` (dimension d) into folder/figures/.
void draw_theory_figures(const ResultsTable& table, const std::string& label, std::int64_t d, const RunFolder& folder);

}  // namespace lindiff
