// Owns the one rule by which lindiff spaces integers logarithmically: training-set sizes,
// checkpoint steps, eigen-mode ranks and covariance-error sample counts all use it.
#pragma once

#include <cstdint>
#include <vector>

namespace lindiff {

// `count` integers round(exp(log lo + (log hi - log lo) i / (count - 1))), i = 0..count-1,
// clamped to [lo, hi], duplicates merged, ascending; {lo} when count == 1; {} when count < 1
// or hi < lo. Requires lo >= 1. O(count log count).
std::vector<std::int64_t> log_spaced_integers(std::int64_t lo, std::int64_t hi, int count);

}  // namespace lindiff
