// Owns the training sweep of one dataset: every (model, objective, N, c, seed) cell trained
// with the shared loop, evaluated at log-spaced checkpoints and sampled at the end
// (src/evaluation/cell_evaluation.h). Each cell keeps its checkpoint, rows and samples in the
// run folder, so an interrupted sweep resumes where it stopped and a finished cell is never
// trained twice.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "src/analysis/dataset_context.h"
#include "src/evaluation/cell_evaluation.h"
#include "src/report/manifest.h"
#include "src/report/results_table.h"

namespace lindiff {

// Which slice of the sweep this process runs: cells with index % count == index.
struct Shard {
  int index = 0;
  int count = 1;
};

// The cells of a dataset with `n_values` training sizes, in sweep order (N outermost).
std::vector<TrainingCell> training_cells(const TrainingSpec& spec, const std::string& dataset,
                                         const std::vector<Index>& n_values);

// The cells of the config's loaded networks (networks:) that belong to `dataset`, in entry order.
std::vector<TrainingCell> network_cells(const ExperimentConfig& config, const std::string& dataset);

// Where a sweep keeps cell files and what it records.
struct SweepContext {
  std::filesystem::path dir;  // the run's final folder (checkpoints/, samples/ go here directly)
  Manifest& manifest;
  Shard shard;
};

// Throws ConfigError when the training sweep of `config` cannot run on `dataset` (a device that
// is not there, an N above the pool, a U-Net depth that does not fit the images): called before
// any stage of a run, so a mistake is not found after the spectrum, the theory and the first
// cells. O(cells).
void check_training_plan(const ExperimentConfig& config, const Dataset& dataset);

// Runs every cell of the context's dataset in the shard (finished cells are read back,
// interrupted ones resume from their last checkpoint) and appends their rows to `table`.
// Throws ConfigError for impossible settings (N above the pool, a U-Net that does not fit)
// before training anything, NumericError when training diverges (earlier cells and
// checkpoints stay).
void run_training_sweep(const SweepContext& sweep, const DatasetContext& context, ResultsTable& table);

}  // namespace lindiff
