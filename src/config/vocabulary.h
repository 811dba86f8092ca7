// Owns the closed vocabularies of the experiment config below the objective (which the
// theory owns, src/theory/objective.h, as it owns the learning-rate schedule): optimizer, the linear model's
// initialisation and the training device. The config parses them once; every layer below
// holds these typed values, never their names.
#pragma once

#include <utility>

#include "src/common/enum_names.h"
#include "src/theory/rate_schedule.h"  // LrSchedule, which the theory owns

namespace lindiff {

// The name of the linear denoiser in configs and results: the theory's rows describe it, so the
// theory stage writes it too (the denoiser registry, src/denoisers/registry.h, names every other kind).
inline constexpr const char* kLinearModelName = "linear";

// The optimizer of a trainable model.
enum class Optimizer { kSgd, kAdam, kAdamW };

// How the linear model's weights start.
enum class LinearInit { kZero, kNormal };

// Where models train, evaluate and sample: the CPU or the (first) CUDA GPU.
enum class DeviceKind { kCpu, kCuda };

template <>
struct EnumNames<Optimizer> {
  static constexpr std::pair<Optimizer, const char*> kNames[] = {
      {Optimizer::kSgd, "sgd"}, {Optimizer::kAdam, "adam"}, {Optimizer::kAdamW, "adamw"}};
};
template <>
struct EnumNames<LinearInit> {
  static constexpr std::pair<LinearInit, const char*> kNames[] = {{LinearInit::kZero, "zero"}, {LinearInit::kNormal, "normal"}};
};
template <>
struct EnumNames<DeviceKind> {
  static constexpr std::pair<DeviceKind, const char*> kNames[] = {{DeviceKind::kCpu, "cpu"}, {DeviceKind::kCuda, "cuda"}};
};

}  // namespace lindiff
