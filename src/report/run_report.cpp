#include "src/report/run_report.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <set>
#include <tuple>

#include "src/config/vocabulary.h"
#include "src/report/html_page.h"
#include "src/report/metrics.h"

namespace lindiff {

namespace {

std::map<std::string, std::filesystem::path> find_figures(const std::vector<std::filesystem::path>& dirs) {
  std::map<std::string, std::filesystem::path> found;  // stem -> first path found
  for (const std::filesystem::path& dir : dirs) {
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec)) continue;
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
      if (entry.path().extension() == ".png") found.emplace(entry.path().stem().string(), entry.path());
    }
  }
  return found;
}

bool starts_with(const std::string& text, const std::string& prefix) { return text.rfind(prefix, 0) == 0; }

// "yes" / "NO" with the relative held-out drop over the last decade, "" for rows without a verdict.
std::string converged_text(const std::map<std::string, double>& values) {
  const auto verdict = values.find("converged/training");
  if (verdict == values.end()) return "";
  const auto drop = values.find("held_out_drop_last_decade/training");
  return std::string(verdict->second != 0 ? "yes" : "NO") +
         (drop == values.end() ? "" : " (" + short_number(drop->second) + ")");
}

// One line per trained cell at its final step: losses and KLs of every source side by side.
void add_summary_table(HtmlPage& page, const ResultsTable& table) {
  using Key = std::tuple<std::string, std::int64_t, std::string, std::string, double, std::uint64_t>;
  std::map<Key, std::int64_t> finals;
  for (const ResultRow& r : table.rows()) {
    if (r.metric == metric::kFinalStep && r.source == source::kTraining) {
      finals[{r.dataset, r.n.value_or(0), r.model, r.objective, r.c.value_or(0), r.seed.value_or(0)}] = std::llround(r.value);
    }
  }
  if (finals.empty()) return;
  std::map<Key, std::map<std::string, double>> values;
  std::map<std::tuple<std::string, std::int64_t, std::string, double>, std::map<std::string, double>> optimum;
  for (const ResultRow& r : table.rows()) {
    const Key key{r.dataset, r.n.value_or(0), r.model, r.objective, r.c.value_or(0), r.seed.value_or(0)};
    const auto it = finals.find(key);
    if (it != finals.end() && r.step == it->second && (r.t == "all" || r.t.empty())) values[key][r.metric + "/" + r.source] = r.value;
    if (it != finals.end() && !r.step && r.source == source::kTraining) values[key][r.metric + "/training"] = r.value;
    if (r.source == source::kTheory && !r.step && r.model == kLinearModelName && (r.t == "all" || r.t.empty())) {
      optimum[{r.dataset, r.n.value_or(0), r.objective, r.c.value_or(0)}][r.metric] = r.value;
    }
  }
  const auto show = [](const std::map<std::string, double>& m, const std::string& k) {
    const auto it = m.find(k);
    return it == m.end() ? std::string("") : short_number(it->second);
  };
  std::vector<std::vector<std::string>> rows;
  for (const auto& [key, step] : finals) {
    const auto& v = values[key];
    const auto& o = optimum[{std::get<0>(key), std::get<1>(key), std::get<3>(key), std::get<4>(key)}];
    rows.push_back({std::get<0>(key), std::to_string(std::get<1>(key)), std::get<2>(key), std::get<3>(key),
                    short_number(std::get<4>(key)), std::to_string(std::get<5>(key)), std::to_string(step),
                    show(v, "test_loss/theory_gd"), show(v, "test_loss/exact"), show(v, "test_loss/monte_carlo"),
                    show(o, "test_loss"), show(v, "kl_data_model_per_dim/theory_gd"), show(v, "kl_data_model_per_dim/exact"),
                    show(v, "kl_data_model_per_dim/monte_carlo"), show(o, "kl_data_model_per_dim"),
                    show(v, "memorized_fraction/monte_carlo"), converged_text(v)});
  }
  page.heading("Trained models next to the theory");
  page.paragraph("Final step of each cell. test loss: GD theory at that step, exact (linear weights in closed form), "
                 "Monte Carlo on held-out data, and the converged optimum. KL(data||model)/d likewise; the Monte Carlo "
                 "KL is fitted to the generated samples (finite-M bias in results.csv). Converged: the held-out loss "
                 "(exact for the linear model, Monte Carlo for the U-Net) fell by less than 1% (plus two standard "
                 "errors) over the last decade of steps, or early stopping ended the run; figures that contain a "
                 "model that had not converged say so in red under their title.");
  page.table({"dataset", "N", "model", "objective", "c", "seed", "step", "test GD theory", "test exact", "test MC",
              "test optimum", "KL/d GD theory", "KL/d exact", "KL/d samples", "KL/d optimum", "memorised",
              "converged (held-out drop over the last decade)"},
             rows);
}

