#include "src/jobs/slurm_job.h"

#include <cstdio>
#include <filesystem>

#include "src/common/atomic_file.h"
#include "src/common/error.h"
#include "src/common/subprocess.h"
#include "src/report/run_folder.h"

namespace lindiff {

namespace fs = std::filesystem;

namespace {

// `text` as one single-quoted shell word.
std::string quoted(const std::string& text) {
  std::string word = "'";
  for (char c : text) word += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return word + "'";
}

// The lindiff command every job runs (absolute paths: jobs start in another directory).
std::string run_command(const ExperimentConfig& config, const SlurmPlan& plan) {
  // The `lindiff` launcher beside this executable (it protects the loader's first instants from
  // signals: src/cli/launcher.cpp), else this executable itself.
  const fs::path self = fs::read_symlink("/proc/self/exe");
  std::error_code ec;
  const fs::path launcher = fs::exists(self.parent_path() / "lindiff", ec) ? self.parent_path() / "lindiff" : self;
  std::string command = quoted(launcher.string()) + " run " +
                        quoted(fs::absolute(plan.config_path).string());
  for (const std::string& assignment : plan.overrides) command += " --set " + quoted(assignment);
  return command + " --out " + quoted(fs::absolute(config.output_dir).string());
}

// The #SBATCH header lines shared by both jobs, after the job's own.
std::string header(const std::vector<std::string>& own, const SlurmPlan& plan) {
  std::string text = "#!/bin/bash\n";
  for (const std::string& option : own) text += "#SBATCH " + option + "\n";
  for (const std::string& option : plan.sbatch_options) text += "#SBATCH " + option + "\n";
  return text;
}

void write_script(const fs::path& path, const std::string& text) {
  write_file_atomically(path, text);
  fs::permissions(path, fs::perms::owner_exec | fs::perms::group_exec | fs::perms::others_exec, fs::perm_options::add);
}

// An #SBATCH line ends at a line break: one inside an option or a path would start a shell
// command of the script.
void refuse_line_breaks(const std::string& text, const std::string& what) {
  for (char c : text) {
    if (static_cast<unsigned char>(c) < 0x20) {
      throw Error(ExitCode::kUsage, what + " '" + text + "' holds a control character (line break, tab, ...); give it "
                                           "without (the scripts would run the rest of the line as a command)");
    }
  }
}

}  // namespace

void run_slurm_job(const ExperimentConfig& config, const SlurmPlan& plan) {
  if (plan.shards < 1) throw Error(ExitCode::kUsage, "--shards must be >= 1");
  for (const std::string& option : plan.sbatch_options) refuse_line_breaks(option, "--sbatch");
  for (const std::string& assignment : plan.overrides) refuse_line_breaks(assignment, "--set");
  refuse_line_breaks(fs::absolute(config.output_dir).string(), "the run folder");
  refuse_line_breaks(fs::absolute(plan.config_path).string(), "the config path");
  const fs::path dir = path_inside(fs::absolute(config.output_dir), "slurm");
  fs::create_directories(dir);
  const std::string name = "lindiff-" + config.name;
  const std::string shards = std::to_string(plan.shards);
  write_script(dir / "array.sbatch",
               header({"--job-name=" + name, "--array=0-" + std::to_string(plan.shards - 1),
                       "--output=" + (dir / "shard-%a.log").string(), "--open-mode=append", "--requeue"},
                      plan) +
                   "# Task i runs shard i/" + shards + " of the experiment into the shared run folder; a task\n"
                   "# killed and requeued resumes its cells from their last checkpoints.\n"
                   "exec " + run_command(config, plan) + " --shard \"${SLURM_ARRAY_TASK_ID}/" + shards + "\"\n");
  write_script(dir / "collect.sbatch",
               header({"--job-name=" + name + "-collect", "--output=" + (dir / "collect.log").string(),
                       "--open-mode=append", "--requeue"},
                      plan) +
                   "# After every array task succeeded: reads the finished cells back (no training) and writes\n"
                   "# results.csv, the figures and report.html.\n"
                   "exec " + run_command(config, plan) + "\n");
  write_script(dir / "submit.sh",
               "#!/bin/bash\n# Submits the array, then the collecting job once every task has succeeded.\n"
               "set -euo pipefail\ncd \"$(dirname \"$0\")\"\n"
               "array=$(sbatch --parsable array.sbatch)\narray=${array%%;*}\n"
               "collect=$(sbatch --parsable --dependency=afterok:\"$array\" collect.sbatch)\n"
               "echo \"submitted job array $array (" + shards + " tasks) and collecting job ${collect%%;*}\"\n");
  std::fprintf(stderr, "wrote %s/{array.sbatch, collect.sbatch, submit.sh}\n", dir.c_str());
  if (!plan.submit) {
    std::fprintf(stderr, "submit with: bash %s\n", (dir / "submit.sh").c_str());
    return;
  }
  if (!program_on_path("sbatch")) throw Error(ExitCode::kUsage, "--submit needs Slurm's sbatch on PATH; submit later with bash " + (dir / "submit.sh").string());
  const int status = run_program({"bash", (dir / "submit.sh").string()}, dir);
  if (status != 0) {
    throw Error(ExitCode::kUsage, "sbatch refused the jobs (exit " + std::to_string(status) + "); the scripts are in " +
                                      dir.string());
  }
}

}  // namespace lindiff
