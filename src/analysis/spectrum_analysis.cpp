#include "src/report/metrics.h"
#include "src/analysis/spectrum_analysis.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "src/common/error.h"
#include "src/common/log_spaced.h"
#include "src/common/progress.h"

namespace lindiff {

namespace {

// The power-law fit of `values` over spec.fit_range; NumericError (exit 5) naming the data and
// the key when the range holds fewer than two positive eigenvalues (identical rows, d = 1).
PowerLawFit checked_power_law(const Vector& values, const SpectrumSpec& spec, const std::string& what) {
  const Index positive = (values.array() > 0).count();
  try {
    return fit_power_law(values, spec.fit_range[0], spec.fit_range[1]);
  } catch (const std::invalid_argument&) {
    throw NumericError("the spectrum of " + what + " has " + std::to_string(positive) + " positive eigenvalue(s) of " +
                       std::to_string(values.size()) + " (constant pixels, identical rows or d = 1?) and the power-law "
                       "fit needs at least 2 in spectrum.fit_range [" + std::to_string(spec.fit_range[0]) + ", " +
                       std::to_string(spec.fit_range[1]) + "]: use data whose covariance has rank >= 2 or narrow fit_range");
  }
}

// Ten log-spaced sample counts from 10 (or 2) up to the pool size.
std::vector<std::int64_t> default_error_counts(Index pool) {
  return log_spaced_integers(std::min<Index>(10, std::max<Index>(2, pool)), pool, 10);
}

std::vector<CovarianceErrorPoint> covariance_error_curve(const DataMatrix& permuted_pool,
                                                         const SpectrumAnalysis& analysis,
                                                         const Matrix& population_covariance,
                                                         std::vector<std::int64_t> counts) {
  if (counts.empty()) counts = default_error_counts(permuted_pool.rows());
  std::int64_t total = 0;
  for (auto n : counts) total += std::min<std::int64_t>(n, permuted_pool.rows());
  Progress progress("covariance error " + analysis.label, total, "samples");
  std::vector<CovarianceErrorPoint> curve;
  for (std::int64_t n : counts) {
    if (n > permuted_pool.rows()) continue;  // cannot draw more samples than the pool holds
    const Moments m = empirical_moments(permuted_pool.topRows(n));
    curve.push_back({n, relative_frobenius_error(m.covariance, population_covariance),
                     expected_covariance_error(analysis.d_eff_population, static_cast<double>(n),
                                               static_cast<double>(analysis.n_population))});
    progress.advance(n);
  }
  return curve;
}

}  // namespace

SpectrumAnalysis analyse_spectrum(const DatasetContext& context) {
  const Dataset& dataset = context.dataset();
  const SpectrumSpec& spec = context.config().spectrum;
  SpectrumAnalysis analysis;
  analysis.label = dataset.label;
  analysis.shape = dataset.shape;
  analysis.n_train = spec.n_train > 0 ? spec.n_train : dataset.pool.rows();
  check_subset_size(dataset, analysis.n_train);

  // The training set and every error-curve subset are prefixes of the context's pool order.
  const DataMatrix& permuted = context.permuted_pool();
  const TrainingSet& train = context.training_set(analysis.n_train);
  const Population& population = context.population();
  analysis.route = train.route;
  analysis.train = train.eigen;
  analysis.n_population = population.count;
  analysis.population = population.eigen;
  analysis.d_eff_train = participation_ratio(analysis.train.values);
  analysis.d_eff_population = participation_ratio(analysis.population.values);
  analysis.fit_train = checked_power_law(analysis.train.values, spec, dataset.label + "'s training set");
  analysis.fit_population = checked_power_law(analysis.population.values, spec, dataset.label + "'s population");
  analysis.covariance_error = covariance_error_curve(permuted, analysis, population.covariance, spec.cov_error_n);
  analysis.examples = permuted.topRows(std::min<Index>(spec.examples, analysis.n_train));
  return analysis;
}

void add_spectrum_rows(const SpectrumAnalysis& a, ResultsTable& table) {
  const std::int64_t d = a.shape.size();
  const std::optional<std::int64_t> pop_n =
      a.n_population > 0 ? std::optional<std::int64_t>(a.n_population) : std::nullopt;
  auto add = [&](std::optional<std::int64_t> n, const std::string& metric, double value, const std::string& source) {
    table.add(ResultRow{a.label, d, n, "", "", std::nullopt, std::nullopt, std::nullopt, "", metric, value, source});
  };
  auto add_set = [&](std::optional<std::int64_t> n, const EigenSystem& eig, double d_eff, const PowerLawFit& fit,
                     const std::string& source) {
    add(n, metric::kDEff, d_eff, source);
    add(n, metric::kTotalVariance, eig.values.sum(), source);
    add(n, metric::kPowerlawK, fit.exponent, source);
    add(n, metric::kPowerlawR2, fit.r_squared, source);
    for (Index r = 0; r < eig.values.size(); ++r) {
      add(n, metric::ranked(metric::kEigenvaluePrefix, r + 1), eig.values(r), source);
    }
  };
  add_set(a.n_train, a.train, a.d_eff_train, a.fit_train, "data");
  add_set(pop_n, a.population, a.d_eff_population, a.fit_population, "population");
  for (const CovarianceErrorPoint& p : a.covariance_error) {
    add(p.n, metric::kCovRelError, p.measured, source::kData);
    add(p.n, metric::kCovRelError, p.predicted, source::kTheory);
  }
}

}  // namespace lindiff
