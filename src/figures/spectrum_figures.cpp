#include "src/figures/spectrum_figures.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <optional>
#include <utility>

#include "src/figures/figure_context.h"
#include "src/figures/plot.h"
#include "src/figures/table_query.h"
#include "src/report/metrics.h"
#include "src/theory/eigen_system.h"
#include "src/theory/spectrum_stats.h"

namespace lindiff {

namespace {

// One spectrum as the spectrum stage wrote it: rows of `source` (data | population) without a seed.
struct SpectrumRows {
  std::optional<std::int64_t> n;  // training-set size, or held-out count of an estimated population
  Vector eigenvalues;             // descending, rank r at r - 1
  double d_eff = 0;
  double k = 0;
  bool found = false;
};

SpectrumRows spectrum_rows(const ResultsTable& table, const std::string& label, const std::string& source) {
  SpectrumRows s;
  std::map<Index, double> by_rank;
  for (const ResultRow& row : table.rows()) {
    if (row.dataset != label || row.source != source || row.seed || !row.model.empty()) continue;
    const std::string rank = rank_suffix(row.metric, metric::kEigenvaluePrefix);
    if (!rank.empty()) {
      by_rank[std::stoll(rank)] = row.value;
    } else if (row.metric == metric::kDEff) {
      s.d_eff = row.value;
    } else if (row.metric == metric::kPowerlawK) {
      s.k = row.value;
    } else {
      continue;
    }
    s.n = row.n;
    s.found = true;
  }
  s.eigenvalues.resize(static_cast<Index>(by_rank.size()));
  Index i = 0;
  for (const auto& [rank, value] : by_rank) s.eigenvalues(i++) = value;
  return s;
}

std::vector<double> ranks(Index count) {
  std::vector<double> r(static_cast<std::size_t>(count));
  for (Index i = 0; i < count; ++i) r[static_cast<std::size_t>(i)] = static_cast<double>(i + 1);
  return r;
}

// Eigenvalues down to 1e-12 of the largest: smaller ones are round-off of exact zeros
// (constant pixels, N < d) and would only stretch a log axis.
std::vector<double> resolved_eigenvalues(const Vector& values) {
  const double floor = kEigenvalueFloor * values.maxCoeff();
  std::vector<double> kept;
  for (Index i = 0; i < values.size() && values(i) > floor; ++i) kept.push_back(values(i));
  return kept;
}

PlotSeries fit_line(const PowerLawFit& fit) {
  char title[160];
  std::snprintf(title, sizeof title, "training-set fit: k = %.3f (ranks %lld-%lld, R^2 = %.3f)", fit.exponent,
                static_cast<long long>(fit.first_rank), static_cast<long long>(fit.last_rank), fit.r_squared);
  PlotSeries line{title, {}, {}, "lines dt 2 lw 2"};
  for (Index r : {fit.first_rank, fit.last_rank}) {
    line.x.push_back(static_cast<double>(r));
    line.y.push_back(std::exp(fit.log_amplitude) * std::pow(static_cast<double>(r), -fit.exponent));
  }
  return line;
}

std::string count_text(const std::optional<std::int64_t>& n) { return n ? "N = " + std::to_string(*n) : "exact"; }

void draw_spectrum(const FigureContext& context, const SpectrumRows& train, const SpectrumRows& population) {
  const std::string& label = context.label;
  const std::vector<std::int64_t>& fit_range = context.fit_range;
  Plot plot{"Covariance spectrum: " + label + " (d = " + std::to_string(population.eigenvalues.size()) + ")", "rank nu",
            "eigenvalue lambda_nu", true, true, {}};
  char title[128];
  std::snprintf(title, sizeof title, "training set, N = %lld, d_eff = %.2f", static_cast<long long>(train.n.value_or(0)),
                train.d_eff);
  plot.series.push_back({title, ranks(train.eigenvalues.size()), resolved_eigenvalues(train.eigenvalues), "lines lw 2"});
  std::snprintf(title, sizeof title, "population (%s), d_eff = %.2f", count_text(population.n).c_str(), population.d_eff);
  plot.series.push_back(
      {title, ranks(population.eigenvalues.size()), resolved_eigenvalues(population.eigenvalues), "lines lw 2"});
  plot.series.push_back(fit_line(fit_power_law(train.eigenvalues, fit_range[0], fit_range[1])));
  plot.key = "bottom left";
  render_figure(plot, context, "spectrum_" + label);
}

void draw_covariance_error(const FigureContext& context, const std::optional<std::int64_t>& held_out) {
  const ResultsTable& table = context.table;
  const std::string& label = context.label;
  Plot plot{"Covariance error: " + label + " (reference: population, " + count_text(held_out) + ")",
            "training samples N", "||Sigma0 - Sigma||_F^2 / ||Sigma||_F^2", true, true, {}};
  RowFilter measured{label, metric::kCovRelError, source::kData, std::nullopt, std::nullopt, std::nullopt, false, std::nullopt, std::nullopt};
  RowFilter predicted = measured;
  predicted.source = source::kTheory;
  plot.series.push_back(series_of("measured (nested subsets)", select_xy(table, measured, n_of), "points pt 7 ps 1.2"));
  plot.series.push_back(series_of(held_out ? "Gaussian prediction (1 + d_eff)/N + reference-split error"
                                           : "Gaussian prediction ((N-1)(1 + d_eff) + 1)/N^2",
                                  select_xy(table, predicted, n_of), "lines lw 2"));
  render_figure(plot, context, "cov_error_" + label);
}

}  // namespace

void draw_spectrum_figures(const FigureContext& context) {
  const SpectrumRows train = spectrum_rows(context.table, context.label, source::kData);
  const SpectrumRows population = spectrum_rows(context.table, context.label, source::kPopulation);
  if (!train.found || !population.found) return;
  draw_spectrum(context, train, population);
  draw_covariance_error(context, population.n);
}

void draw_all_spectra(const FigureContext& context) {
  const ResultsTable& table = context.table;
  std::vector<std::pair<std::string, std::int64_t>> datasets;  // (label, d) in table order
  for (const ResultRow& row : table.rows()) {
    const auto seen = [&row](const auto& entry) { return entry.first == row.dataset; };
    if (std::none_of(datasets.begin(), datasets.end(), seen)) datasets.emplace_back(row.dataset, row.d);
  }
  Plot plot{"Normalised covariance spectra (training sets)", "rank nu", "lambda_nu / Tr Sigma0", true, true, {}};
  for (const auto& [label, d] : datasets) {
    const SpectrumRows train = spectrum_rows(table, label, source::kData);
    if (!train.found) continue;
    char title[160];
    std::snprintf(title, sizeof title, "%s (d = %lld, d_eff = %.1f, k = %.2f)", label.c_str(), static_cast<long long>(d),
                  train.d_eff, train.k);
    plot.series.push_back({title, ranks(train.eigenvalues.size()),
                           resolved_eigenvalues(train.eigenvalues / train.eigenvalues.sum()), "lines lw 2"});
  }
  if (plot.series.empty()) return;
  plot.key = "bottom left";
  render_figure(plot, context, "spectra");
}

}  // namespace lindiff
