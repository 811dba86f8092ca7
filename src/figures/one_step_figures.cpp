#include "src/figures/one_step_figures.h"

#include <algorithm>
#include <map>
#include <vector>

#include "src/common/quantile.h"
#include "src/figures/plot.h"

namespace lindiff {

void draw_one_step_figures(const ResultsTable& table, const std::string& label, const RunFolder& folder) {
  struct Figure { const char* metric; const char* title; bool log_y; };
  for (const Figure& figure : {Figure{"hellinger_squared", "squared Hellinger distance to the data", false},
                               Figure{"memorisation_delta", "Delta = MMD^2(gen, train) - MMD^2(gen, fresh)", false},
                               Figure{"kl_data_model_per_dim", "KL(data || model) / d", true}}) {
    std::map<std::int64_t, std::vector<double>> by_n;
    std::int64_t d = 0;
    for (const ResultRow& r : table.rows()) {
      if (r.dataset != label || r.model != "one_step" || r.metric != figure.metric || !r.n) continue;
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
    render_plot(plot, folder.stage("figures/one_step_" + std::string(figure.metric) + "_" + label));
  }
}

}  // namespace lindiff
