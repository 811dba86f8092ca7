#include "src/jobs/theory_job.h"

#include "src/analysis/one_step_sweep.h"
#include "src/analysis/theory_curves.h"

namespace lindiff {

void run_theory_stage(const DatasetContext& context, JobContext& job) {
  const std::string& label = context.spec().label;
  {
    StageTimer timer(job.manifest, "theory:" + label);
    add_theory_rows(context, job.table);
  }
  if (!job.config.one_step.n.empty()) {
    StageTimer timer(job.manifest, "one_step:" + label);
    add_one_step_rows(context, job.table);
  }
  if (job.plots) {
    StageTimer timer(job.manifest, "figures:" + label);
    job.draw(FigureStage::kTheory, label, context.dataset().dim());
    job.draw(FigureStage::kOneStep, label, context.dataset().dim());
  }
}

void run_theory_job(const ExperimentConfig& config, const std::string& config_path, const RuntimeInfo& runtime) {
  run_job("theory", config, config_path, runtime, run_theory_stage, nullptr);
}

}  // namespace lindiff
