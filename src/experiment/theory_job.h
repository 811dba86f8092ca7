// Owns the `lindiff theory` job: closed-form theory curves for every dataset of a config,
// written as rows with sources theory / theory_avg and drawn as figures.
#pragma once

#include <string>

#include "src/common/runtime_info.h"
#include "src/experiment/config.h"

namespace lindiff {

// Runs the job into config.output_dir (all or nothing). Throws lindiff::Error subclasses.
void run_theory_job(const ExperimentConfig& config, const std::string& config_path, const RuntimeInfo& runtime);

}  // namespace lindiff
