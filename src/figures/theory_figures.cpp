#include "src/figures/theory_figures.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "src/figures/figure_context.h"
#include "src/figures/plot.h"
#include "src/figures/table_query.h"
#include "src/report/metrics.h"
#include "src/theory/objective.h"

namespace lindiff {

namespace {

void draw_kl(const FigureContext& context, const std::string& direction) {
  const ResultsTable& table = context.table;
  const std::string& label = context.label;
  const std::int64_t d = context.d;
  const std::string metric_name = "kl_" + direction + "_per_dim";  // kl_data_model_per_dim or kl_model_data_per_dim
  const std::string pretty = direction == "model_data" ? "KL(model || data)" : "KL(data || model)";
  Plot plot{pretty + " per dimension: " + label + " (d = " + std::to_string(d) + ")", "d / N", pretty + " / d", true,
            true, {}};
  auto d_over_n = [d](const ResultRow& row) { return static_cast<double>(d) / n_of(row); };
  RowFilter exact{label, metric_name, source::kTheory, enum_name(Objective::kNoise), std::nullopt, std::nullopt, true, std::nullopt, std::nullopt};
  for (double c : distinct_c(table, exact)) {
    exact.c = c;
    plot.series.push_back(series_of("optimum, c = " + short_number(c), select_xy(table, exact, d_over_n), "linespoints pt 7 ps 0.8 lw 2"));
    RowFilter average{label, metric_name, source::kTheoryAvg, std::string(""), c, std::nullopt, true, std::nullopt, std::nullopt};
    const auto points = select_xy(table, average, d_over_n);
    if (!points.empty()) {
      plot.series.push_back(series_of("average over training sets, c = " + short_number(c), points, "lines dt 2 lw 2"));
    }
  }
  add_quarter_line(plot, "black");
  plot.key = "outside right top";
  render_figure(plot, context, "theory_kl_" + direction + "_" + label);
}

void draw_losses(const FigureContext& context, const std::string& objective) {
  const ResultsTable& table = context.table;
  const std::string& label = context.label;
  Plot plot{"Loss of the optimal linear denoiser (" + objective + " prediction): " + label, "training samples N",
            "loss (mean over t, per dimension)", true, true, {}};
  RowFilter test{label, metric::kTestLoss, source::kTheory, objective, std::nullopt, std::string("all"), true, std::nullopt, std::nullopt};
  for (double c : distinct_c(table, test)) {
    test.c = c;
    RowFilter train = test;
    train.metric = metric::kTrainLoss;
    RowFilter average = test;
    average.source = source::kTheoryAvg;
    plot.series.push_back(series_of("test, c = " + short_number(c), select_xy(table, test, n_of), "linespoints pt 7 ps 0.8 lw 2"));
    plot.series.push_back(series_of("train, c = " + short_number(c), select_xy(table, train, n_of), "linespoints pt 6 ps 0.8 lw 1"));
    const auto points = select_xy(table, average, n_of);
    if (!points.empty()) plot.series.push_back(series_of("test, average, c = " + short_number(c), points, "lines dt 2 lw 2"));
  }
  plot.key = "outside right top";
  render_figure(plot, context, "theory_loss_" + objective + "_" + label);
}

void draw_early_stopping(const FigureContext& context, const std::string& objective) {
  const ResultsTable& table = context.table;
  const std::string& label = context.label;
  RowFilter any{label, metric::kKlDataModelPerDim, source::kTheory, objective, std::nullopt, std::nullopt, false, std::nullopt, std::nullopt};
  const std::vector<double> cs = distinct_c(table, any);
  if (cs.empty()) return;
  any.c = cs.front();
  Plot plot{"Early stopping: gradient descent from zero (" + objective + " prediction, c = " + short_number(cs.front()) +
                "): " + label,
            "gradient-descent steps s", "KL(data || model) / d", true, true, {}};
  for (std::int64_t n : distinct_n(table, any)) {
    RowFilter rows = any;
    rows.n = n;
    std::vector<std::pair<double, double>> points;
    for (const ResultRow& row : table.rows()) {
      if (rows.matches(row) && row.step) points.emplace_back(static_cast<double>(*row.step), row.value);
    }
    std::sort(points.begin(), points.end());
    if (!points.empty()) plot.series.push_back(series_of("N = " + std::to_string(n), points, "linespoints pt 7 ps 0.6 lw 2"));
  }
  if (plot.series.empty()) return;
  // For N <= d the KL diverges as gradient descent converges (unseen directions lose all
  // variance); cap the axis so that the early-stopping minimum stays visible.
  for (const PlotSeries& s : plot.series) {
    for (double y : s.y) {
      if (std::isfinite(y)) {
        plot.y_max = std::max(plot.y_max, 10.0 * y);  // the first finite point (earliest checkpoint)
        break;
      }
    }
  }
  plot.key = "outside right top";
  render_figure(plot, context, "theory_early_stopping_" + objective + "_" + label);
}

void draw_best_c(const FigureContext& context) {
  const ResultsTable& table = context.table;
  const std::string& label = context.label;
  Plot plot{"Best regularisation c versus N (c = 0 not drawn): " + label, "training samples N", "best c", true, true, {}};
  for (const char* metric_name : {metric::kBestCKlDataModel, metric::kBestCKlModelData}) {
    RowFilter filter{label, metric_name, source::kTheory, std::string(""), std::nullopt, std::nullopt, true, std::nullopt, std::nullopt};
    plot.series.push_back(series_of("minimises " + std::string(metric_name).substr(7), select_xy(table, filter, n_of),
                                    "linespoints pt 7 ps 0.8 lw 2"));
  }
  for (const Objective kind : {Objective::kNoise, Objective::kData}) {
    const std::string objective = enum_name(kind);
    RowFilter filter{label, metric::kBestCTestLoss, source::kTheory, objective, std::nullopt, std::string("all"), true, std::nullopt, std::nullopt};
    const auto points = select_xy(table, filter, n_of);
    if (!points.empty()) plot.series.push_back(series_of("minimises test loss (" + objective + ")", points, "linespoints pt 6 ps 0.8 lw 1"));
  }
  render_figure(plot, context, "theory_best_c_" + label);
}

void draw_mode_variance(const FigureContext& context) {
  const ResultsTable& table = context.table;
  const std::string& label = context.label;
  // Eigenvalue and variance of each (N, rank), joined by rank.
  const auto eigenvalues = eigenvalues_by_rank(table, label);
  double c_shown = -1;  // the smallest c with variance rows
  for (const ResultRow& row : table.rows()) {
    if (row.dataset == label && row.metric.rfind(metric::kModeVariancePrefix, 0) == 0 && row.c && (c_shown < 0 || *row.c < c_shown)) {
      c_shown = *row.c;
    }
  }
  if (c_shown < 0) return;
  Plot plot{"Sampled variance per eigen-mode of Sigma0 (optimum, c = " + short_number(c_shown) + "): " + label,
            "eigenvalue lambda of Sigma0", "variance of the samples along the eigenvector", true, true, {}};
  double lo = 1e300, hi = 0;
  for (const auto& [n, by_rank] : eigenvalues) {
    std::vector<std::pair<double, double>> points;
    for (const ResultRow& row : table.rows()) {
      if (row.dataset == label && row.n == n && row.objective == enum_name(Objective::kNoise) && row.c == c_shown && !row.step &&
          row.metric.rfind(metric::kModeVariancePrefix, 0) == 0) {
        auto it = by_rank.find(rank_suffix(row.metric, metric::kModeVariancePrefix));
        if (it != by_rank.end() && it->second > 0) {
          points.emplace_back(it->second, row.value);
          lo = std::min(lo, it->second), hi = std::max(hi, it->second);
        }
      }
    }
    std::sort(points.begin(), points.end());
    if (!points.empty()) plot.series.push_back(series_of("N = " + std::to_string(n), points, "points pt 7 ps 0.7"));
  }
  if (plot.series.empty()) return;
  PlotSeries reference{"lambda + c", {}, {}, "lines lw 2 lc rgb 'black'"};
  for (int i = 0; i <= 40; ++i) {
    const double lambda = lo * std::pow(hi / lo, i / 40.0);
    reference.x.push_back(lambda);
    reference.y.push_back(lambda + c_shown);
  }
  plot.series.push_back(reference);
  plot.key = "outside right top";
  render_figure(plot, context, "theory_mode_variance_" + label);
}

}  // namespace

void draw_theory_kl_figures(const FigureContext& context) {
  draw_kl(context, "data_model");
  draw_kl(context, "model_data");
}

void draw_theory_loss_figures(const FigureContext& context) {
  for (const Objective objective : {Objective::kNoise, Objective::kData}) {
    const RowFilter any{context.label, metric::kTestLoss, source::kTheory, enum_name(objective), std::nullopt,
                        std::string("all"), true, std::nullopt, std::nullopt};
    if (distinct_n(context.table, any).empty()) continue;
    draw_losses(context, enum_name(objective));
  }
}

void draw_theory_early_stopping_figures(const FigureContext& context) {
  for (const Objective objective : {Objective::kNoise, Objective::kData}) draw_early_stopping(context, enum_name(objective));
}

void draw_theory_best_c_figures(const FigureContext& context) { draw_best_c(context); }

void draw_theory_mode_variance_figures(const FigureContext& context) { draw_mode_variance(context); }

}  // namespace lindiff
