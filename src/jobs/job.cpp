#include "src/jobs/job.h"

#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>

#include <yaml-cpp/yaml.h>

#include "datasets/registry.h"
#include "src/common/atomic_file.h"
#include "src/common/error.h"
#include "src/common/file_lock.h"
#include "src/figures/plot.h"
#include "src/denoisers/registry.h"
#include "src/jobs/resource_estimate.h"
#include "src/tensors/device.h"

namespace lindiff {

namespace {

namespace fs = std::filesystem;

std::string shown(const YAML::Node& node) {
  if (!node.IsDefined() || node.IsNull()) return "absent";
  if (node.IsScalar()) return "'" + node.Scalar() + "'";
  YAML::Emitter out;
  out << YAML::Flow << node;
  return out.c_str();
}

// The first key (dotted path) where config `theirs` and `mine` differ, with both values; empty
// when they agree. Keys `theirs` lacks are skipped: a config.yaml written by an older lindiff
// did not know them, and their defaults are what that run used. `output_dir` names the folder,
// not the experiment: a run folder may be moved and resumed from its new place.
std::string first_difference(const YAML::Node& theirs, const YAML::Node& mine, const std::string& path) {
  if (theirs.IsMap() && mine.IsMap()) {
    for (const auto& entry : mine) {
      const std::string key = entry.first.Scalar();
      if (path.empty() && key == "output_dir") continue;
      if (!theirs[key]) continue;
      const std::string found = first_difference(theirs[key], entry.second, path.empty() ? key : path + "." + key);
      if (!found.empty()) return found;
    }
    return "";
  }
  if (theirs.IsSequence() && mine.IsSequence() && theirs.size() == mine.size()) {
    for (std::size_t i = 0; i < mine.size(); ++i) {
      const std::string found = first_difference(theirs[i], mine[i], path + "." + std::to_string(i));
      if (!found.empty()) return found;
    }
    return "";
  }
  if (theirs.IsScalar() && mine.IsScalar() && theirs.Scalar() == mine.Scalar()) return "";
  return "'" + path + "' is " + shown(theirs) + " there and " + shown(mine) + " here";
}

// Empties `dir` for --replace, leaving the staging folders of live runs (RunFolder judges those)
// and the claim's own lock.
void empty_folder(const fs::path& dir) {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind(".staging-", 0) == 0 || name == ".claim.lock") continue;
    fs::remove_all(entry.path(), ec);
    if (ec) throw_file_error("remove (--replace)", entry.path(), ec.value());
  }
  if (ec) throw_file_error("list (--replace)", dir, ec.value());
}

}  // namespace

void claim_output_folder(const ExperimentConfig& config, bool replace) {
  const fs::path dir(config.output_dir);
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw_file_error("create the output folder", dir, ec.value());
  if (!fs::is_directory(dir, ec)) throw_file_error("use the output folder", dir, ENOTDIR);
  // Held while the folder's record is read and written: of two runs started together on one
  // folder, the second sees the first one's config.
  const FileLock claim = FileLock::acquire(dir / ".claim.lock", [&] {
    std::fprintf(stderr, "waiting: another lindiff is claiming %s\n", dir.c_str());
  });
  const fs::path recorded = dir / "config.yaml";
  const std::string mine = to_yaml(config);
  if (fs::exists(recorded, ec)) {
    std::string difference;
    try {
      difference = first_difference(YAML::LoadFile(recorded.string()), YAML::Load(mine), "");
    } catch (const YAML::Exception&) {
      difference = "its config.yaml is unreadable";
    }
    if (!difference.empty() && !replace) {
      throw ConfigError("output folder '" + dir.string() + "' holds another run (" + difference +
                        "); its results would be replaced or mixed with this run's: choose another folder with --out "
                        "(or change output_dir), or pass --replace to empty it first");
    }
    if (!difference.empty()) {
      empty_folder(dir);
      std::fprintf(stderr, "replaced the run in %s (%s)\n", dir.c_str(), difference.c_str());
    }
  }
  // Written before any other file: a second experiment started on this folder while this one
  // runs (or after it was interrupted) is refused above.
  write_file_atomically(recorded, mine);
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
    if (command == "run" || command == "train" || command == "denoise") check_denoise_time(config, dataset);
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
