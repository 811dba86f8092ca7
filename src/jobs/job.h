// Owns what every lindiff job shares: the staged run folder, the manifest, the resolved
// config copy, loading each dataset (skipping optional ones whose files are missing) into one
// DatasetContext that every stage shares, and committing results.csv only when everything
// succeeded.
#pragma once

#include <functional>
#include <string>

#include "src/figures/figure_registry.h"
#include "src/analysis/dataset_context.h"
#include "src/common/runtime_info.h"
#include "src/config/config.h"
#include "src/report/manifest.h"
#include "src/report/results_table.h"
#include "src/report/run_folder.h"

namespace lindiff {

// What a job's stages write to.
struct JobContext {
  const ExperimentConfig& config;
  RunFolder& folder;
  Manifest& manifest;
  ResultsTable& table;
  bool plots;  // gnuplot is available

  // Draws the figure families of `stage` for dataset `label` (dimension d) when gnuplot is
  // available (src/figures/figure_registry.h), the models styled by the denoiser registry.
  void draw(FigureStage stage, const std::string& label, std::int64_t d) const;
};

// The work done on each loaded dataset; `dataset` holds everything derived from it.
using DatasetStage = std::function<void(const DatasetContext& dataset, JobContext& job)>;
// The work done once all datasets are through (combined figures, summaries); may be empty.
using FinalStage = std::function<void(JobContext& job)>;

// Makes config.output_dir this run's before anything else is written there: refuses
// (ConfigError, exit 3, naming the first differing key) a folder whose config.yaml records
// another experiment, finished, interrupted or still running, so that two runs' results are
// never mixed or replaced, unless `replace`, which first empties it (live runs' staging
// folders excepted); then records this run's resolved config in config.yaml. A folder of the
// same config (a resume, another shard) is used as it is. Folder problems exit 2 or 6.
void claim_output_folder(const ExperimentConfig& config, bool replace);

// Runs `each` on every dataset of `config` and `finish` at the end, then writes
// results.csv, manifest.json and config.yaml into config.output_dir. Nothing reaches the
// output folder unless every stage succeeds. Throws lindiff::Error subclasses.
void run_job(const std::string& command, const ExperimentConfig& config, const std::string& config_path,
             const RuntimeInfo& runtime, const DatasetStage& each, const FinalStage& finish);

}  // namespace lindiff
