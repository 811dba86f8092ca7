// Owns the jobs that train models: `lindiff train` (the training sweep alone), `lindiff run`
// (spectrum, theory, training, figures and report in one run folder) and `lindiff sample`
// (samples from a saved checkpoint).
#pragma once

#include <cstdint>
#include <string>

#include "src/common/runtime_info.h"
#include "src/experiment/config.h"
#include "src/sweep/training_sweep.h"

namespace lindiff {

// Trains every cell of the shard into config.output_dir (finished cells are skipped,
// interrupted ones resumed) and writes results.csv, figures and the manifest there.
void run_train_job(const ExperimentConfig& config, const std::string& config_path, const RuntimeInfo& runtime,
                   const Shard& shard);

// The whole experiment into config.output_dir: spectrum, theory, the training sweep, figures
// and report.html.
void run_experiment_job(const ExperimentConfig& config, const std::string& config_path, const RuntimeInfo& runtime,
                        const Shard& shard);

// Draws `count` samples (0 = 64) with `seed` from a checkpoint written by a training cell
// (its folder holds cell.json) and writes samples.pt and grid.png into `out_dir`
// (default: samples_<step>_<seed> next to the checkpoint).
void run_sample_command(const std::string& checkpoint, std::int64_t count, std::uint64_t seed, std::string out_dir);

}  // namespace lindiff
