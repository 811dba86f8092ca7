// Owns the `lindiff spectrum` job: load every dataset of a config, analyse its spectrum,
// and write results.csv, manifest.json, config.yaml and figures into one run folder.
#pragma once

#include <string>

#include "src/common/runtime_info.h"
#include "src/experiment/config.h"

namespace lindiff {

// Runs the job; results appear in config.output_dir only if every dataset succeeds
// (files already there stay intact otherwise). Throws lindiff::Error subclasses.
void run_spectrum_job(const ExperimentConfig& config, const std::string& config_path, const RuntimeInfo& runtime);

}  // namespace lindiff
