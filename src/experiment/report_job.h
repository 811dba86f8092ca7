// Owns `lindiff report RUN_DIR`: redraws the theory and training figures and report.html of
// a run folder from its results.csv alone (spectrum figures and sample grids, which need the
// data, are kept as they are).
#pragma once

#include <string>

namespace lindiff {

// Redraws into run_dir (all or nothing). Throws DataError when results.csv is missing or malformed.
void run_report_job(const std::string& run_dir);

}  // namespace lindiff
