#include "src/jobs/train_job.h"

#include "src/common/error.h"


namespace lindiff {

void run_training_stage(const DatasetContext& context, JobContext& job, const Shard& shard) {
  const SweepContext sweep{job.folder.final_dir(), job.manifest, shard};
  run_training_sweep(sweep, context, job.table);
  if (job.plots) {
    StageTimer timer(job.manifest, "figures:" + context.spec().label);
    job.draw(FigureStage::kTraining, context.spec().label, context.dataset().dim());
  }
}

void record_shard(Manifest& manifest, const Shard& shard) {
  manifest.set("shard", std::to_string(shard.index) + "/" + std::to_string(shard.count));
}

void run_train_job(const ExperimentConfig& config, const std::string& config_path, const RuntimeInfo& runtime,
                   const Shard& shard) {
  const DatasetStage each = [&](const DatasetContext& context, JobContext& job) {
    record_shard(job.manifest, shard);
    run_training_stage(context, job, shard);
  };
  run_job("train", config, config_path, runtime, each, nullptr);
}

void run_denoise_job(const ExperimentConfig& config, const std::string& config_path, const RuntimeInfo& runtime,
                     const Shard& shard) {
  if (config.denoise.references.empty()) {
    throw ConfigError(config_path + ": denoise.references is empty: name the analytic denoisers to compare with, e.g. "
                      "denoise: {references: [empirical, wiener]} (docs/denoisers.md)");
  }
  const DatasetStage each = [&](const DatasetContext& context, JobContext& job) {
    record_shard(job.manifest, shard);
    run_training_stage(context, job, shard);
  };
  run_job("denoise", config, config_path, runtime, each, nullptr);
}

}  // namespace lindiff
