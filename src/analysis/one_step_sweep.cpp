#include "src/analysis/one_step_sweep.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <random>

#include "src/analysis/kl_metrics.h"
#include "src/common/error.h"
#include "src/common/random_matrices.h"
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

void add_one_step_rows(const DatasetContext& context, ResultsTable& table) {
  const Dataset& dataset = context.dataset();
  const Population& population = context.population();
  const ExperimentConfig& config = context.config();
  const std::string& label = dataset.label;
  const OneStepSweepSpec& spec = config.one_step;
  const Index d = dataset.dim();
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
      const Gaussian generated = one_step_distribution(fit_one_step(training, gaussian_matrix(n, d, rng), model_spec));
      const KlPair kl = kl_pair(generated, population);
      const auto add = [&](const std::string& metric, double value) {
        table.add(ResultRow{label, d, n, "one_step", "", std::nullopt, static_cast<std::uint64_t>(draw), std::nullopt, "",
                            metric, value, "exact"});
      };
      add("hellinger_squared", squared_hellinger(generated, population));
      add("memorisation_delta", memorisation_delta(generated, training, fresh, bandwidth));
      for (const KlMetric& m : kl_metrics(kl, static_cast<double>(d))) add(m.metric, m.value);
    }
  }
}

}  // namespace lindiff
