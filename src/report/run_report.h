// Owns report.html of a run: every figure, sample grids and nearest-neighbour grids per
// cell, a table of the trained models next to the theory, the resolved config and the
// manifest, drawn from files and the results table alone (so `lindiff report` can redo it).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "src/report/results_table.h"

namespace lindiff {

// Where the report finds its inputs.
struct ReportSources {
  std::vector<std::filesystem::path> figure_dirs;  // searched in order for figures/<name>.png
  std::filesystem::path run_dir;                   // holds samples/<cell>/
  std::string config_yaml;
  nlohmann::json manifest;
};

// One section of the report: the figures whose names start with one of `prefixes`, in page order.
struct ReportSection {
  std::string title;
  std::string text;
  std::vector<std::string> prefixes;
  std::string sample_grid;  // also shows samples/<cell>/<sample_grid> of every cell ("" = none)
  std::string sample_grid_caption = "samples (top) and their nearest training images (bottom)";
};

// Writes the self-contained report to `out`: `sections` in order (src/figures/figure_registry.h
// lists them), each with its figures (a section without any is left out unless it shows sample
// grids), the table of trained cells next to the theory, the samples, config and manifest.
void write_run_report(const ResultsTable& table, const ReportSources& sources, const std::vector<ReportSection>& sections,
                      const std::filesystem::path& out);

}  // namespace lindiff
