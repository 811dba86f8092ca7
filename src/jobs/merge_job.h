// Owns `lindiff merge OUT RUN_DIR...`: combine run folders (e.g. the shards of a cluster job
// array) into one results.csv, figures and report.html.
#pragma once

#include <string>
#include <vector>

namespace lindiff {

// Writes into out_dir one results.csv holding every row of the run folders (rows present in
// several folders once), their sample grids and spectrum figures, a config.yaml and a manifest
// naming the sources, and the redrawn figures and report. Throws DataError naming the folders
// when a folder has no results.csv, when two folders disagree on the same number, or when
// out_dir already holds another run (nothing is then written).
void run_merge_job(const std::vector<std::string>& run_dirs, const std::string& out_dir);

}  // namespace lindiff
