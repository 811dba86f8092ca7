// Owns the training sweep of one dataset: every (model, objective, N, c, seed) cell trained
// with the shared loop and evaluated at log-spaced checkpoints (Monte Carlo train/held-out
// loss for every model; for the linear model also its exact losses and KLs, next to the
// gradient-descent theory for the same steps), then sampled (sample KLs with their finite-M
// reference, per-mode variances, memorisation, image grids). Each cell keeps its checkpoint,
// rows and samples in the run folder, so an interrupted sweep resumes where it stopped and a
// finished cell is never trained twice.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "datasets/dataset.h"
#include "src/experiment/config.h"
#include "src/experiment/statistics.h"
#include "src/report/manifest.h"
#include "src/report/results_table.h"

namespace lindiff {

// One cell of the sweep.
struct TrainingCell {
  std::string dataset;
  std::string model;
  std::string objective;
  Index n = 0;
  double c = 0;
  std::int64_t seed = 0;

  // A readable, file-name-safe identifier, e.g. "synthetic_linear_noise_N64_c0_s0".
  std::string id() const;
};

// Which slice of the sweep this process runs: cells with index % count == index.
struct Shard {
  int index = 0;
  int count = 1;
};

// The cells of a dataset with `n_values` training sizes, in sweep order (N outermost).
std::vector<TrainingCell> training_cells(const TrainingSpec& spec, const std::string& dataset,
                                         const std::vector<Index>& n_values);

// The training sizes of `spec` for a dataset: spec.n, else the theory's sizes.
std::vector<Index> training_sizes(const ExperimentConfig& config, Index dim, Index pool);

// The log-spaced checkpoint steps: 0, then `count - 1` values from 1 to `steps` (deduplicated).
std::vector<std::int64_t> checkpoint_steps(std::int64_t steps, int count);

// Where a sweep keeps cell files and what it records.
struct SweepContext {
  const ExperimentConfig& config;
  const DatasetSpec& spec;
  std::filesystem::path dir;  // the run's final folder (checkpoints/, samples/ go here directly)
  Manifest& manifest;
  Shard shard;
};

// Runs every cell of `dataset` in the shard (finished cells are read back, interrupted ones
// resume from their last checkpoint) and appends their rows to `table`. Throws ConfigError for
// impossible settings (N above the pool, a U-Net that does not fit) before training anything,
// NumericError when training diverges (earlier cells and checkpoints stay).
void run_training_sweep(const SweepContext& context, const Dataset& dataset, const Population& population,
                        ResultsTable& table);

}  // namespace lindiff
