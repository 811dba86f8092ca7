// Owns the one quantile rule of lindiff (nearest rank, halves rounded up): bootstrap
// intervals, medians and the quartiles drawn in figures all use it.
#pragma once

#include <cmath>
#include <cstddef>
#include <stdexcept>
#include <vector>

namespace lindiff {

// The q-quantile of ascending `sorted`: sorted[floor(q (n - 1) + 1/2)] for q in [0, 1]. O(1).
inline double sorted_quantile(const std::vector<double>& sorted, double q) {
  if (sorted.empty()) throw std::invalid_argument("sorted_quantile: no values");
  if (!(q >= 0 && q <= 1)) throw std::invalid_argument("sorted_quantile: q must lie in [0, 1]");
  const double rank = std::floor(q * static_cast<double>(sorted.size() - 1) + 0.5);
  return sorted[static_cast<std::size_t>(rank)];
}

}  // namespace lindiff
