#include "src/report/metrics.h"
#include "src/analysis/one_step_sweep.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <optional>
#include <random>
#include <stdexcept>

#include "src/analysis/kl_metrics.h"
#include "src/common/error.h"
#include "src/common/progress.h"
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

void check_size(Index n, std::size_t i, Index fresh, const Dataset& dataset) {
  const std::string key = "one_step.n." + std::to_string(i);
  if (n > dataset.pool.rows()) {
    throw ConfigError(key + ": N = " + std::to_string(n) + " exceeds the training pool of '" + dataset.label + "' (" +
                      std::to_string(dataset.pool.rows()) + " rows); valid: 2.." + std::to_string(dataset.pool.rows()));
  }
  if (fresh > dataset.test.rows()) {
    throw ConfigError(key + " / one_step.fresh: Delta compares with " + std::to_string(fresh) +
                      " fresh rows per draw but the held-out split of '" + dataset.label + "' has " +
                      std::to_string(dataset.test.rows()) + "; valid: at most " + std::to_string(dataset.test.rows()) +
                      " (or a larger held-out split)");
  }
}

// Fresh held-out rows Delta compares with at training-set size n (one_step.fresh; 0 = n).
Index fresh_rows(const OneStepSweepSpec& spec, Index n) { return spec.fresh > 0 ? spec.fresh : n; }

// The per-draw numbers of one fitted model.
struct OneStepDraw {
  Gaussian generated;
  SignedDelta delta;
};

// One draw: N training rows and `fresh` held-out rows of the dataset, N x d noise, the fit,
// its generated Gaussian and Delta by the statistic `spec.delta`.
OneStepDraw one_draw(const Dataset& dataset, const OneStepSweepSpec& spec, const OneStepSpec& model_spec, Index n,
                     Index fresh_rows, double scale, std::mt19937_64& rng) {
  const Matrix training = draw_rows(dataset.pool, n, rng);
  const Matrix fresh = draw_rows(dataset.test, fresh_rows, rng);
  OneStepDraw out;
  out.generated = one_step_distribution(fit_one_step(training, gaussian_matrix(n, dataset.dim(), rng), model_spec));
  if (spec.delta == "kde_l2") {
    out.delta = kde_l2_delta(kde_l2_parts(out.generated, training, scale), kde_l2_parts(out.generated, fresh, scale));
  } else {
    const double value = memorisation_delta(out.generated, training, fresh, scale);
    out.delta = {value, (value > 0) - (value < 0)};
  }
  return out;
}

}  // namespace

ProportionInterval wilson_interval(double successes, double trials, double z) {
  if (!(trials > 0)) throw std::invalid_argument("wilson_interval: trials must be > 0");
  const double p = successes / trials, z2 = z * z;
  const double centre = (p + z2 / (2 * trials)) / (1 + z2 / trials);
  const double half = z / (1 + z2 / trials) * std::sqrt(p * (1 - p) / trials + z2 / (4 * trials * trials));
  return {p, std::max(0.0, centre - half), std::min(1.0, centre + half)};
}

void add_one_step_rows(const DatasetContext& context, ResultsTable& table) {
  const Dataset& dataset = context.dataset();
  const Population& population = context.population();
  const ExperimentConfig& config = context.config();
  const std::string& label = dataset.label;
  const OneStepSweepSpec& spec = config.one_step;
  const Index d = dataset.dim();
  const double trace = population.covariance.trace();
  const double scale = spec.delta == "kde_l2" ? (spec.kde_sigma > 0 ? spec.kde_sigma : std::sqrt(trace / static_cast<double>(d)))
                                              : (spec.bandwidth > 0 ? spec.bandwidth : std::sqrt(trace));
  const OneStepSpec model_spec{spec.time, spec.level, spec.intercept, parse_one_step_prior(spec.prior),
                               parse_one_step_covariance(spec.covariance)};
  for (std::size_t i = 0; i < spec.n.size(); ++i) check_size(spec.n[i], i, fresh_rows(spec, spec.n[i]), dataset);
  Progress progress("one-step model " + label, static_cast<std::int64_t>(spec.n.size()) * spec.draws, "fits");
  for (const Index n : spec.n) {
    const auto add = [&](std::optional<std::uint64_t> seed, const std::string& metric, double value, const char* source) {
      table.add(ResultRow{label, d, n, kOneStepModel, "", std::nullopt, seed, std::nullopt, "", metric, value, source});
    };
    double positive = 0;  // draws with Delta > 0, a tie counting 1/2 (as LDM.py)
    for (int draw = 0; draw < spec.draws; ++draw) {
      std::seed_seq seeds{static_cast<std::uint64_t>(config.seed), static_cast<std::uint64_t>(n),
                          static_cast<std::uint64_t>(draw)};
      std::mt19937_64 rng(seeds);
      const OneStepDraw one = one_draw(dataset, spec, model_spec, n, fresh_rows(spec, n), scale, rng);
      positive += one.delta.sign > 0 ? 1.0 : one.delta.sign == 0 ? 0.5 : 0.0;
      const auto seed = static_cast<std::uint64_t>(draw);
      add(seed, metric::kHellingerSquared, squared_hellinger(one.generated, population), source::kExact);
      add(seed, metric::kMemorisationDelta, one.delta.value, source::kExact);
      for (const KlMetric& m : kl_metrics(kl_pair(one.generated, population), static_cast<double>(d))) {
        add(seed, m.metric, m.value, source::kExact);
      }
      progress.advance();
    }
    const ProportionInterval p = wilson_interval(positive, spec.draws);
    add(std::nullopt, metric::kPDeltaPositive, p.estimate, source::kMonteCarlo);
    add(std::nullopt, metric::kPDeltaPositiveLow, p.low, source::kMonteCarlo);
    add(std::nullopt, metric::kPDeltaPositiveHigh, p.high, source::kMonteCarlo);
  }
}

}  // namespace lindiff
