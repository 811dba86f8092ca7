#include "src/jobs/run_job.h"

#include "src/jobs/spectrum_job.h"
#include "src/jobs/theory_job.h"
#include "src/jobs/train_job.h"
#include "src/report/run_report.h"
#include "src/sweep/training_sweep.h"

namespace lindiff {

void run_experiment_job(const ExperimentConfig& config, const std::string& config_path, const RuntimeInfo& runtime,
                        const Shard& shard) {
  SpectrumStage spectrum;
  const DatasetStage each = [&](const DatasetContext& context, JobContext& job) {
    record_shard(job.manifest, shard);
    check_training_plan(job.config, context.dataset());
    spectrum.run(context, job);
    run_theory_stage(context, job);
    run_training_stage(context, job, shard);
  };
  const FinalStage finish = [&](JobContext& job) {
    spectrum.finish(job);
    const ReportSources sources{{job.folder.staging_dir() / "figures", job.folder.final_dir() / "figures"},
                                job.folder.final_dir(), to_yaml(job.config), job.manifest.json()};
    write_run_report(job.table, sources, report_sections(), job.folder.stage("report.html"));
  };
  run_job("run", config, config_path, runtime, each, finish);
}

}  // namespace lindiff
