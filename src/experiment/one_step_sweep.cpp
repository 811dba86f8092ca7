#include "src/experiment/one_step_sweep.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <random>

#include "src/common/error.h"
#include "src/report/plot.h"
#include "src/theory/gaussian_kl.h"
#include "src/theory/one_step_model.h"

namespace lindiff {

namespace {

// `count` distinct rows of `rows`, chosen by `rng`, as a double matrix.
Matrix draw_rows(const DataMatrix& rows, Index count, std::mt19937_64& rng) {
  std::vector<Index> order(static_cast<std::size_t>(rows.rows()));
  std::iota(order.begin(), order.end(), Index{0});
  for (Index i = 0; i < count; ++i) {  // partial Fisher-Yates: the first `count` entries
    std::uniform_int_distribution<Index> pick(i, rows.rows() - 1);
    std::swap(order[static_cast<std::size_t>(i)], order[static_cast<std::size_t>(pick(rng))]);
  }
  Matrix out(count, rows.cols());
  for (Index i = 0; i < count; ++i) out.row(i) = rows.row(order[static_cast<std::size_t>(i)]).cast<double>();
  return out;
}

Matrix standard_normal(Index rows, Index cols, std::mt19937_64& rng) {
  std::normal_distribution<double> normal;
  Matrix out(rows, cols);
  for (Index j = 0; j < cols; ++j) {
    for (Index i = 0; i < rows; ++i) out(i, j) = normal(rng);
  }
  return out;
}

void check_size(Index n, std::size_t i, const Dataset& dataset) {
  const std::string key = "one_step.n." + std::to_string(i);
  if (n > dataset.pool.rows()) {
    throw ConfigError(key + ": N = " + std::to_string(n) + " exceeds the training pool of '" + dataset.label + "' (" +
                      std::to_string(dataset.pool.rows()) + " rows); valid: 2.." + std::to_string(dataset.pool.rows()));
  }
  if (n > dataset.test.rows()) {
    throw ConfigError(key + ": N = " + std::to_string(n) + " exceeds the held-out split of '" + dataset.label + "' (" +
                      std::to_string(dataset.test.rows()) + " rows), which Delta needs as fresh samples; valid: 2.." +
                      std::to_string(dataset.test.rows()) + " (or a larger held-out split)");
  }
}

}  // namespace

void add_one_step_rows(const Dataset& dataset, const Population& population, const ExperimentConfig& config,
                       const std::string& label, ResultsTable& table) {
  const OneStepSweepSpec& spec = config.one_step;
  const Index d = dataset.dim();
  const Gaussian data{population.mean, population.covariance};
  const double bandwidth = spec.bandwidth > 0 ? spec.bandwidth : std::sqrt(population.covariance.trace());
  const OneStepSpec model_spec{spec.time, spec.level, spec.intercept};
  for (std::size_t i = 0; i < spec.n.size(); ++i) {
    const Index n = spec.n[i];
    check_size(n, i, dataset);
    for (int draw = 0; draw < spec.draws; ++draw) {
      std::seed_seq seeds{static_cast<std::uint64_t>(config.seed), static_cast<std::uint64_t>(n),
                          static_cast<std::uint64_t>(draw)};
      std::mt19937_64 rng(seeds);
      const Matrix training = draw_rows(dataset.pool, n, rng);
      const Matrix fresh = draw_rows(dataset.test, n, rng);
      const Gaussian generated = one_step_distribution(fit_one_step(training, standard_normal(n, d, rng), model_spec));
      const KlPair kl = kl_pair(generated, data);
      const auto add = [&](const std::string& metric, double value) {
        table.add(ResultRow{label, d, n, "one_step", "", std::nullopt, static_cast<std::uint64_t>(draw), std::nullopt, "",
                            metric, value, "exact"});
      };
      add("hellinger_squared", squared_hellinger(generated, data));
      add("memorisation_delta", memorisation_delta(generated, training, fresh, bandwidth));
      add("kl_model_data", kl.model_data);
      add("kl_data_model", kl.data_model);
      add("kl_model_data_per_dim", kl.model_data / static_cast<double>(d));
      add("kl_data_model_per_dim", kl.data_model / static_cast<double>(d));
    }
  }
}

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
      const auto quantile = [&values](double q) { return values[static_cast<std::size_t>(q * static_cast<double>(values.size() - 1) + 0.5)]; };
      median.emplace_back(static_cast<double>(n), quantile(0.5));
      lower.emplace_back(static_cast<double>(n), quantile(0.25));
      upper.emplace_back(static_cast<double>(n), quantile(0.75));
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
