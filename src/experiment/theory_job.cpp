#include "src/experiment/theory_job.h"

#include "src/experiment/job.h"
#include "src/experiment/one_step_sweep.h"
#include "src/experiment/statistics.h"
#include "src/experiment/theory_curves.h"
#include "src/experiment/theory_figures.h"

namespace lindiff {

void run_theory_stage(const DatasetSpec& spec, const Dataset& dataset, const Population& population, JobContext& job) {
  {
    StageTimer timer(job.manifest, "theory:" + spec.label);
    add_theory_rows(dataset, population, job.config, job.table);
  }
  if (!job.config.one_step.n.empty()) {
    StageTimer timer(job.manifest, "one_step:" + spec.label);
    add_one_step_rows(dataset, population, job.config, spec.label, job.table);
  }
  if (job.plots) {
    StageTimer timer(job.manifest, "figures:" + spec.label);
    draw_theory_figures(job.table, spec.label, dataset.dim(), job.folder);
    draw_one_step_figures(job.table, spec.label, job.folder);
  }
}

void run_theory_job(const ExperimentConfig& config, const std::string& config_path, const RuntimeInfo& runtime) {
  const DatasetStage each = [&](const DatasetSpec& spec, const Dataset& dataset, JobContext& job) {
    const Population population = population_of(dataset, parse_eigen_solver(config.spectrum.solver));
    run_theory_stage(spec, dataset, population, job);
  };
  run_job("theory", config, config_path, runtime, each, nullptr);
}

}  // namespace lindiff
