#include "datasets/dataset.h"

#include <numeric>
#include <random>

#include "src/common/error.h"

namespace lindiff {

std::vector<Index> seeded_permutation(Index n, std::uint64_t seed) {
  std::vector<Index> order(static_cast<std::size_t>(n));
  std::iota(order.begin(), order.end(), Index{0});
  std::mt19937_64 rng(seed);
  // Explicit Fisher-Yates: std::shuffle's algorithm is implementation-defined.
  for (Index i = n - 1; i > 0; --i) {
    std::uniform_int_distribution<Index> pick(0, i);
    std::swap(order[i], order[pick(rng)]);
  }
  return order;
}

void check_subset_size(const Dataset& dataset, Index n) {
  const Index pool = dataset.pool.rows();
  if (n < 1 || n > pool) {
    throw ConfigError("N = " + std::to_string(n) + " is not possible for dataset '" + dataset.label +
                      "': its training pool holds " + std::to_string(pool) +
                      " samples (valid: 1.." + std::to_string(pool) + ")");
  }
}

std::vector<Index> nested_subset(const Dataset& dataset, Index n, std::uint64_t seed) {
  check_subset_size(dataset, n);
  std::vector<Index> order = seeded_permutation(dataset.pool.rows(), seed);
  order.resize(static_cast<std::size_t>(n));
  return order;
}

DataMatrix select_rows(const DataMatrix& rows, const std::vector<Index>& indices) {
  DataMatrix out(static_cast<Index>(indices.size()), rows.cols());
  for (std::size_t i = 0; i < indices.size(); ++i) out.row(static_cast<Index>(i)) = rows.row(indices[i]);
  return out;
}

std::pair<double, double> display_range(const DatasetSpec& spec, const Dataset& dataset) {
  if (spec.scale == "minus_one_one" && !dataset.exact) return {-1.0, 1.0};
  if (spec.scale == "zero_one" && !dataset.exact) return {0.0, 1.0};
  return {dataset.pool.minCoeff(), dataset.pool.maxCoeff()};
}

}  // namespace lindiff
