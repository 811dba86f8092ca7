// Owns the `lindiff spectrum` job: load every dataset of a config, analyse its spectrum,
// and write results.csv, manifest.json, config.yaml and figures into one run folder.
#pragma once

#include <string>

#include <vector>

#include "src/common/runtime_info.h"
#include "src/experiment/config.h"
#include "src/experiment/job.h"
#include "src/experiment/spectrum_analysis.h"

namespace lindiff {

// The spectrum analysis as a stage of any job: run() per dataset (rows, grids, figures),
// finish() once (the combined spectra figure and a summary on stderr).
class SpectrumStage {
 public:
  void run(const DatasetSpec& spec, const Dataset& dataset, JobContext& job);
  void finish(JobContext& job);

 private:
  std::vector<SpectrumAnalysis> analyses_;
};

// Runs the job; results appear in config.output_dir only if every dataset succeeds
// (files already there stay intact otherwise). Throws lindiff::Error subclasses.
void run_spectrum_job(const ExperimentConfig& config, const std::string& config_path, const RuntimeInfo& runtime);

}  // namespace lindiff
