// Owns the `lindiff` command line: subcommands, their options and exit codes.
// Each subcommand parses its arguments here and hands over to its job in src/jobs.
#include <signal.h>

#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <new>
#include <sstream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "build_info.h"
#include "datasets/registry.h"
#include "src/cli/runtime.h"
#include "src/common/error.h"
#include "src/common/crash_report.h"
#include "src/denoisers/registry.h"
#include "src/common/interrupt.h"
#include "src/config/config.h"
#include "src/jobs/job.h"
#include "src/jobs/merge_job.h"
#include "src/jobs/report_job.h"
#include "src/jobs/resource_estimate.h"
#include "src/jobs/run_job.h"
#include "src/jobs/sample_job.h"
#include "src/jobs/slurm_job.h"
#include "src/jobs/spectrum_job.h"
#include "src/jobs/theory_job.h"
#include "src/jobs/train_job.h"

namespace {

using lindiff::ExitCode;

// Options shared by every command that reads an experiment file.
struct ConfigOptions {
  std::string path;
  std::vector<std::string> overrides;
  std::string output_dir;
  int threads = 0;
  bool replace = false;
  std::string shard = "0/1";
};

// Parses "i/n" with 0 <= i < n.
lindiff::Shard parse_shard(const std::string& text) {
  lindiff::Shard shard;
  char slash = 0;
  std::istringstream in(text);
  if (!(in >> shard.index >> slash >> shard.count) || slash != '/' || !in.eof() || shard.count < 1 || shard.index < 0 ||
      shard.index >= shard.count) {
    throw lindiff::Error(ExitCode::kUsage, "--shard '" + text + "' is not valid: give i/n with 0 <= i < n, e.g. 0/4");
  }
  return shard;
}

void add_config_options(CLI::App* command, ConfigOptions& options, bool with_run_options, bool with_shard = false) {
  command->add_option("CONFIG", options.path, "experiment file (YAML)")->required();
  command->add_option("--set", options.overrides, "override a config key, e.g. --set spectrum.n_train=1000")
      ->type_name("KEY=VALUE");
  if (!with_run_options) return;
  command->add_option("--out", options.output_dir,
                      "output folder (default: <output_dir>/" + command->get_name() + ", output_dir from the config)");
  command->add_option("--threads", options.threads, "threads for BLAS and LibTorch (default: config, else all cores)")
      ->check(CLI::NonNegativeNumber);
  command->add_flag("--replace", options.replace,
                    "empty the output folder first when it holds another run (other name or seed); without it such a "
                    "folder is refused");
  if (with_shard) {
    command->add_option("--shard", options.shard, "run one slice of the sweep: cells with index % n == i (default 0/1)")
        ->type_name("i/n");
  }
}

// The config of `options`; a stage command writes into <output_dir>/<stage> unless --out is given.
lindiff::ExperimentConfig load(const ConfigOptions& options, const std::string& stage = "") {
  lindiff::ExperimentConfig config = lindiff::load_config(options.path, options.overrides);
  lindiff::check_model_names(config.training);  // the registry's names, for every command (config included)
  if (!options.output_dir.empty()) {
    config.output_dir = options.output_dir;
  } else if (!stage.empty()) {
    config.output_dir += "/" + stage;
  }
  return config;
}

// Prints the out-of-memory message (exit 6) that the up-front estimate did not foresee, naming
// the keys of that estimate's largest parts (or the usual suspects before any estimate).
int report_out_of_memory(const std::string& detail) {
  const std::string advice = lindiff::memory_advice();
  std::fprintf(stderr, "lindiff: error: out of memory%s%s; lower %s, or run with fewer --threads; finished cells and "
               "checkpoints are intact\n", detail.empty() ? "" : ": ", detail.c_str(),
               advice.empty() ? "theory.respace (T), dataset.resize (d), training.samples or training.unet.batch_size"
                              : advice.c_str());
  return static_cast<int>(ExitCode::kResource);
}

std::string joined_arguments(int argc, char** argv) {
  std::string line;
  for (int i = 0; i < argc; ++i) line += (i ? " " : "") + std::string(argv[i]);
  return line;
}

void list_datasets() {
  std::printf("%-14s %-10s %s\n", "name", "files", "description");
  for (const lindiff::DatasetKind& kind : lindiff::dataset_kinds()) {
    std::string found = kind.open ? "missing" : "generated";
    for (const std::string& path : kind.default_paths) {
      std::error_code ec;
      if (std::filesystem::exists(path, ec)) found = "found";
    }
    if (kind.open && kind.default_paths.empty()) found = "path:";
    std::printf("%-14s %-10s %s\n", kind.name.c_str(), found.c_str(), kind.summary.c_str());
    if (found == "missing") std::printf("%-14s %-10s to use it, %s\n", "", "", kind.how_to_get.c_str());
  }
}

// Runs before every shared library's initialiser (ELF .preinit_array, executables only): a
// SIGINT or SIGTERM from then on is noted and ends the run with exit 130. The `lindiff` launcher
// (src/cli/launcher.cpp) blocked both before the loader mapped LibTorch: a signal sent meanwhile
// is pending and arrives here, at the unblocking.
extern "C" void lindiff_preinit(int, char**, char**) {
  lindiff::install_interrupt_handlers();
  sigset_t interrupts;
  sigemptyset(&interrupts);
  sigaddset(&interrupts, SIGINT);
  sigaddset(&interrupts, SIGTERM);
  sigprocmask(SIG_UNBLOCK, &interrupts, nullptr);
}
__attribute__((section(".preinit_array"), used)) void (*const lindiff_preinit_entry)(int, char**, char**) = lindiff_preinit;

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"lindiff: test the theory of linear diffusion models against trained networks"};
  app.set_version_flag("--version", std::string("lindiff ") + LINDIFF_VERSION);
  app.require_subcommand(1);

  ConfigOptions spectrum_options;
  CLI::App* spectrum = app.add_subcommand("spectrum", "covariance spectra, effective dimension and "
                                                      "covariance error of each dataset (Figure 1)");
  add_config_options(spectrum, spectrum_options, true);

  ConfigOptions theory_options;
  CLI::App* theory = app.add_subcommand("theory", "closed-form predictions of linear diffusion theory: losses, "
                                                  "sampled distributions, KL versus N, c and training steps");
  add_config_options(theory, theory_options, true);

  ConfigOptions train_options;
  CLI::App* train = app.add_subcommand("train", "train the linear denoiser and the U-Net on every (model, objective, N, c, "
                                                "seed) cell, evaluated at log-spaced checkpoints; resumes interrupted runs");
  add_config_options(train, train_options, true, true);

  ConfigOptions denoise_options;
  CLI::App* denoise = app.add_subcommand("denoise", "which denoiser is the network: the training sweep with every cell compared, "
                                                    "per noise level and checkpoint, with the analytic denoisers of "
                                                    "denoise.references on shared noise; .npy arrays and index.json");
  add_config_options(denoise, denoise_options, true, true);

  ConfigOptions run_options;
  CLI::App* run = app.add_subcommand("run", "the whole experiment: spectrum, theory, training sweep, figures and "
                                            "report.html in one run folder; resumes interrupted runs");
  add_config_options(run, run_options, true, true);

  ConfigOptions slurm_options;
  lindiff::SlurmPlan slurm_plan;
  CLI::App* slurm = app.add_subcommand("slurm", "run the experiment on a Slurm cluster: a job array of `run --shard i/n` "
                                                "tasks into one folder and a collecting job after them (afterok)");
  slurm->add_option("CONFIG", slurm_options.path, "experiment file (YAML)")->required();
  slurm->add_option("--set", slurm_options.overrides, "override a config key (passed on to every task)")->type_name("KEY=VALUE");
  slurm->add_option("--out", slurm_options.output_dir, "the shared run folder (default: output_dir from the config)");
  slurm->add_option("--shards", slurm_plan.shards, "array tasks; task i runs --shard i/n (default 1)")->check(CLI::PositiveNumber);
  slurm->add_option("--sbatch", slurm_plan.sbatch_options, "an sbatch option for both jobs, e.g. --sbatch=--partition=gpu")
      ->type_name("OPTION")->allow_extra_args(false);
  slurm->add_flag("--submit", slurm_plan.submit, "submit the jobs with sbatch after writing the scripts");
  slurm->add_flag("--replace", slurm_options.replace, "empty the output folder first when it holds another run");

  std::string checkpoint, sample_out;
  std::int64_t sample_count = 64;
  std::uint64_t sample_seed = 0;
  CLI::App* sample = app.add_subcommand("sample", "draw samples from a checkpoint written by train or run");
  sample->add_option("CHECKPOINT", checkpoint, "checkpoints/<cell>/latest.pt or best.pt of a run folder")->required();
  sample->add_option("--count", sample_count, "number of samples, 1 to 1000000 (default 64; grid.png shows the first 256)")
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{1000000}));
  sample->add_option("--seed", sample_seed, "sampling seed (default 0)");
  sample->add_option("--out", sample_out, "output folder (default: samples_<checkpoint>_seed<seed> next to it)");

  std::string report_dir;
  CLI::App* report = app.add_subcommand("report", "redraw the figures and report.html of a run folder from its results.csv");
  report->add_option("RUN_DIR", report_dir, "a run folder (holds results.csv)")->required();

  std::vector<std::string> merge_inputs;
  std::string merge_out;
  CLI::App* merge = app.add_subcommand("merge", "combine run folders (e.g. the shards of a job array, each in its own "
                                                "folder) into one results.csv, figures and report.html");
  merge->add_option("--out", merge_out, "the merged run folder (new, or one of RUN_DIRS)")->required();
  merge->add_option("RUN_DIRS", merge_inputs, "run folders written by run, train or theory")->required()->expected(1, -1);

  ConfigOptions config_options;
  bool list_keys = false;
  CLI::App* config = app.add_subcommand("config", "validate an experiment file and print it fully resolved");
  config->add_option("CONFIG", config_options.path, "experiment file (YAML)");
  config->add_option("--set", config_options.overrides, "override a config key")->type_name("KEY=VALUE");
  config->add_flag("--keys", list_keys, "list every config key with its default and meaning");

  CLI::App* datasets = app.add_subcommand("datasets", "list the dataset names a config can use and "
                                                      "whether their files are present");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : static_cast<int>(ExitCode::kUsage);
  }

  lindiff::install_crash_report();
  try {
    lindiff::throw_if_interrupted();  // a signal that came while the libraries loaded
    if (*spectrum || *theory) {
      const ConfigOptions& options = *spectrum ? spectrum_options : theory_options;
      lindiff::ExperimentConfig experiment = load(options, *spectrum ? "spectrum" : "theory");
      const int threads = lindiff::checked_threads(options.threads, experiment.threads);
      lindiff::claim_output_folder(experiment, options.replace);
      lindiff::RuntimeInfo runtime = lindiff::initialise_runtime(threads, joined_arguments(argc, argv));
      if (*spectrum) {
        lindiff::run_spectrum_job(experiment, options.path, runtime);
      } else {
        lindiff::run_theory_job(experiment, options.path, runtime);
      }
    } else if (*train || *run || *denoise) {
      const ConfigOptions& options = *train ? train_options : *denoise ? denoise_options : run_options;
      lindiff::ExperimentConfig experiment = load(options, *train ? "train" : *denoise ? "denoise" : "");
      const lindiff::Shard shard = parse_shard(options.shard);
      const int threads = lindiff::checked_threads(options.threads, experiment.threads);
      lindiff::claim_output_folder(experiment, options.replace);
      lindiff::RuntimeInfo runtime = lindiff::initialise_runtime(threads, joined_arguments(argc, argv));
      lindiff::record_training_device(runtime, experiment.training.device);
      if (*train) {
        lindiff::run_train_job(experiment, options.path, runtime, shard);
      } else if (*denoise) {
        lindiff::run_denoise_job(experiment, options.path, runtime, shard);
      } else {
        lindiff::run_experiment_job(experiment, options.path, runtime, shard);
      }
    } else if (*slurm) {
      lindiff::ExperimentConfig experiment = load(slurm_options);
      lindiff::claim_output_folder(experiment, slurm_options.replace);
      slurm_plan.config_path = slurm_options.path;
      slurm_plan.overrides = slurm_options.overrides;
      lindiff::run_slurm_job(experiment, slurm_plan);
    } else if (*sample) {
      lindiff::initialise_runtime(0, joined_arguments(argc, argv));
      lindiff::run_sample_command(checkpoint, sample_count, sample_seed, sample_out);
    } else if (*report) {
      lindiff::run_report_job(report_dir);
    } else if (*merge) {
      lindiff::run_merge_job(merge_inputs, merge_out);
    } else if (*config) {
      if (list_keys) {
        std::cout << lindiff::describe_keys();
      } else if (config_options.path.empty()) {
        throw lindiff::Error(ExitCode::kUsage, "config: give CONFIG or --keys (see lindiff config --help)");
      } else {
        std::cout << lindiff::to_yaml(load(config_options));
      }
    } else if (*datasets) {
      list_datasets();
    }
  } catch (const lindiff::Error& e) {
    std::fprintf(stderr, "lindiff: error: %s\n", e.what());
    return static_cast<int>(e.code());
  } catch (const std::bad_alloc&) {
    return report_out_of_memory("");
  } catch (const std::filesystem::filesystem_error& e) {
    // A folder operation the code did not expect to fail: an environment problem, not a bug.
    const int error = e.code().value();
    std::fprintf(stderr, "lindiff: error: %s; %s\n", e.what(),
                 error == ENOSPC || error == EDQUOT ? "free space on that disk (files already written are intact)"
                                                    : "check the path and its permissions, or choose another folder with --out");
    return static_cast<int>(error == ENOSPC || error == EDQUOT ? ExitCode::kResource : ExitCode::kUsage);
  } catch (const std::exception& e) {
    const std::string message = e.what();
    // LibTorch reports a failed allocation as c10::Error with a stack trace; say what to change.
    if (message.find("can't allocate memory") != std::string::npos || message.find("out of memory") != std::string::npos) {
      return report_out_of_memory(message.substr(0, message.find('\n')));
    }
    std::fprintf(stderr, "lindiff: internal error: %s\n", e.what());
    return static_cast<int>(ExitCode::kFailure);
  }
  return 0;
}
