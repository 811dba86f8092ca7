// Owns the `lindiff theory` job: closed-form theory curves (and Halder's one-step sweep when
// configured) for every dataset of a config, written as rows with sources theory /
// theory_avg / exact and drawn as figures.
#pragma once

#include <string>

#include "src/common/runtime_info.h"
#include "src/jobs/job.h"

namespace lindiff {

// The theory as a stage of any job: rows of one dataset and its figures.
void run_theory_stage(const DatasetContext& context, JobContext& job);

// Runs the job into config.output_dir (all or nothing). Throws lindiff::Error subclasses.
void run_theory_job(const ExperimentConfig& config, const std::string& config_path, const RuntimeInfo& runtime);

}  // namespace lindiff
