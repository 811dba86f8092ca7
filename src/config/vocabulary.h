// Owns the closed vocabularies of the experiment config below the objective (which the
// theory owns, src/theory/objective.h, as it owns the learning-rate schedule): optimizer, the linear model's
// initialisation, the training device, a network's precision and how a loaded network reads its inputs. The config parses them once; every layer below
// holds these typed values, never their names.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
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

// The arithmetic of a network's convolutions: float32, or bfloat16 (products summed in float;
// parameters, normalisation and the residual stream stay float32).
enum class Precision { kFloat32, kBFloat16 };

// How samples are drawn from a denoiser: DDPM ancestral steps (fresh noise each step) or the
// deterministic DDIM update (docs/theory.md#shared-noise-sampling).
enum class SamplerKind { kDdpm, kDdim };

// How a loaded network (networks:) takes its input: images [B, C, H, W] or flat rows [B, d].
enum class NetworkInput { kImage, kFlat };

// Which number a loaded network was trained to read as the first timestep of its schedule.
enum class TimestepBase { kOneBased, kZeroBased };

// How the equivariant patch machine (els) treats image borders (docs/theory.md#local-score-machines):
// Kamb & Ganguli's code (the query padded circularly, only training patches lying inside an image),
// circular (query and training images wrapped) or zero (both zero-padded).
enum class ElsPadding { kKambGanguli, kCircular, kZero };

template <>
struct EnumNames<ElsPadding> {
  static constexpr std::pair<ElsPadding, const char*> kNames[] = {
      {ElsPadding::kKambGanguli, "kamb_ganguli"}, {ElsPadding::kCircular, "circular"}, {ElsPadding::kZero, "zero"}};
};
template <>
struct EnumNames<NetworkInput> {
  static constexpr std::pair<NetworkInput, const char*> kNames[] = {{NetworkInput::kImage, "image"}, {NetworkInput::kFlat, "flat"}};
};
template <>
struct EnumNames<TimestepBase> {
  static constexpr std::pair<TimestepBase, const char*> kNames[] = {{TimestepBase::kOneBased, "one_based"},
                                                                   {TimestepBase::kZeroBased, "zero_based"}};
};
template <>
struct EnumNames<SamplerKind> {
  static constexpr std::pair<SamplerKind, const char*> kNames[] = {{SamplerKind::kDdpm, "ddpm"}, {SamplerKind::kDdim, "ddim"}};
};
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
template <>
struct EnumNames<Precision> {
  static constexpr std::pair<Precision, const char*> kNames[] = {{Precision::kFloat32, "float32"}, {Precision::kBFloat16, "bfloat16"}};
};

// An optimizer step count: a positive number, or `auto`, which the model's kind chooses per cell
// (docs/convergence.md#steps-auto). Read and written as its text.
struct StepCount {
  static constexpr const char* kValid = "a positive integer or auto";
  bool automatic = false;
  std::int64_t value = 0;  // the count when not automatic

  static StepCount fixed(std::int64_t count) { return {false, count}; }
  static StepCount chosen() { return {true, 0}; }
  // "auto" or a decimal integer (sign allowed, so that validation can name a negative count); nullopt otherwise.
  static std::optional<StepCount> parse(const std::string& text) {
    if (text == "auto") return chosen();
    std::size_t used = 0;
    try {
      const long long count = std::stoll(text, &used);
      if (used == text.size()) return fixed(count);
    } catch (const std::logic_error&) {  // not a number, or out of range
    }
    return std::nullopt;
  }
  std::string text() const { return automatic ? "auto" : std::to_string(value); }
  bool operator==(const StepCount& other) const { return automatic == other.automatic && value == other.value; }
};

}  // namespace lindiff
