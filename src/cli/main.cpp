// Owns the `lindiff` command line: subcommands, their options and exit codes.
// Each subcommand parses its arguments here and hands over to a job in src/experiment.
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "build_info.h"
#include "datasets/registry.h"
#include "src/cli/runtime.h"
#include "src/common/error.h"
#include "src/experiment/config.h"
#include "src/experiment/spectrum_job.h"
#include "src/experiment/theory_job.h"

namespace {

using lindiff::ExitCode;

// Options shared by every command that reads an experiment file.
struct ConfigOptions {
  std::string path;
  std::vector<std::string> overrides;
  std::string output_dir;
  int threads = 0;
};

void add_config_options(CLI::App* command, ConfigOptions& options, bool with_run_options) {
  command->add_option("CONFIG", options.path, "experiment file (YAML)")->required();
  command->add_option("--set", options.overrides, "override a config key, e.g. --set spectrum.n_train=1000")
      ->type_name("KEY=VALUE");
  if (!with_run_options) return;
  command->add_option("--out", options.output_dir,
                      "output folder (default: <output_dir>/" + command->get_name() + ", output_dir from the config)");
  command->add_option("--threads", options.threads, "threads for BLAS and LibTorch (default: config, else all cores)")
      ->check(CLI::NonNegativeNumber);
}

// The config of `options`; a stage command writes into <output_dir>/<stage> unless --out is given.
lindiff::ExperimentConfig load(const ConfigOptions& options, const std::string& stage = "") {
  lindiff::ExperimentConfig config = lindiff::load_config(options.path, options.overrides);
  if (!options.output_dir.empty()) {
    config.output_dir = options.output_dir;
  } else if (!stage.empty()) {
    config.output_dir += "/" + stage;
  }
  return config;
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

  try {
    if (*spectrum || *theory) {
      const ConfigOptions& options = *spectrum ? spectrum_options : theory_options;
      lindiff::ExperimentConfig experiment = load(options, *spectrum ? "spectrum" : "theory");
      const int threads = options.threads > 0 ? options.threads : experiment.threads;
      lindiff::RuntimeInfo runtime = lindiff::initialise_runtime(threads, joined_arguments(argc, argv));
      if (*spectrum) {
        lindiff::run_spectrum_job(experiment, options.path, runtime);
      } else {
        lindiff::run_theory_job(experiment, options.path, runtime);
      }
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
  } catch (const std::exception& e) {
    std::fprintf(stderr, "lindiff: internal error: %s\n", e.what());
    return static_cast<int>(ExitCode::kFailure);
  }
  return 0;
}
