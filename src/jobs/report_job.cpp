#include "src/jobs/report_job.h"

#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>

#include "src/common/error.h"
#include "src/config/config.h"
#include "src/denoisers/registry.h"
#include "src/figures/figure_registry.h"
#include "src/figures/plot.h"
#include "src/report/run_report.h"

namespace lindiff {

namespace fs = std::filesystem;

std::string read_text(const fs::path& path) {
  std::ifstream in(path);
  if (!in) return "";
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

fs::path results_csv_of(const fs::path& dir) {
  std::error_code ec;
  if (!fs::is_regular_file(dir / "results.csv", ec)) {
    throw DataError("'" + (dir / "results.csv").string() + "' does not exist: give a run folder written by lindiff "
                    "run, train or theory");
  }
  return dir / "results.csv";
}

nlohmann::json read_manifest(const fs::path& dir) {
  try {
    return nlohmann::json::parse(read_text(dir / "manifest.json"));
  } catch (const nlohmann::json::exception&) {
    std::fprintf(stderr, "warning: %s is missing or unreadable; the report shows no manifest for it\n",
                 (dir / "manifest.json").c_str());
    return nlohmann::json::object();
  }
}

void redraw_run_folder(const ResultsTable& table, const std::string& config_yaml, const nlohmann::json& manifest,
                       RunFolder& folder) {
  const fs::path& dir = folder.final_dir();
  std::map<std::string, std::int64_t> datasets;  // label -> d
  for (const ResultRow& row : table.rows()) datasets[row.dataset] = row.d;
  if (gnuplot_available()) {
    // The spectrum figures' fit range is a setting, not a row: it comes from the run's config.
    std::optional<std::vector<std::int64_t>> fit_range;
    try {
      fit_range = load_config_text(config_yaml, (dir / "config.yaml").string()).spectrum.fit_range;
    } catch (const Error& e) {
      std::fprintf(stderr, "warning: spectrum figures not redrawn (%s)\n", e.what());
    }
    const std::vector<ModelStyle> styles = model_styles();
    for (const auto& [label, d] : datasets) {
      const FigureContext context{table, label, d, styles, fit_range.value_or(std::vector<std::int64_t>{}), folder};
      if (fit_range) draw_figures(FigureStage::kSpectrum, context);
      for (const FigureStage stage : {FigureStage::kTheory, FigureStage::kOneStep, FigureStage::kTraining}) {
        draw_figures(stage, context);
      }
    }
    if (fit_range) draw_figures(FigureStage::kAllSpectra, FigureContext{table, "", 0, styles, *fit_range, folder});
  } else {
    std::fprintf(stderr, "warning: gnuplot not found; the report uses the figures already in %s\n",
                 (dir / "figures").c_str());
  }
  const ReportSources sources{{folder.staging_dir() / "figures", dir / "figures"}, dir, config_yaml, manifest};
  write_run_report(table, sources, report_sections(), folder.stage("report.html"));
  folder.commit();
  std::fprintf(stderr, "report in %s\n", (dir / "report.html").c_str());
}

void run_report_job(const std::string& run_dir) {
  const fs::path dir(run_dir);
  const ResultsTable table = ResultsTable::read_csv(results_csv_of(dir));
  RunFolder folder(dir);
  redraw_run_folder(table, read_text(dir / "config.yaml"), read_manifest(dir), folder);
}

}  // namespace lindiff
