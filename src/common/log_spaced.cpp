#include "src/common/log_spaced.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <stdexcept>
#include <string>

namespace lindiff {

std::vector<std::int64_t> log_spaced_integers(std::int64_t lo, std::int64_t hi, int count) {
  if (lo < 1) throw std::invalid_argument("log_spaced_integers: lo = " + std::to_string(lo) + " must be >= 1");
  if (count < 1 || hi < lo) return {};
  const double log_lo = std::log(static_cast<double>(lo)), log_hi = std::log(static_cast<double>(hi));
  // Points closer in log space than the closest integers (log(hi / (hi - 1)) > 1 / hi) hit every
  // integer of the range: a count of 2^31 then costs the range, not 2^31 exponentials.
  if (static_cast<double>(count) > static_cast<double>(hi) * (log_hi - log_lo) + 2) {
    std::vector<std::int64_t> all;
    for (std::int64_t v = lo; v <= hi; ++v) all.push_back(v);
    return all;
  }
  std::set<std::int64_t> values;
  for (int i = 0; i < count; ++i) {
    const double x = count == 1 ? log_lo : log_lo + (log_hi - log_lo) * i / static_cast<double>(count - 1);
    values.insert(std::clamp<std::int64_t>(std::llround(std::exp(x)), lo, hi));
  }
  return {values.begin(), values.end()};
}

}  // namespace lindiff
