#include "src/figures/training_figures.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <tuple>

#include "src/figures/plot.h"
#include "src/figures/table_query.h"

namespace lindiff {

namespace {

// A trained cell, as its rows name it.
using CellKey = std::tuple<std::string, std::string, std::int64_t, double, std::uint64_t>;  // model, objective, N, c, seed

CellKey key_of(const ResultRow& r) {
  return {r.model, r.objective, r.n.value_or(0), r.c.value_or(0), r.seed.value_or(0)};
}

bool trained(const ResultRow& r) { return r.model == "linear" || r.model == "unet"; }

// The step each cell's final model was taken at (its `final_step` row).
std::map<CellKey, std::int64_t> final_steps(const ResultsTable& table, const std::string& label) {
  std::map<CellKey, std::int64_t> steps;
  for (const ResultRow& r : table.rows()) {
    if (r.dataset == label && r.metric == "final_step" && r.source == "training") steps[key_of(r)] = std::llround(r.value);
  }
  return steps;
}

// Mean over seeds of the final-model rows matching `filter`, versus x.
std::vector<std::pair<double, double>> final_points(const ResultsTable& table, const RowFilter& filter,
                                                    const std::map<CellKey, std::int64_t>& finals,
                                                    const std::function<double(const ResultRow&)>& x_of) {
  std::map<double, std::pair<double, int>> sums;
  for (const ResultRow& r : table.rows()) {
    if (!filter.matches(r) || !trained(r) || !r.step) continue;
    const auto it = finals.find(key_of(r));
    if (it == finals.end() || it->second != *r.step) continue;
    auto& [sum, count] = sums[x_of(r)];
    sum += r.value;
    ++count;
  }
  std::vector<std::pair<double, double>> points;
  for (const auto& [x, s] : sums) points.emplace_back(x, s.first / s.second);
  return points;
}

// "NOT CONVERGED: linear N = 16, 64; U-Net N = 1024" for the cells of (objective, c) (and of N
// when given) whose `converged` row is 0; "" when every such cell converged.
std::string unconverged_warning(const ResultsTable& table, const std::string& label, const std::string& objective,
                                double c, std::optional<std::int64_t> n = std::nullopt) {
  std::map<std::string, std::set<std::int64_t>> sizes;  // model -> N of its unconverged cells
  for (const ResultRow& r : table.rows()) {
    if (r.dataset == label && r.metric == "converged" && r.source == "training" && r.value == 0 &&
        r.objective == objective && r.c == c && (!n || r.n == n)) {
      sizes[r.model == "unet" ? "U-Net" : r.model].insert(r.n.value_or(0));
    }
  }
  std::string text;
  for (const auto& [model, values] : sizes) {
    text += (text.empty() ? "NOT CONVERGED: " : "; ") + model + " N =";
    for (std::int64_t value : values) text += (text.back() == '=' ? " " : ", ") + std::to_string(value);
  }
  return text;
}

// The file-name part of a figure of one trained (objective, c): "<objective>_c<c>_<label>".
std::string slice_name(const std::string& objective, double c, const std::string& label) {
  return objective + "_c" + short_number(c) + "_" + label;
}

// The gradient-descent theory at each cell's final step (a line) and the trained linear model
// evaluated exactly there (points), for `metric` versus x.
void add_final_linear_series(Plot& plot, const ResultsTable& table, const std::string& label, const std::string& metric,
                             const std::string& objective, double c, const std::string& t,
                             const std::map<CellKey, std::int64_t>& finals,
                             const std::function<double(const ResultRow&)>& x_of) {
  RowFilter gd{label, metric, "theory_gd", objective, c, t, false, std::nullopt, std::string("linear")};
  plot.series.push_back(series_of("GD theory at the final step", final_points(table, gd, finals, x_of), "lines dt 4 lw 2 lc rgb 'dark-green'"));
  RowFilter exact = gd;
  exact.source = "exact";
  plot.series.push_back(series_of("trained linear (exact)", final_points(table, exact, finals, x_of), "points pt 7 ps 1.3"));
}

void draw_loss_vs_n(const ResultsTable& table, const std::string& label, const std::string& objective, double c,
                    const std::map<CellKey, std::int64_t>& finals, const RunFolder& folder) {
  Plot plot{"Test loss versus N (" + objective + " prediction, c = " + short_number(c) + "): " + label,
            "training samples N", "test loss (mean over t, per dimension)", true, true, {}};
  RowFilter theory{label, "test_loss", "theory", objective, c, std::string("all"), true, std::nullopt, std::string("linear")};
  plot.series.push_back(series_of("theory (optimum)", select_xy(table, theory, n_of), "lines lw 2 lc rgb 'black'"));
  RowFilter average = theory;
  average.source = "theory_avg";
  const auto average_points = select_xy(table, average, n_of);
  if (!average_points.empty()) plot.series.push_back(series_of("theory (average over training sets)", average_points, "lines dt 2 lw 2 lc rgb 'gray40'"));
  add_final_linear_series(plot, table, label, "test_loss", objective, c, "all", finals, n_of);
  for (const std::string model : {"linear", "unet"}) {
    RowFilter mc{label, "test_loss", "monte_carlo", objective, c, std::string("all"), false, std::nullopt, model};
    RowFilter mc_train = mc;
    mc_train.metric = "train_loss";
    const auto points = final_points(table, mc, finals, n_of);
    if (points.empty()) continue;
    const std::string name = model == "unet" ? "U-Net" : "trained linear";
    plot.series.push_back(series_of(name + " (Monte Carlo, held out)", points, "linespoints pt 5 ps 0.9 lw 1"));
    plot.series.push_back(series_of(name + " (Monte Carlo, training set)", final_points(table, mc_train, finals, n_of),
                                    "linespoints pt 4 ps 0.9 lw 1 dt 3"));
  }
  plot.key = "outside right top";
  plot.warning = unconverged_warning(table, label, objective, c);
  render_plot(plot, folder.stage("figures/loss_vs_n_" + slice_name(objective, c, label)));
}

// The excess held-out loss over the Bayes-optimal denoiser versus N (exact populations only).
void draw_excess_vs_n(const ResultsTable& table, const std::string& label, const std::string& objective, double c,
                      const std::map<CellKey, std::int64_t>& finals, const RunFolder& folder) {
  const RowFilter bayes{label, "bayes_test_loss", "theory", objective, std::nullopt, std::string("all"), true, std::nullopt, std::nullopt};
  const auto bayes_points = select_xy(table, bayes, n_of);
  if (bayes_points.empty()) return;
  const double bayes_loss = bayes_points.front().second;
  Plot plot{"Excess held-out loss over the Bayes-optimal denoiser versus N (" + objective + ", c = " + short_number(c) +
                "): " + label,
            "training samples N", "test loss - Bayes-optimal loss (mean over t, per dimension)", true, true, {}};
  RowFilter theory{label, "test_loss", "theory", objective, c, std::string("all"), true, std::nullopt, std::string("linear")};
  std::vector<std::pair<double, double>> optimum;
  for (const auto& [n, loss] : select_xy(table, theory, n_of)) optimum.emplace_back(n, loss - bayes_loss);
  plot.series.push_back(series_of("linear optimum on N samples (theory)", optimum, "lines lw 2 lc rgb 'black'"));
  add_final_linear_series(plot, table, label, "excess_test_loss", objective, c, "all", finals, n_of);
  for (const std::string model : {"linear", "unet"}) {
    RowFilter mc{label, "excess_test_loss", "monte_carlo", objective, c, std::string("all"), false, std::nullopt, model};
    const auto points = final_points(table, mc, finals, n_of);
    if (!points.empty()) plot.series.push_back(series_of((model == "unet" ? "U-Net" : "trained linear") + std::string(" (Monte Carlo)"), points, "linespoints pt 5 ps 0.9 lw 1"));
  }
  plot.key = "outside right top";
  plot.warning = unconverged_warning(table, label, objective, c);
  render_plot(plot, folder.stage("figures/excess_vs_n_" + slice_name(objective, c, label)));
}

void draw_kl_vs_n(const ResultsTable& table, const std::string& label, std::int64_t d, const std::string& objective,
                  double c, const std::map<CellKey, std::int64_t>& finals, const RunFolder& folder) {
  const std::string metric = "kl_data_model_per_dim";
  Plot plot{"KL(data || model) per dimension versus d/N (" + objective + ", c = " + short_number(c) + "): " + label,
            "d / N", "KL(data || model) / d", true, true, {}};
  const auto d_over_n = [d](const ResultRow& r) { return static_cast<double>(d) / n_of(r); };
  RowFilter theory{label, metric, "theory", objective, c, std::string(""), true, std::nullopt, std::string("linear")};
  plot.series.push_back(series_of("theory (optimum)", select_xy(table, theory, d_over_n), "lines lw 2 lc rgb 'black'"));
  RowFilter average{label, metric, "theory_avg", std::string(""), c, std::string(""), true, std::nullopt, std::string("linear")};
  const auto average_points = select_xy(table, average, d_over_n);
  if (!average_points.empty()) plot.series.push_back(series_of("theory (average over training sets)", average_points, "lines dt 2 lw 2 lc rgb 'gray40'"));
  add_final_linear_series(plot, table, label, metric, objective, c, "", finals, d_over_n);
  for (const std::string model : {"linear", "unet"}) {
    RowFilter sampled{label, metric, "monte_carlo", objective, c, std::string(""), false, std::nullopt, model};
    const auto points = final_points(table, sampled, finals, d_over_n);
    if (!points.empty()) plot.series.push_back(series_of((model == "unet" ? "U-Net" : "trained linear") + std::string(" (fitted to M samples)"), points, "linespoints pt 5 ps 0.9 lw 1"));
  }
  RowFilter floor{label, "kl_data_model_finite_m_per_dim", "theory", objective, c, std::string(""), false, std::nullopt, std::nullopt};
  const auto floor_points = final_points(table, floor, finals, d_over_n);
  if (!floor_points.empty()) plot.series.push_back(series_of("perfect sampler, M samples (finite-M floor)", floor_points, "lines dt 2 lw 2 lc rgb 'dark-violet'"));
  add_quarter_line(plot, "red");
  plot.key = "outside right top";
  plot.warning = unconverged_warning(table, label, objective, c);
  render_plot(plot, folder.stage("figures/kl_vs_n_" + slice_name(objective, c, label)));
}

void draw_training_curves(const ResultsTable& table, const std::string& label, const std::string& objective, double c,
                          const std::string& metric, const RunFolder& folder) {
  Plot plot{metric + " versus training steps (" + objective + ", c = " + short_number(c) + "): " + label,
            "optimizer steps", metric, true, true, {}};
  RowFilter any{label, metric, "exact", objective, c, std::nullopt, false, std::nullopt, std::nullopt};
  std::set<std::int64_t> sizes;
  for (const char* source : {"exact", "monte_carlo"}) {
    any.source = source;
    for (std::int64_t n : distinct_n(table, any)) sizes.insert(n);
  }
  int colour = 0;  // one colour per N across its theory, linear and U-Net curves
  for (std::int64_t n : sizes) {
    ++colour;
    struct Curve { const char* source; const char* model; const char* name; const char* style; };
    for (const Curve& curve : {Curve{"theory_gd", "linear", "GD theory", "lines lw 2"},
                               Curve{"exact", "linear", "linear (exact)", "points pt 7 ps 0.9"},
                               Curve{"monte_carlo", "unet", "U-Net (MC)", "linespoints pt 5 ps 0.8 dt 2"}}) {
      RowFilter f{label, metric, curve.source, objective, c, std::nullopt, false, n, std::string(curve.model)};
      if (metric == "test_loss" || metric == "train_loss") f.t = "all";
      std::vector<std::pair<double, double>> points;
      for (const ResultRow& r : table.rows()) {
        if (f.matches(r) && r.step && *r.step > 0) points.emplace_back(static_cast<double>(*r.step), r.value);
      }
      std::sort(points.begin(), points.end());
      if (!points.empty()) {
        plot.series.push_back(series_of("N = " + std::to_string(n) + ", " + curve.name, points,
                                        std::string(curve.style) + " lc " + std::to_string(colour)));
      }
    }
  }
  if (plot.series.empty()) return;
  plot.key = "outside right top";
  plot.warning = unconverged_warning(table, label, objective, c);
  render_plot(plot, folder.stage("figures/steps_" + metric + "_" + slice_name(objective, c, label)));
}

void draw_memorisation(const ResultsTable& table, const std::string& label, std::int64_t d, const std::string& objective,
                       double c, const std::map<CellKey, std::int64_t>& finals, const RunFolder& folder) {
  Plot plot{"Near-copies of training images (d1/d2 < ratio) versus N (" + objective + "): " + label + ", d = " +
                std::to_string(d),
            "training samples N", "fraction of samples", true, false, {}};
  for (const std::string model : {"linear", "unet"}) {
    const std::string name = model == "unet" ? "U-Net" : "linear";
    const std::string colour = model == "unet" ? " lc 2" : " lc 1";
    for (const auto& [metric, suffix, style] :
         {std::tuple<std::string, std::string, std::string>{"memorized_fraction", "", "linespoints pt 7 ps 1 lw 2"},
          {"memorized_fraction_lower", " (95% lower)", "lines dt 3 lw 1"},
          {"memorized_fraction_upper", " (95% upper)", "lines dt 3 lw 1"}}) {
      RowFilter f{label, metric, "monte_carlo", objective, c, std::string(""), false, std::nullopt, model};
      const auto points = final_points(table, f, finals, n_of);
      if (!points.empty()) plot.series.push_back(series_of(name + suffix, points, style + colour));
    }
  }
  if (plot.series.empty()) return;
  plot.y_max = 1.05;
  plot.key = "outside right top";
  plot.warning = unconverged_warning(table, label, objective, c);
  render_plot(plot, folder.stage("figures/memorisation_" + slice_name(objective, c, label)));
}

void draw_mode_variances(const ResultsTable& table, const std::string& label, const std::string& objective, double c,
                         const std::map<CellKey, std::int64_t>& finals, const RunFolder& folder) {
  for (const auto& [n, by_rank] : eigenvalues_by_rank(table, label)) {
    Plot plot{"Variance of samples along eigenvectors of Sigma0 (N = " + std::to_string(n) + ", " + objective +
                  ", c = " + short_number(c) + "): " + label,
              "eigenvalue lambda of Sigma0", "variance along the eigenvector", true, true, {}};
    struct Source { const char* source; const char* model; const char* name; const char* style; bool final; };
    for (const Source& s : {Source{"theory", "linear", "theory (optimum)", "lines lw 2 lc rgb 'black'", false},
                            Source{"exact", "linear", "trained linear (exact)", "points pt 7 ps 1.2", true},
                            Source{"monte_carlo", "linear", "trained linear (samples)", "points pt 6 ps 1.2", true},
                            Source{"monte_carlo", "unet", "U-Net (samples)", "points pt 5 ps 1.2", true}}) {
      std::vector<std::pair<double, double>> points;
      for (const ResultRow& r : table.rows()) {
        if (r.dataset != label || r.n != n || r.objective != objective || r.c != c || r.model != s.model ||
            r.source != s.source || r.metric.rfind("mode_variance_", 0) != 0) continue;
        if (s.final) {
          const auto it = finals.find(key_of(r));
          if (it == finals.end() || r.step != it->second) continue;
        } else if (r.step) {
          continue;
        }
        const auto lambda = by_rank.find(rank_suffix(r.metric, "mode_variance_"));
        if (lambda != by_rank.end() && lambda->second > 0) points.emplace_back(lambda->second, r.value);
      }
      std::sort(points.begin(), points.end());
      if (!points.empty()) plot.series.push_back(series_of(s.name, points, s.style));
    }
    if (plot.series.size() < 2) continue;  // nothing trained at this N
    plot.key = "outside right top";
    plot.warning = unconverged_warning(table, label, objective, c, n);
    render_plot(plot, folder.stage("figures/mode_variance_N" + std::to_string(n) + "_" + slice_name(objective, c, label)));
  }
}

}  // namespace

void draw_training_figures(const ResultsTable& table, const std::string& label, std::int64_t d, const RunFolder& folder) {
  const std::map<CellKey, std::int64_t> finals = final_steps(table, label);
  if (finals.empty()) return;
  std::set<std::pair<std::string, double>> slices;  // every trained (objective, c)
  for (const auto& [cell, step] : finals) slices.emplace(std::get<1>(cell), std::get<3>(cell));
  for (const auto& [objective, c] : slices) {
    draw_loss_vs_n(table, label, objective, c, finals, folder);
    draw_kl_vs_n(table, label, d, objective, c, finals, folder);
    draw_training_curves(table, label, objective, c, "test_loss", folder);
    draw_training_curves(table, label, objective, c, "train_loss", folder);
    draw_excess_vs_n(table, label, objective, c, finals, folder);
    draw_training_curves(table, label, objective, c, "excess_test_loss", folder);
    draw_training_curves(table, label, objective, c, "kl_data_model_per_dim", folder);
    draw_memorisation(table, label, d, objective, c, finals, folder);
    draw_mode_variances(table, label, objective, c, finals, folder);
  }
}

}  // namespace lindiff
