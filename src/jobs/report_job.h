// Owns `lindiff report RUN_DIR`: redraw the theory, training and one-step figures and
// report.html of a run folder from its results.csv alone (spectrum figures, which need the
// config's fit range, and sample grids, which need the data, are kept as they are); and the
// reading of run folders that `merge` shares.
#pragma once

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "src/report/results_table.h"
#include "src/report/run_folder.h"

namespace lindiff {

// The text of a file; "" when it cannot be read.
std::string read_text(const std::filesystem::path& path);

// dir/results.csv; throws DataError naming it when it does not exist.
std::filesystem::path results_csv_of(const std::filesystem::path& dir);

// dir/manifest.json, or {} with a warning when it is missing or unreadable.
nlohmann::json read_manifest(const std::filesystem::path& dir);

// Draws every figure of `table` and report.html into `folder` (staged) and commits it.
void redraw_run_folder(const ResultsTable& table, const std::string& config_yaml, const nlohmann::json& manifest,
                       RunFolder& folder);

// Redraws into run_dir (all or nothing). Throws DataError when results.csv is missing or malformed.
void run_report_job(const std::string& run_dir);

}  // namespace lindiff
