#include "src/jobs/job.h"

#include <cstdio>
#include <fstream>
#include <optional>

#include <yaml-cpp/yaml.h>

#include "datasets/registry.h"
#include "src/common/atomic_file.h"
#include "src/common/error.h"
#include "src/figures/plot.h"
#include "src/denoisers/registry.h"
#include "src/jobs/resource_estimate.h"
#include "src/tensors/device.h"

namespace lindiff {

namespace {

// The `name` and `seed` a run folder's config.yaml records, as "name 'x', seed s".
std::string run_identity(const std::string& name, const std::string& seed) {
  return "name '" + name + "', seed " + seed;
}

}  // namespace

void claim_output_folder(const ExperimentConfig& config, bool replace) {
  const std::filesystem::path dir(config.output_dir);
  const std::filesystem::path recorded = dir / "config.yaml";
  std::error_code ec;
  if (!std::filesystem::exists(recorded, ec)) return;
  std::string other;
  try {
    const YAML::Node root = YAML::LoadFile(recorded.string());
    other = run_identity(root["name"].as<std::string>(""), root["seed"].as<std::string>(""));
  } catch (const YAML::Exception&) {
    other = "an unreadable config.yaml";
  }
  const std::string mine = run_identity(config.name, std::to_string(config.seed));
  if (other == mine) return;
  if (!replace) {
    throw ConfigError("output folder '" + dir.string() + "' holds another run (" + other + "); this run is " + mine +
                      ": choose another folder with --out (or change output_dir), or pass --replace to empty it first");
  }
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.path().filename().string().rfind(".staging-", 0) == 0) continue;  // RunFolder judges those
    std::filesystem::remove_all(entry.path(), ec);
    if (ec) throw Error(ExitCode::kFailure, "--replace: cannot remove '" + entry.path().string() + "': " + ec.message());
  }
  if (ec) throw Error(ExitCode::kFailure, "--replace: cannot list '" + dir.string() + "': " + ec.message());
  std::fprintf(stderr, "replaced the run (%s) in %s\n", other.c_str(), dir.c_str());
}

void JobContext::draw(FigureStage stage, const std::string& label, std::int64_t d) const {
  if (!plots) return;
  draw_figures(stage, FigureContext{table, label, d, model_styles(), config.spectrum.fit_range, folder});
}

void run_job(const std::string& command, const ExperimentConfig& config, const std::string& config_path,
             const RuntimeInfo& runtime, const DatasetStage& each, const FinalStage& finish) {
  RunFolder folder(config.output_dir);
  Manifest manifest(command, runtime);
  manifest.set("config_file", config_path);
  manifest.set("seed", config.seed);
  write_file_atomically(folder.stage("config.yaml"), to_yaml(config));
  const bool plots = gnuplot_available();
  if (!plots) std::fprintf(stderr, "warning: gnuplot not found; writing results without line plots\n");
  ResultsTable table;
  JobContext job{config, folder, manifest, table, plots};

  nlohmann::json skipped = nlohmann::json::array();
  int loaded = 0;
  for (const DatasetSpec& spec : config.datasets) {
    Dataset dataset;
    try {
      StageTimer timer(manifest, "load:" + spec.label);
      std::fprintf(stderr, "loading %s from %s\n", spec.label.c_str(), spec.path.empty() ? "generator" : spec.path.c_str());
      dataset = load_dataset(spec);
    } catch (const MissingDataError& e) {
      if (!spec.optional) throw;
      std::fprintf(stderr, "warning: skipping optional dataset: %s\n", e.what());
      skipped.push_back({{"dataset", spec.label}, {"reason", e.what()}});
      continue;
    }
    std::fprintf(stderr, "%s: %lld training-pool and %lld held-out images of %s (d = %lld)\n", spec.label.c_str(),
                 static_cast<long long>(dataset.pool.rows()), static_cast<long long>(dataset.test.rows()),
                 dataset.shape.to_string().c_str(), static_cast<long long>(dataset.dim()));
    check_memory(command, config, dataset);  // before the population, the theory or any training
    ++loaded;
    std::optional<DatasetContext> context;
    {
      StageTimer timer(manifest, "population:" + spec.label);
      context.emplace(spec, dataset, config);
    }
    each(*context, job);
  }
  if (loaded == 0) throw DataError("no dataset of " + config_path + " could be loaded");
  if (finish) finish(job);
  manifest.set("skipped_datasets", skipped);
  if (config.training.device == DeviceKind::kCuda) {
    // What LibTorch's caching allocator held at its peak: the GPU memory the run really needed.
    manifest.set("gpu_peak_allocated_bytes", gpu_peak_allocated_bytes());
    if (const std::optional<GpuMemory> memory = gpu_memory()) manifest.set("gpu_memory_total_bytes", memory->total);
  }
  table.write_csv(folder.stage("results.csv"));
  manifest.write(folder.stage("manifest.json"));
  folder.commit();
  std::fprintf(stderr, "results in %s\n", config.output_dir.c_str());
}

}  // namespace lindiff
