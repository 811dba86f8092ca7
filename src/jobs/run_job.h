// Owns the `lindiff run` job: the whole experiment of a config in one run folder, each
// dataset through spectrum, theory and the training sweep (sharing one DatasetContext),
// then the combined figures and report.html.
#pragma once

#include <string>

#include "src/common/runtime_info.h"
#include "src/config/config.h"
#include "src/sweep/training_sweep.h"

namespace lindiff {

// Runs the experiment into config.output_dir (resumable; all or nothing for the folder's
// shared files). Throws lindiff::Error subclasses.
void run_experiment_job(const ExperimentConfig& config, const std::string& config_path, const RuntimeInfo& runtime,
                        const Shard& shard);

}  // namespace lindiff
