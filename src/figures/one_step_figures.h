// Owns the figures of Halder's one-step sweep, drawn from the results table alone.
#pragma once

#include <string>

#include "src/report/results_table.h"
#include "src/report/run_folder.h"

namespace lindiff {

// one_step_<metric>_<label>: median over draws versus N with the quartiles, and P(Delta > 0)
// with its 95% interval.
void draw_one_step_figures(const ResultsTable& table, const std::string& label, const RunFolder& folder);

}  // namespace lindiff
