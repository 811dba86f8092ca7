// Owns the `lindiff train` job: the training sweep of every dataset of a config (finished
// cells read back, interrupted ones resumed), its figures and results.csv.
#pragma once

#include <string>

#include "src/common/runtime_info.h"
#include "src/jobs/job.h"
#include "src/sweep/training_sweep.h"

namespace lindiff {

// The training sweep as a stage of any job: the shard's cells of one dataset and the training figures.
void run_training_stage(const DatasetContext& context, JobContext& job, const Shard& shard);

// Records the shard ("i/n") in the manifest.
void record_shard(Manifest& manifest, const Shard& shard);

// Trains every cell of the shard into config.output_dir and writes results.csv, figures and
// the manifest there. Throws lindiff::Error subclasses.
void run_train_job(const ExperimentConfig& config, const std::string& config_path, const RuntimeInfo& runtime,
                   const Shard& shard);

// `lindiff denoise`: the training sweep of `train` (models of training.models, none with
// training.models: []) with the comparison of denoise.references on shared inputs, into
// config.output_dir (docs/denoisers.md). Throws ConfigError when the config names no reference.
void run_denoise_job(const ExperimentConfig& config, const std::string& config_path, const RuntimeInfo& runtime,
                     const Shard& shard);

}  // namespace lindiff
