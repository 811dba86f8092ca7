#include "src/figures/training_figures.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <tuple>

#include "src/figures/plot.h"
#include "src/figures/table_query.h"
#include "src/config/vocabulary.h"
#include "src/report/metrics.h"

namespace lindiff {

namespace {

// A trained cell, as its rows name it.
using CellKey = std::tuple<std::string, std::string, std::int64_t, double, std::uint64_t>;  // model, objective, N, c, seed

CellKey key_of(const ResultRow& r) {
  return {r.model, r.objective, r.n.value_or(0), r.c.value_or(0), r.seed.value_or(0)};
}

// What every training figure of one dataset reads: the step each cell's final model was taken
// at (its `final_step` row) and the trained models in the order of their styles.
struct TrainedCells {
  std::map<CellKey, std::int64_t> finals;
  std::vector<ModelStyle> models;
};

TrainedCells trained_cells(const FigureContext& context) {
  TrainedCells cells;
  std::set<std::string> names;
  for (const ResultRow& r : context.table.rows()) {
    if (r.dataset == context.label && r.metric == metric::kFinalStep && r.source == source::kTraining) {
      cells.finals[key_of(r)] = std::llround(r.value);
      names.insert(r.model);
    }
  }
  for (const ModelStyle& style : context.styles) {
    if (names.erase(style.name)) cells.models.push_back(style);
  }
  for (const std::string& name : names) cells.models.push_back(style_of(context.styles, name));  // unknown kinds too
  return cells;
}

// Every trained (objective, c) of the dataset.
std::set<std::pair<std::string, double>> trained_slices(const TrainedCells& cells) {
  std::set<std::pair<std::string, double>> slices;
  for (const auto& [cell, step] : cells.finals) slices.emplace(std::get<1>(cell), std::get<3>(cell));
  return slices;
}

// Mean over seeds of the final-model rows matching `filter`, versus x.
std::vector<std::pair<double, double>> final_points(const ResultsTable& table, const RowFilter& filter,
                                                    const std::map<CellKey, std::int64_t>& finals,
                                                    const std::function<double(const ResultRow&)>& x_of) {
  std::map<double, std::pair<double, int>> sums;
  for (const ResultRow& r : table.rows()) {
    if (!filter.matches(r) || !r.step) continue;
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
std::string unconverged_warning(const FigureContext& context, const std::string& objective, double c,
                                std::optional<std::int64_t> n = std::nullopt) {
  std::map<std::string, std::set<std::int64_t>> sizes;  // model -> N of its unconverged cells
  for (const ResultRow& r : context.table.rows()) {
    if (r.dataset == context.label && r.metric == metric::kConverged && r.source == source::kTraining && r.value == 0 &&
        r.objective == objective && r.c == c && (!n || r.n == n)) {
      sizes[style_of(context.styles, r.model).display_name].insert(r.n.value_or(0));
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

// A filter for the final-step rows of `model` in the slice.
RowFilter model_rows(const FigureContext& context, const char* metric_name, const char* source_name,
                     const std::string& objective, double c, const std::string& t, const std::string& model) {
  return RowFilter{context.label, metric_name, source_name, objective, c, t, false, std::nullopt, model};
}

// Adds, per trained model, its exactly evaluated points and the gradient-descent theory at its
// final step where its rows hold them (required for a model whose style says it is evaluated
// exactly), and its Monte Carlo points (required), for `metric` versus x.
void add_model_series(Plot& plot, const FigureContext& context, const TrainedCells& cells, const char* metric_name,
                      const std::string& objective, double c, const std::string& t, const std::string& mc_suffix,
                      const std::function<double(const ResultRow&)>& x_of) {
  for (const ModelStyle& model : cells.models) {
    const std::string colour = " lc " + std::to_string(model.colour);
    if (model.exact) {
      const RowFilter gd = model_rows(context, metric_name, source::kTheoryGd, objective, c, t, model.name);
      add_optional_series(plot, series_of("GD theory at the final step", final_points(context.table, gd, cells.finals, x_of),
                                          "lines dt 4 lw 2 lc rgb 'dark-green'"));
      const RowFilter exact = model_rows(context, metric_name, source::kExact, objective, c, t, model.name);
      add_required_series(plot, context,
                          series_of("trained " + model.display_name + " (exact)",
                                    final_points(context.table, exact, cells.finals, x_of), "points pt 7 ps 1.3" + colour),
                          exact);
    }
    const RowFilter mc = model_rows(context, metric_name, source::kMonteCarlo, objective, c, t, model.name);
    add_required_series(plot, context,
                        series_of(model.display_name + " (" + mc_suffix + ")", final_points(context.table, mc, cells.finals, x_of),
                                  "linespoints pt 5 ps 0.9 lw 1" + colour),
                        mc);
  }
}

void draw_loss_vs_n(const FigureContext& context) {
  const TrainedCells cells = trained_cells(context);
  for (const auto& [objective, c] : trained_slices(cells)) {
    Plot plot{"Test loss versus N (" + objective + " prediction, c = " + short_number(c) + "): " + context.label,
              "training samples N", "test loss (mean over t, per dimension)", true, true, {}};
    const RowFilter theory{context.label, metric::kTestLoss, source::kTheory, objective, c, std::string("all"), true,
                           std::nullopt, std::string(kLinearModelName)};
    add_required_series(plot, context, series_of("theory (optimum)", select_xy(context.table, theory, n_of), "lines lw 2 lc rgb 'black'"),
                        theory);
    RowFilter average = theory;
    average.source = source::kTheoryAvg;
    add_optional_series(plot, series_of("theory (average over training sets)", select_xy(context.table, average, n_of),
                                        "lines dt 2 lw 2 lc rgb 'gray40'"));
    add_model_series(plot, context, cells, metric::kTestLoss, objective, c, "all", "Monte Carlo, held out", n_of);
    for (const ModelStyle& model : cells.models) {
      const RowFilter train = model_rows(context, metric::kTrainLoss, source::kMonteCarlo, objective, c, "all", model.name);
      add_required_series(plot, context,
                          series_of(model.display_name + " (Monte Carlo, training set)",
                                    final_points(context.table, train, cells.finals, n_of),
                                    "linespoints pt 4 ps 0.9 lw 1 dt 3 lc " + std::to_string(model.colour)),
                          train);
    }
    plot.key = "outside right top";
    plot.warning = unconverged_warning(context, objective, c);
    render_figure(plot, context, "loss_vs_n_" + slice_name(objective, c, context.label));
  }
}

// The excess held-out loss over the Bayes-optimal denoiser versus N (exact populations only).
void draw_excess_vs_n(const FigureContext& context) {
  const TrainedCells cells = trained_cells(context);
  for (const auto& [objective, c] : trained_slices(cells)) {
    const RowFilter bayes{context.label, metric::kBayesTestLoss, source::kTheory, objective, std::nullopt, std::string("all"),
                          true, std::nullopt, std::nullopt};
    const auto bayes_points = select_xy(context.table, bayes, n_of);
    if (bayes_points.empty()) return;  // the population is not exact: no Bayes-optimal loss
    const double bayes_loss = bayes_points.front().second;
    Plot plot{"Excess held-out loss over the Bayes-optimal denoiser versus N (" + objective + ", c = " + short_number(c) +
                  "): " + context.label,
              "training samples N", "test loss - Bayes-optimal loss (mean over t, per dimension)", true, true, {}};
    const RowFilter theory{context.label, metric::kTestLoss, source::kTheory, objective, c, std::string("all"), true,
                           std::nullopt, std::string(kLinearModelName)};
    std::vector<std::pair<double, double>> optimum;
    for (const auto& [n, loss] : select_xy(context.table, theory, n_of)) optimum.emplace_back(n, loss - bayes_loss);
    add_required_series(plot, context, series_of("linear optimum on N samples (theory)", optimum, "lines lw 2 lc rgb 'black'"),
                        theory);
    add_model_series(plot, context, cells, metric::kExcessTestLoss, objective, c, "all", "Monte Carlo", n_of);
    plot.key = "outside right top";
    plot.warning = unconverged_warning(context, objective, c);
    render_figure(plot, context, "excess_vs_n_" + slice_name(objective, c, context.label));
  }
}

void draw_kl_vs_n(const FigureContext& context) {
  const TrainedCells cells = trained_cells(context);
  const auto d_over_n = [d = context.d](const ResultRow& r) { return static_cast<double>(d) / n_of(r); };
  for (const auto& [objective, c] : trained_slices(cells)) {
    Plot plot{"KL(data || model) per dimension versus d/N (" + objective + ", c = " + short_number(c) + "): " + context.label,
              "d / N", "KL(data || model) / d", true, true, {}};
    const RowFilter theory{context.label, metric::kKlDataModelPerDim, source::kTheory, objective, c, std::string(""), true,
                           std::nullopt, std::string(kLinearModelName)};
    add_required_series(plot, context,
                        series_of("theory (optimum)", select_xy(context.table, theory, d_over_n), "lines lw 2 lc rgb 'black'"), theory);
    const RowFilter average{context.label, metric::kKlDataModelPerDim, source::kTheoryAvg, std::string(""), c,
                            std::string(""), true, std::nullopt, std::string(kLinearModelName)};
    add_optional_series(plot, series_of("theory (average over training sets)", select_xy(context.table, average, d_over_n),
                                        "lines dt 2 lw 2 lc rgb 'gray40'"));
    add_model_series(plot, context, cells, metric::kKlDataModelPerDim, objective, c, "", "fitted to M samples", d_over_n);
    const RowFilter floor{context.label, metric::kKlDataModelFiniteMPerDim, source::kTheory, objective, c, std::string(""),
                          false, std::nullopt, std::nullopt};
    add_optional_series(plot, series_of("perfect sampler, M samples (finite-M floor)",
                                        final_points(context.table, floor, cells.finals, d_over_n),
                                        "lines dt 2 lw 2 lc rgb 'dark-violet'"));
    add_quarter_line(plot, "red");
    plot.key = "outside right top";
    plot.warning = unconverged_warning(context, objective, c);
    render_figure(plot, context, "kl_vs_n_" + slice_name(objective, c, context.label));
  }
}

// One figure of `metric_name` versus training steps per (objective, c): every N in one colour
// across its GD theory, the exactly evaluated models and the Monte Carlo ones.
void draw_training_curves(const FigureContext& context, const char* metric_name) {
  const TrainedCells cells = trained_cells(context);
  const bool per_t = std::string(metric_name) != metric::kKlDataModelPerDim;
  for (const auto& [objective, c] : trained_slices(cells)) {
    Plot plot{std::string(metric_name) + " versus training steps (" + objective + ", c = " + short_number(c) + "): " + context.label,
              "optimizer steps", metric_name, true, true, {}};
    std::set<std::int64_t> sizes;
    for (const auto& [cell, step] : cells.finals) {
      if (std::get<1>(cell) == objective && std::get<3>(cell) == c) sizes.insert(std::get<2>(cell));
    }
    struct Curve {
      const char* source;
      std::string name;
      std::string style;
      const ModelStyle* model;
      const char* metric;   // metric_name, or the weights' own loss beside an average
      bool reported_on_it;  // the reported checkpoint is marked on this curve
    };
    const bool test_loss = std::string(metric_name) == metric::kTestLoss;
    int colour = 0;  // one colour per N across its curves
    std::vector<std::pair<double, double>> reported;  // each cell's reported checkpoint on its measured curve
    for (std::int64_t n : sizes) {
      ++colour;
      std::vector<Curve> curves;
      for (const ModelStyle& model : cells.models) {
        if (model.exact) {
          curves.push_back({source::kTheoryGd, "GD theory", "lines lw 2", &model, metric_name, false});
          curves.push_back({source::kExact, model.display_name + " (exact)", "points pt 7 ps 0.9", &model, metric_name, true});
        } else {
          curves.push_back({source::kMonteCarlo, model.display_name + " (MC)", "linespoints pt 5 ps 0.8 dt 2", &model, metric_name, true});
          // Where the cell averages its weights (docs/convergence.md#weight-averaging), the weights' own curve.
          if (test_loss) {
            curves.push_back({source::kMonteCarlo, model.display_name + " raw weights (MC)", "lines dt 3 lw 1", &model,
                              metric::kRawTestLoss, false});
          }
        }
      }
      for (const Curve& curve : curves) {
        RowFilter f{context.label, curve.metric, curve.source, objective, c, std::nullopt, false, n, curve.model->name};
        if (per_t) f.t = "all";
        std::vector<std::pair<double, double>> points;
        for (const ResultRow& r : context.table.rows()) {
          if (!f.matches(r) || !r.step || *r.step <= 0) continue;
          points.emplace_back(static_cast<double>(*r.step), r.value);
          const auto final = cells.finals.find(key_of(r));
          if (curve.reported_on_it && final != cells.finals.end() && final->second == *r.step) reported.push_back(points.back());
        }
        std::sort(points.begin(), points.end());
        add_optional_series(plot, series_of("N = " + std::to_string(n) + ", " + curve.name, points,
                                            curve.style + " lc " + std::to_string(colour)));
      }
    }
    if (plot.series.empty()) continue;  // e.g. no excess rows without an exact population
    std::sort(reported.begin(), reported.end());
    add_optional_series(plot, series_of("reported model (best held-out checkpoint)", reported, "points pt 6 ps 2.2 lc rgb 'black'"));
    plot.key = "outside right top";
    plot.warning = unconverged_warning(context, objective, c);
    render_figure(plot, context, "steps_" + std::string(metric_name) + "_" + slice_name(objective, c, context.label));
  }
}

void draw_memorisation(const FigureContext& context) {
  const TrainedCells cells = trained_cells(context);
  for (const auto& [objective, c] : trained_slices(cells)) {
    Plot plot{"Near-copies of training images (d1/d2 < ratio) versus N (" + objective + "): " + context.label + ", d = " +
                  std::to_string(context.d),
              "training samples N", "fraction of samples", true, false, {}};
    for (const ModelStyle& model : cells.models) {
      const std::string colour = " lc " + std::to_string(model.colour);
      for (const auto& [metric_name, suffix, style] :
           {std::tuple<const char*, std::string, std::string>{metric::kMemorizedFraction, "", "linespoints pt 7 ps 1 lw 2"},
            {metric::kMemorizedFractionLower, " (95% lower)", "lines dt 3 lw 1"},
            {metric::kMemorizedFractionUpper, " (95% upper)", "lines dt 3 lw 1"}}) {
        const RowFilter f = model_rows(context, metric_name, source::kMonteCarlo, objective, c, "", model.name);
        add_optional_series(plot, series_of(model.display_name + suffix, final_points(context.table, f, cells.finals, n_of),
                                            style + colour));
      }
    }
    if (plot.series.empty()) continue;  // only N = 1 cells: nothing to compare with
    plot.y_max = 1.05;
    plot.key = "outside right top";
    plot.warning = unconverged_warning(context, objective, c);
    render_figure(plot, context, "memorisation_" + slice_name(objective, c, context.label));
  }
}

void draw_mode_variances(const FigureContext& context) {
  const TrainedCells cells = trained_cells(context);
  for (const auto& [objective, c] : trained_slices(cells)) {
    for (const auto& [n, by_rank] : eigenvalues_by_rank(context.table, context.label)) {
      Plot plot{"Variance of samples along eigenvectors of Sigma0 (N = " + std::to_string(n) + ", " + objective +
                    ", c = " + short_number(c) + "): " + context.label,
                "eigenvalue lambda of Sigma0", "variance along the eigenvector", true, true, {}};
      struct Source {
        const char* source;
        std::string model;
        std::string name;
        std::string style;
        bool final;
      };
      std::vector<Source> sources = {{source::kTheory, kLinearModelName, "theory (optimum)", "lines lw 2 lc rgb 'black'", false}};
      for (const ModelStyle& model : cells.models) {
        const std::string colour = " lc " + std::to_string(model.colour);
        if (model.exact) sources.push_back({source::kExact, model.name, model.display_name + " (exact)", "points pt 7 ps 1.2" + colour, true});
        sources.push_back({source::kMonteCarlo, model.name, model.display_name + " (samples)", "points pt 6 ps 1.2" + colour, true});
      }
      for (const Source& s : sources) {
        std::vector<std::pair<double, double>> points;
        for (const ResultRow& r : context.table.rows()) {
          if (r.dataset != context.label || r.n != n || r.objective != objective || r.c != c || r.model != s.model ||
              r.source != s.source || r.metric.rfind(metric::kModeVariancePrefix, 0) != 0) {
            continue;
          }
          if (s.final) {
            const auto it = cells.finals.find(key_of(r));
            if (it == cells.finals.end() || r.step != it->second) continue;
          } else if (r.step) {
            continue;
          }
          const auto lambda = by_rank.find(rank_suffix(r.metric, metric::kModeVariancePrefix));
          if (lambda != by_rank.end() && lambda->second > 0) points.emplace_back(lambda->second, r.value);
        }
        std::sort(points.begin(), points.end());
        add_optional_series(plot, series_of(s.name, points, s.style));
      }
      if (plot.series.size() < 2) continue;  // nothing trained at this N
      plot.key = "outside right top";
      plot.warning = unconverged_warning(context, objective, c, n);
      render_figure(plot, context, "mode_variance_N" + std::to_string(n) + "_" + slice_name(objective, c, context.label));
    }
  }
}

}  // namespace

void draw_loss_figures(const FigureContext& context) { draw_loss_vs_n(context); }
void draw_kl_figures(const FigureContext& context) { draw_kl_vs_n(context); }
void draw_excess_figures(const FigureContext& context) { draw_excess_vs_n(context); }
namespace {

constexpr char kDenoiseSplit[] = "test";  // the figures show held-out inputs; train rows are in the table
constexpr double kDenoiseR2Floor = -0.5;  // r^2 far below 0 (a model worse than the reference's mean) is clipped

// The analytic references of the comparison (rows of denoise_mse without a step), in table order.
std::vector<std::string> denoise_references(const FigureContext& context) {
  std::vector<std::string> names;
  for (const ResultRow& r : context.table.rows()) {
    if (r.dataset == context.label && !r.step && r.metric == metric::denoise_mse(kDenoiseSplit) &&
        std::find(names.begin(), names.end(), r.model) == names.end()) {
      names.push_back(r.model);
    }
  }
  return names;
}

// The distinct timesteps of the comparison, ascending.
std::vector<std::int64_t> denoise_timesteps(const FigureContext& context) {
  std::set<std::int64_t> t;
  for (const ResultRow& r : context.table.rows()) {
    if (r.dataset == context.label && r.metric == metric::denoise_mse(kDenoiseSplit)) t.insert(std::stoll(r.t));
  }
  return {t.begin(), t.end()};
}

// A Plot of agreement r^2 with the floor and key of both denoise figures.
Plot denoise_plot(const std::string& title, const std::string& x_label, bool log_x) {
  Plot plot{title, x_label, "r^2 against the reference (held-out inputs)", log_x, false, {}};
  plot.key = "outside right top";
  plot.y_min = kDenoiseR2Floor;
  return plot;
}

// Draws `draw_n(model, objective, c, n, colour, plot)` for each N of each trained model into one
// figure per model and (objective, c), made by `make_plot(model, objective, c)`; `name` is the
// file-name prefix.
using PlotMaker = std::function<Plot(const ModelStyle&, const std::string&, double)>;
using SizeDrawer = std::function<void(const ModelStyle&, const std::string&, double, std::int64_t, int, Plot&)>;
void draw_per_model(const FigureContext& context, const std::string& name, const PlotMaker& make_plot, const SizeDrawer& draw_n) {
  const TrainedCells cells = trained_cells(context);
  for (const auto& [objective, c] : trained_slices(cells)) {
    for (const ModelStyle& model : cells.models) {
      Plot plot = make_plot(model, objective, c);
      std::set<std::int64_t> sizes;
      for (const auto& [cell, step] : cells.finals) {
        if (std::get<0>(cell) == model.name && std::get<1>(cell) == objective && std::get<3>(cell) == c) sizes.insert(std::get<2>(cell));
      }
      int colour = 0;
      for (std::int64_t n : sizes) draw_n(model, objective, c, n, ++colour, plot);
      if (plot.series.empty()) continue;
      plot.warning = unconverged_warning(context, objective, c);
      render_figure(plot, context, name + model.name + "_" + slice_name(objective, c, context.label));
    }
  }
}

// Draws `draw_one(model, objective, c, reference, n, colour, dash, plot)` into one figure per
// trained model and (objective, c); `name` is the file-name prefix.
void draw_denoise_family(const FigureContext& context, const std::string& name, const std::string& x_label, bool log_x,
                         const std::string& title_detail,
                         const std::function<void(const ModelStyle&, const std::string&, double, const std::string&,
                                                  std::int64_t, int, int, Plot&)>& draw_one) {
  const std::vector<std::string> references = denoise_references(context);
  if (references.empty()) return;
  draw_per_model(
      context, name,
      [&](const ModelStyle& model, const std::string& objective, double c) {
        return denoise_plot(model.display_name + ": agreement with analytic denoisers" + title_detail + " (" + objective +
                                ", c = " + short_number(c) + "): " + context.label,
                            x_label, log_x);
      },
      [&](const ModelStyle& model, const std::string& objective, double c, std::int64_t n, int colour, Plot& plot) {
        for (std::size_t r = 0; r < references.size(); ++r) {
          draw_one(model, objective, c, references[r], n, colour, static_cast<int>(r) + 1, plot);
        }
      });
}

// The reported model's rows of `metric` of one cell versus t, as (t, value) points.
std::vector<std::pair<double, double>> final_points_versus_t(const FigureContext& context, const TrainedCells& cells,
                                                             const std::string& metric, const std::string& source,
                                                             const ModelStyle& model, const std::string& objective,
                                                             double c, std::int64_t n) {
  const RowFilter f{context.label, metric, source, objective, c, std::nullopt, false, n, model.name};
  return final_points(context.table, f, cells.finals, [](const ResultRow& r) { return static_cast<double>(std::stoll(r.t)); });
}

}  // namespace

void draw_denoise_figures(const FigureContext& context) {
  const TrainedCells cells = trained_cells(context);
  draw_denoise_family(context, "denoise_r2_", "timestep t", true, " per noise level",
                      [&](const ModelStyle& model, const std::string& objective, double c, const std::string& reference,
                          std::int64_t n, int colour, int dash, Plot& plot) {
                        const auto points = final_points_versus_t(context, cells, metric::agreement("r2", reference, kDenoiseSplit),
                                                                  source::kMonteCarlo, model, objective, c, n);
                        add_optional_series(plot, series_of("N = " + std::to_string(n) + " vs " + reference, points,
                                                            "linespoints pt 7 ps 0.7 lw 2 dt " + std::to_string(dash) +
                                                                " lc " + std::to_string(colour)));
                      });
}

void draw_denoise_step_figures(const FigureContext& context) {
  const std::vector<std::int64_t> grid = denoise_timesteps(context);
  if (grid.empty()) return;
  const std::string t = std::to_string(grid[grid.size() / 2]);
  const TrainedCells cells = trained_cells(context);
  draw_denoise_family(context, "denoise_steps_", "optimizer steps", true, " along training at t = " + t,
                      [&](const ModelStyle& model, const std::string& objective, double c, const std::string& reference,
                          std::int64_t n, int colour, int dash, Plot& plot) {
                        RowFilter f{context.label, metric::agreement("r2", reference, kDenoiseSplit), source::kMonteCarlo,
                                    objective, c, t, false, n, model.name};
                        std::vector<std::pair<double, double>> points, reported;
                        for (const ResultRow& r : context.table.rows()) {
                          if (!f.matches(r) || !r.step || *r.step <= 0) continue;
                          points.emplace_back(static_cast<double>(*r.step), r.value);
                          const auto final = cells.finals.find(key_of(r));
                          if (final != cells.finals.end() && final->second == *r.step) reported.push_back(points.back());
                        }
                        std::sort(points.begin(), points.end());
                        const std::string colour_style = " lc " + std::to_string(colour);
                        add_optional_series(plot, series_of("N = " + std::to_string(n) + " vs " + reference, points,
                                                            "linespoints pt 7 ps 0.6 lw 2 dt " + std::to_string(dash) + colour_style));
                        add_optional_series(plot, series_of("", reported, "points pt 6 ps 2.2" + colour_style));
                      });
}

void draw_linearisation_figures(const FigureContext& context) {
  const TrainedCells cells = trained_cells(context);
  const auto title = [&](const ModelStyle& model, const std::string& what, const std::string& objective, double c) {
    return model.display_name + ": " + what + " (" + objective + ", c = " + short_number(c) + "): " + context.label;
  };
  draw_per_model(
      context, "linearisation_cosine_",
      [&](const ModelStyle& model, const std::string& objective, double c) {
        Plot plot{title(model, "Jacobian row at the centre pixel against the Wiener filter's row", objective, c),
                  "timestep t", "cosine (mean over held-out inputs)", true, false, {}};
        plot.key = "outside right top";
        return plot;
      },
      [&](const ModelStyle& model, const std::string& objective, double c, std::int64_t n, int colour, Plot& plot) {
        add_optional_series(plot, series_of("N = " + std::to_string(n),
                                            final_points_versus_t(context, cells, metric::kJacobianCosineWiener,
                                                                  source::kMonteCarlo, model, objective, c, n),
                                            "linespoints pt 7 ps 0.7 lw 2 lc " + std::to_string(colour)));
      });
  draw_per_model(
      context, "linearisation_radius_",
      [&](const ModelStyle& model, const std::string& objective, double c) {
        Plot plot{title(model, "radius holding 90% of the row's squared mass", objective, c), "timestep t",
                  "radius (pixels)", true, false, {}};
        plot.key = "outside right top";
        return plot;
      },
      [&](const ModelStyle& model, const std::string& objective, double c, std::int64_t n, int colour, Plot& plot) {
        const std::string lc = " lc " + std::to_string(colour);
        add_optional_series(plot, series_of("N = " + std::to_string(n) + " network",
                                            final_points_versus_t(context, cells, metric::kJacobianRadius90,
                                                                  source::kMonteCarlo, model, objective, c, n),
                                            "linespoints pt 7 ps 0.7 lw 2" + lc));
        add_optional_series(plot, series_of("N = " + std::to_string(n) + " Wiener filter",
                                            final_points_versus_t(context, cells, metric::kWienerRadius90,
                                                                  source::kTheory, model, objective, c, n),
                                            "lines lw 2 dt 2" + lc));
      });
}

namespace {

// The local denoisers calibrated against a network in the dataset's rows (calibrated_r2_<kind>), sorted.
std::vector<std::string> calibrated_kinds(const FigureContext& context) {
  const std::string prefix = metric::calibrated_r2("");
  std::set<std::string> kinds;
  for (const ResultRow& r : context.table.rows()) {
    if (r.dataset == context.label && r.metric.rfind(prefix, 0) == 0) kinds.insert(r.metric.substr(prefix.size()));
  }
  return {kinds.begin(), kinds.end()};
}

// One calibration figure per model and (objective, c): `metric_of(kind)` versus t per kind (dash) and N (colour).
void draw_calibration_family(const FigureContext& context, const std::string& name, const std::string& what,
                             const std::string& y_label, bool log_y, const std::function<std::string(const std::string&)>& metric_of) {
  const std::vector<std::string> kinds = calibrated_kinds(context);
  if (kinds.empty()) return;
  const TrainedCells cells = trained_cells(context);
  draw_per_model(
      context, name,
      [&](const ModelStyle& model, const std::string& objective, double c) {
        Plot plot{model.display_name + ": " + what + " (" + objective + ", c = " + short_number(c) + "): " + context.label,
                  "timestep t", y_label, true, log_y, {}};
        plot.key = "outside right top";
        return plot;
      },
      [&](const ModelStyle& model, const std::string& objective, double c, std::int64_t n, int colour, Plot& plot) {
        for (std::size_t k = 0; k < kinds.size(); ++k) {
          add_optional_series(plot, series_of("N = " + std::to_string(n) + " " + kinds[k],
                                              final_points_versus_t(context, cells, metric_of(kinds[k]), source::kMonteCarlo,
                                                                    model, objective, c, n),
                                              "linespoints pt 7 ps 0.7 lw 2 dt " + std::to_string(k + 1) + " lc " +
                                                  std::to_string(colour)));
        }
      });
}

}  // namespace

void draw_calibration_figures(const FigureContext& context) {
  draw_calibration_family(context, "calibration_patch_size_", "patch size calibrated against the network",
                          "patch size P agreeing best", false,
                          [](const std::string& kind) { return metric::calibrated_setting("patch_size", kind); });
  draw_calibration_family(context, "calibration_threshold_", "Wiener-locality threshold calibrated against the network",
                          "threshold agreeing best", true,
                          [](const std::string& kind) { return metric::calibrated_setting("threshold", kind); });
  draw_calibration_family(context, "calibration_r2_", "agreement of calibrated local denoisers with the network",
                          "r^2 of the network by the denoiser (checking half)", false,
                          [](const std::string& kind) { return metric::calibrated_r2(kind); });
}

void draw_step_figures(const FigureContext& context, const char* metric_name) { draw_training_curves(context, metric_name); }
void draw_memorisation_figures(const FigureContext& context) { draw_memorisation(context); }
void draw_mode_variance_figures(const FigureContext& context) { draw_mode_variances(context); }

}  // namespace lindiff
