#include "src/figures/table_query.h"

#include <algorithm>
#include <set>

#include "src/report/metrics.h"

namespace lindiff {

bool RowFilter::matches(const ResultRow& row) const {
  if (row.metric != metric || row.source != source) return false;
  if (!dataset.empty() && row.dataset != dataset) return false;
  if (objective && row.objective != *objective) return false;
  if (c && (!row.c || *row.c != *c)) return false;
  if (t && row.t != *t) return false;
  if (optimum_only && row.step) return false;
  if (n && (!row.n || *row.n != *n)) return false;
  if (model && row.model != *model) return false;
  return true;
}

double n_of(const ResultRow& row) { return static_cast<double>(row.n.value_or(0)); }

std::vector<std::pair<double, double>> select_xy(const ResultsTable& table, const RowFilter& filter,
                                                 const std::function<double(const ResultRow&)>& x_of) {
  std::vector<std::pair<double, double>> points;
  for (const ResultRow& row : table.rows()) {
    if (filter.matches(row)) points.emplace_back(x_of(row), row.value);
  }
  std::sort(points.begin(), points.end());
  return points;
}

std::vector<std::int64_t> distinct_n(const ResultsTable& table, const RowFilter& filter) {
  std::set<std::int64_t> values;
  for (const ResultRow& row : table.rows()) {
    if (filter.matches(row) && row.n) values.insert(*row.n);
  }
  return {values.begin(), values.end()};
}

std::vector<double> distinct_c(const ResultsTable& table, const RowFilter& filter) {
  std::set<double> values;
  for (const ResultRow& row : table.rows()) {
    if (filter.matches(row) && row.c) values.insert(*row.c);
  }
  return {values.begin(), values.end()};
}

std::string rank_suffix(const std::string& metric, const std::string& prefix) {
  return metric.rfind(prefix, 0) == 0 ? metric.substr(prefix.size()) : "";
}

std::map<std::int64_t, std::map<std::string, double>> eigenvalues_by_rank(const ResultsTable& table,
                                                                          const std::string& label) {
  std::map<std::int64_t, std::map<std::string, double>> eigenvalues;
  for (const ResultRow& row : table.rows()) {
    if (row.dataset != label || row.source != source::kData || !row.n) continue;
    const std::string rank = rank_suffix(row.metric, "eigenvalue_");
    if (!rank.empty()) eigenvalues[*row.n][rank] = row.value;
  }
  return eigenvalues;
}

}  // namespace lindiff
