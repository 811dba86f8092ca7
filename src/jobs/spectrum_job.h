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
  // One summary line per dataset (the analyses themselves, eigenvectors included, are not kept).
  struct Summary {
    std::string label;
    Index d = 0, n_train = 0;
    std::string route;
    double d_eff_train = 0, k_fit = 0, d_eff_population = 0;
  };
  std::vector<Summary> summaries_;
};

// Runs the job; results appear in config.output_dir only if every dataset succeeds
// (files already there stay intact otherwise). Throws lindiff::Error subclasses.
void run_spectrum_job(const ExperimentConfig& config, const std::string& config_path, const RuntimeInfo& runtime);

}  // namespace lindiff
