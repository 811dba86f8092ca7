// Owns reading numbers back out of a results table for figures: every figure is drawn
// from rows, so a report can be redrawn from results.csv without recomputation.
#pragma once

#include <map>

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "src/report/results_table.h"

namespace lindiff {

// Row filter: metric and source must match; the optional fields must match when set.
struct RowFilter {
  std::string dataset;
  std::string metric;
  std::string source;
  std::optional<std::string> objective;
  std::optional<double> c;
  std::optional<std::string> t;
  bool optimum_only = false;  // rows without a step (the converged/optimal model)
  std::optional<std::int64_t> n;
  std::optional<std::string> model;  // linear | unet

  bool matches(const ResultRow& row) const;
};

// The training-set size N of a row as a plot coordinate (0 when the row has none).
double n_of(const ResultRow& row);

// (x, y) pairs of the matching rows, x taken from each row by `x_of`, sorted by x.
std::vector<std::pair<double, double>> select_xy(const ResultsTable& table, const RowFilter& filter,
                                                 const std::function<double(const ResultRow&)>& x_of);

// The distinct values of N / c among matching rows, ascending.
std::vector<std::int64_t> distinct_n(const ResultsTable& table, const RowFilter& filter);
std::vector<double> distinct_c(const ResultsTable& table, const RowFilter& filter);

// Rank (the metric suffix "<rank>" of eigenvalue_<rank>) -> eigenvalue of Sigma0, per training-set
// size N: the `data` rows of dataset `label`, so a per-mode metric such as mode_variance_<rank>
// can be joined with its eigenvalue.
std::map<std::int64_t, std::map<std::string, double>> eigenvalues_by_rank(const ResultsTable& table,
                                                                          const std::string& label);

// The "<rank>" suffix of a per-mode metric (eigenvalue_<rank>, mode_variance_<rank>), or ""
// when `metric` does not start with `prefix`.
std::string rank_suffix(const std::string& metric, const std::string& prefix);

}  // namespace lindiff
