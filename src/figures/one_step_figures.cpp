#include "src/figures/one_step_figures.h"

#include <algorithm>
#include <map>
#include <vector>

#include "src/common/quantile.h"
#include "src/figures/figure_context.h"
#include "src/figures/plot.h"
#include "src/report/metrics.h"

namespace lindiff {

namespace {

// one_step_p_delta_positive_<label>: P(Delta > 0) over the draws versus N, 95% Wilson band.
void draw_probability_figure(const FigureContext& context) {
  const ResultsTable& table = context.table;
  const std::string& label = context.label;
  std::map<std::string, std::vector<std::pair<double, double>>> curves;
  std::int64_t d = 0;
  for (const ResultRow& r : table.rows()) {
    if (r.dataset != label || r.model != kOneStepModel || !r.n || r.metric.rfind(metric::kPDeltaPositive, 0) != 0) continue;
    curves[r.metric].emplace_back(static_cast<double>(*r.n), r.value);
    d = r.d;
  }
  if (curves[metric::kPDeltaPositive].empty()) return;
  for (auto& [metric, points] : curves) std::sort(points.begin(), points.end());
  Plot plot{"Halder's one-step model: P(Delta > 0) over draws (" + label + ", d = " + std::to_string(d) + ")",
            "training samples N", "P(Delta > 0)", true, false, {}};
  plot.series.push_back(series_of("P(Delta > 0)", curves[metric::kPDeltaPositive], "linespoints pt 7 ps 1 lw 2 lc 1"));
  plot.series.push_back(series_of("95% Wilson interval", curves[metric::kPDeltaPositiveLow], "lines dt 3 lw 1 lc 1"));
  plot.series.push_back(series_of("", curves[metric::kPDeltaPositiveHigh], "lines dt 3 lw 1 lc 1"));
  plot.key = "bottom right";
  plot.y_max = 1.0;
  render_figure(plot, context, "one_step_p_delta_positive_" + label);
}

}  // namespace

void draw_one_step_figures(const FigureContext& context) {
  const ResultsTable& table = context.table;
  const std::string& label = context.label;
  struct Figure { const char* metric; const char* title; bool log_y; };
  for (const Figure& figure : {Figure{metric::kHellingerSquared, "squared Hellinger distance to the data", false},
                               Figure{metric::kMemorisationDelta, "Delta = dist(gen, train) - dist(gen, fresh); < 0: memorising", false},
                               Figure{metric::kKlDataModelPerDim, "KL(data || model) / d", true}}) {
    std::map<std::int64_t, std::vector<double>> by_n;
    std::int64_t d = 0;
    for (const ResultRow& r : table.rows()) {
      if (r.dataset != label || r.model != kOneStepModel || r.metric != figure.metric || !r.n) continue;
      by_n[*r.n].push_back(r.value);
      d = r.d;
    }
    if (by_n.empty()) continue;
    // Median and quartiles: the KLs of fits with N near d are heavy-tailed (and inf for N <= d).
    std::vector<std::pair<double, double>> median, lower, upper;
    for (auto& [n, values] : by_n) {
      std::sort(values.begin(), values.end());
      median.emplace_back(static_cast<double>(n), sorted_quantile(values, 0.5));
      lower.emplace_back(static_cast<double>(n), sorted_quantile(values, 0.25));
      upper.emplace_back(static_cast<double>(n), sorted_quantile(values, 0.75));
    }
    Plot plot{"Halder's one-step model: " + std::string(figure.title) + " (" + label + ", d = " +
                  std::to_string(d) + ")",
              "training samples N", figure.metric, true, figure.log_y, {}};
    plot.series.push_back(series_of("median over draws", median, "linespoints pt 7 ps 1 lw 2 lc 1"));
    plot.series.push_back(series_of("25% quantile", lower, "lines dt 3 lw 1 lc 1"));
    plot.series.push_back(series_of("75% quantile", upper, "lines dt 3 lw 1 lc 1"));
    render_figure(plot, context, "one_step_" + std::string(figure.metric) + "_" + label);
  }
  draw_probability_figure(context);
}

}  // namespace lindiff
