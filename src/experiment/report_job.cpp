#include "src/experiment/report_job.h"

#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>

#include "src/common/error.h"
#include "src/experiment/run_report.h"
#include "src/experiment/theory_figures.h"
#include "src/experiment/training_figures.h"
#include "src/report/plot.h"
#include "src/report/run_folder.h"

namespace lindiff {

namespace {

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) return "";
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

void run_report_job(const std::string& run_dir) {
  const std::filesystem::path dir(run_dir);
  std::error_code ec;
  if (!std::filesystem::is_regular_file(dir / "results.csv", ec)) {
    throw DataError("'" + (dir / "results.csv").string() + "' does not exist: give a run folder written by lindiff "
                    "run, train or theory");
  }
  const ResultsTable table = ResultsTable::read_csv(dir / "results.csv");
  nlohmann::json manifest = nlohmann::json::object();
  try {
    manifest = nlohmann::json::parse(read_text(dir / "manifest.json"));
  } catch (const nlohmann::json::exception&) {
    std::fprintf(stderr, "warning: %s is missing or unreadable; the report shows no manifest\n",
                 (dir / "manifest.json").c_str());
  }
  std::map<std::string, std::int64_t> datasets;  // label -> d
  for (const ResultRow& row : table.rows()) datasets[row.dataset] = row.d;
  RunFolder folder(dir);
  if (gnuplot_available()) {
    for (const auto& [label, d] : datasets) {
      draw_theory_figures(table, label, d, folder);
      draw_training_figures(table, label, d, folder);
    }
  } else {
    std::fprintf(stderr, "warning: gnuplot not found; the report uses the figures already in %s\n",
                 (dir / "figures").c_str());
  }
  const ReportSources sources{{folder.staging_dir() / "figures", dir / "figures"}, dir, read_text(dir / "config.yaml"),
                              manifest};
  write_run_report(table, sources, folder.stage("report.html"));
  folder.commit();
  std::fprintf(stderr, "report in %s\n", (dir / "report.html").c_str());
}

}  // namespace lindiff
