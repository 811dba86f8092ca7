#include "src/jobs/job.h"

#include <cstdio>
#include <fstream>
#include <optional>

#include "datasets/registry.h"
#include "src/common/error.h"
#include "src/figures/plot.h"

namespace lindiff {

void run_job(const std::string& command, const ExperimentConfig& config, const std::string& config_path,
             const RuntimeInfo& runtime, const DatasetStage& each, const FinalStage& finish) {
  RunFolder folder(config.output_dir);
  Manifest manifest(command, runtime);
  manifest.set("config_file", config_path);
  manifest.set("seed", config.seed);
  {
    std::ofstream out(folder.stage("config.yaml"));
    out << to_yaml(config);
  }
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
  table.write_csv(folder.stage("results.csv"));
  manifest.write(folder.stage("manifest.json"));
  folder.commit();
  std::fprintf(stderr, "results in %s\n", config.output_dir.c_str());
}

}  // namespace lindiff