// Orders cell names with their numbers compared as numbers (N16 before N256 before N1024).
bool natural_less(const std::string& a, const std::string& b) {
  std::size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (std::isdigit(static_cast<unsigned char>(a[i])) && std::isdigit(static_cast<unsigned char>(b[j]))) {
      std::size_t i_end = i, j_end = j;
      while (i_end < a.size() && std::isdigit(static_cast<unsigned char>(a[i_end]))) ++i_end;
      while (j_end < b.size() && std::isdigit(static_cast<unsigned char>(b[j_end]))) ++j_end;
      const std::string x = a.substr(i, i_end - i), y = b.substr(j, j_end - j);
      if (x.size() != y.size()) return x.size() < y.size();  // no leading zeros in cell names
      if (x != y) return x < y;
      i = i_end;
      j = j_end;
    } else {
      if (a[i] != b[j]) return a[i] < b[j];
      ++i;
      ++j;
    }
  }
  return a.size() - i < b.size() - j;
}

// The cells (folders of run_dir/samples) that hold `file`, in natural order.
std::vector<std::string> cells_with(const std::filesystem::path& run_dir, const std::string& file) {
  std::error_code ec;
  const std::filesystem::path samples = run_dir / "samples";
  std::vector<std::string> cells;
  if (file.empty() || !std::filesystem::is_directory(samples, ec)) return cells;
  for (const auto& entry : std::filesystem::directory_iterator(samples, ec)) {
    if (std::filesystem::exists(entry.path() / file, ec)) cells.push_back(entry.path().filename().string());
  }
  std::sort(cells.begin(), cells.end(), natural_less);
  return cells;
}

void add_sample_grids(HtmlPage& page, const std::filesystem::path& run_dir, const std::string& file,
                      const std::string& what) {
  for (const std::string& cell : cells_with(run_dir, file)) page.image(run_dir / "samples" / cell / file, cell + ": " + what);
}

}  // namespace

void write_run_report(const ResultsTable& table, const ReportSources& sources, const std::vector<ReportSection>& sections,
                      const std::filesystem::path& out) {
  const std::string name = sources.manifest.contains("config_file") ? sources.manifest["config_file"].get<std::string>() : "";
  HtmlPage page("lindiff report: " + name);
  page.paragraph("lindiff " + sources.manifest.value("lindiff_version", std::string("?")) + ", commit " +
                 sources.manifest.value("git_commit", std::string("?")) + ". Every figure is drawn from results.csv "
                 "(lindiff report RUN_DIR redraws it).");
  const auto figures = find_figures(sources.figure_dirs);
  std::set<std::string> shown;
  for (const ReportSection& section : sections) {
    std::vector<std::pair<std::string, std::filesystem::path>> here;
    for (const auto& [stem, path] : figures) {
      if (std::any_of(section.prefixes.begin(), section.prefixes.end(), [&](const std::string& p) { return starts_with(stem, p); }) &&
          shown.insert(stem).second) {
        here.emplace_back(stem, path);
      }
    }
    // A section without figures shows only where it has sample grids (e.g. no one-step sweep in this run).
    if (here.empty() && cells_with(sources.run_dir, section.sample_grid).empty()) continue;
    page.heading(section.title);
    page.paragraph(section.text);
    for (const auto& [stem, path] : here) page.image(path, stem);
    if (!section.sample_grid.empty()) {
      add_sample_grids(page, sources.run_dir, section.sample_grid, section.sample_grid_caption);
    }
  }
  add_summary_table(page, table);
  page.heading("Samples");
  add_sample_grids(page, sources.run_dir, "grid.png", "samples of the final model");
  page.heading("Resolved config");
  page.preformatted(sources.config_yaml);
  page.heading("Manifest");
  page.preformatted(sources.manifest.dump(2));
  page.write(out);
}

}  // namespace lindiff
