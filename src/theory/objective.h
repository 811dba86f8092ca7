// Owns the objective of a denoiser: what it predicts (docs/theory.md#forward-process-and-objectives). The two are related
// by x0_hat = (x_t - sqrt(1 - abar_t) eps_hat) / sqrt(abar_t).
#pragma once

#include <utility>

#include "src/common/enum_names.h"

namespace lindiff {

// What a denoiser predicts from x_t: the noise eps or the clean data x0.
enum class Objective { kNoise, kData };

template <>
struct EnumNames<Objective> {
  static constexpr std::pair<Objective, const char*> kNames[] = {{Objective::kNoise, "noise"}, {Objective::kData, "data"}};
};

}  // namespace lindiff
