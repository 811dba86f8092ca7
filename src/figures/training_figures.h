// Owns the figures that put trained models next to the theory, drawn from the results
// table alone: loss versus N, KL per dimension versus d/N with d/(4N), loss and KL versus
// training steps (early stopping), memorisation versus N, and sampled variance per mode.
#pragma once

#include <cstdint>
#include <string>

#include "src/report/results_table.h"
#include "src/report/run_folder.h"

namespace lindiff {

// Draws every training figure of dataset `label` (dimension d) into folder/figures/.
void draw_training_figures(const ResultsTable& table, const std::string& label, std::int64_t d, const RunFolder& folder);

}  // namespace lindiff
