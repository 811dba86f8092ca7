// Owns the `lindiff spectrum` job: the covariance-spectrum analysis of every dataset of a
// config, written as rows, image grids (top eigenvectors, examples) and figures into one run folder.
#pragma once

#include <string>
#include <vector>

#include "src/analysis/spectrum_analysis.h"
#include "src/common/runtime_info.h"
#include "src/jobs/job.h"

namespace lindiff {

// The spectrum analysis as a stage of any job: run() per dataset (rows, image grids,
// figures), finish() once (the combined spectra figure and a summary on stderr).
class SpectrumStage {
 public:
  void run(const DatasetContext& context, JobContext& job);
  void finish(JobContext& job);

 private:
  std::vector<SpectrumAnalysis> analyses_;
};

// Runs the job; results appear in config.output_dir only if every dataset succeeds
// (files already there stay intact otherwise). Throws lindiff::Error subclasses.
void run_spectrum_job(const ExperimentConfig& config, const std::string& config_path, const RuntimeInfo& runtime);

}  // namespace lindiff
