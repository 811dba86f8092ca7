// Owns the `lindiff theory` job: closed-form theory curves for every dataset of a config,
// written as rows with sources theory / theory_avg and drawn as figures.
#pragma once

#include <string>

#include "src/common/runtime_info.h"
#include "src/experiment/config.h"
#include "src/experiment/job.h"
#include "src/experiment/statistics.h"

namespace lindiff {

// The theory as a stage of any job: rows of one dataset and its figures.
void run_theory_stage(const DatasetSpec& spec, const Dataset& dataset, const Population& population, JobContext& job);

// Runs the job into config.output_dir (all or nothing). Throws lindiff::Error subclasses.
void run_theory_job(const ExperimentConfig& config, const std::string& config_path, const RuntimeInfo& runtime);

}  // namespace lindiff
