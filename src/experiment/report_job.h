// Owns `lindiff report RUN_DIR` and `lindiff merge OUT RUN_DIR...`: redraw the theory and
// training figures and report.html of a run folder from its results.csv alone (spectrum
// figures and sample grids, which need the data, are kept as they are), and combine run
// folders (e.g. the shards of a cluster job array) into one.
#pragma once

#include <string>
#include <vector>

namespace lindiff {

// Redraws into run_dir (all or nothing). Throws DataError when results.csv is missing or malformed.
void run_report_job(const std::string& run_dir);

// Writes into out_dir one results.csv holding every row of the run folders (rows present in
// several folders once), their sample grids and spectrum figures, a config.yaml and a manifest
// naming the sources, and the redrawn figures and report. Throws DataError naming the folders
// when a folder has no results.csv, when two folders disagree on the same number, or when
// out_dir already holds another run (nothing is then written).
void run_merge_job(const std::vector<std::string>& run_dirs, const std::string& out_dir);

}  // namespace lindiff
