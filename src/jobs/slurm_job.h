// Owns `lindiff slurm`: an experiment as a Slurm job array whose tasks each run one shard of
// `lindiff run` into one shared run folder, and a collecting job, started once every task has
// succeeded (afterok), that gathers the cells into results.csv, figures and report.html.
#pragma once

#include <string>
#include <vector>

#include "src/config/config.h"

namespace lindiff {

// What `lindiff slurm` was asked for.
struct SlurmPlan {
  std::string config_path;                  // the experiment file, as given
  std::vector<std::string> overrides;       // --set KEY=VALUE, passed on to every task
  int shards = 1;                           // array tasks; task i runs --shard i/shards
  std::vector<std::string> sbatch_options;  // extra sbatch options for both jobs, e.g. --partition=gpu
  bool submit = false;                      // run submit.sh (sbatch on PATH) after writing the scripts
};

// Writes <output_dir>/slurm/array.sbatch (requeue-safe: a task killed and restarted resumes its
// cells from their checkpoints), collect.sbatch and submit.sh (submits both, the collector with
// --dependency=afterok on the array); with plan.submit runs submit.sh. Throws Error (exit 2)
// when sbatch is missing or refuses the jobs.
void run_slurm_job(const ExperimentConfig& config, const SlurmPlan& plan);

}  // namespace lindiff
