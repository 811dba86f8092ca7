// The local denoisers' registry entries: the patch machines (ls, els, bbels), built from the
// training rows, the image shape and denoise.patch_size / denoise.els_padding, and Wiener
// locality (wiener_local) at denoise.wiener_threshold.
#include <algorithm>
#include <set>
#include <stdexcept>
#include <string>

#include "src/denoisers/builtin_kinds.h"
#include "src/denoisers/patch_denoiser.h"
#include "src/denoisers/wiener_locality.h"

namespace lindiff {

namespace {

DenoiserKind patch_kind(PatchMachine machine, const std::string& name, const std::string& display_name, int colour) {
  DenoiserKind kind = analytic_kind(name, display_name, colour);
  // Like the empirical optimum its native prediction is x0, and c does not apply.
  kind.make = [machine](const AnalyticInputs& in) {
    if (!in.training_rows.defined()) throw std::invalid_argument("a patch machine needs the training rows");
    return patch_denoiser(PatchSpec{machine, in.patch_size, in.els_padding}, in.training_rows, in.shape, in.schedule,
                          in.device);
  };
  // Sizes beyond the largest useful one give that one's result (zero padding) or no machine.
  // Per group, its pixels against N patches at each of its locations, C P^2 values each.
  kind.query_cost = [machine](const CostInputs& in) {
    const PatchPlan plan = patch_plan(PatchSpec{machine, in.patch_size, in.spec.els_padding}, in.shape);
    double pairs = 0;
    for (const PatchGroup& group : plan.groups) pairs += static_cast<double>(group.pixels.size()) * static_cast<double>(group.locations.size());
    return pairs * in.n * in.shape.channels * in.patch_size * in.patch_size;
  };
  kind.calibration = CalibrationKnob{
      "patch_size",
      [machine](const DenoiseSpec& spec, const ImageShape& shape) {
        const int largest = largest_patch_size(PatchSpec{machine, 1, spec.els_padding}, shape);
        std::set<double> sizes;
        for (int p : spec.calibrate_patch_sizes) sizes.insert(std::min(p, largest));
        return std::vector<double>(sizes.begin(), sizes.end());
      },
      [](double value, AnalyticInputs& in) { in.patch_size = static_cast<int>(value); }};
  // The training patches of the largest training set, once per machine: N H W C P^2 values, at
  // the largest P a calibration tries.
  kind.memory = [machine, name](const MemoryInputs& in) {
    const DenoiseSpec& spec = in.config.denoise;
    double p = spec.patch_size;
    if (!spec.calibrate_against.empty()) {
      for (int candidate : spec.calibrate_patch_sizes) p = std::max(p, static_cast<double>(candidate));
    }
    p = std::min(p, static_cast<double>(largest_patch_size(PatchSpec{machine, 1, spec.els_padding}, in.dataset.shape)));
    const double values = static_cast<double>(largest_compared_training_size(in)) * static_cast<double>(in.dataset.dim()) * p * p;
    return std::vector<MemoryPart>{{"the " + name + " patch machine's training patches (N d P^2 values)", values * 4 * 2,
                                    "denoise.patch_size or training.n", true}};
  };
  return kind;
}

}  // namespace

DenoiserKind wiener_local_kind() {
  DenoiserKind kind = analytic_kind("wiener_local", "Wiener locality", 13);
  kind.make = [](const AnalyticInputs& in) {
    if (!in.training_rows.defined()) throw std::invalid_argument("Wiener locality needs the training rows");
    return wiener_local_denoiser(in.training_rows, in.wiener_threshold, in.schedule, in.device);
  };
  kind.query_cost = [](const CostInputs& in) {  // each coordinate's masked distance to N images: N d^2
    const double d = static_cast<double>(in.shape.size());
    return in.n * d * d;
  };
  kind.calibration = CalibrationKnob{
      "threshold",
      [](const DenoiseSpec& spec, const ImageShape&) {
        const std::set<double> values(spec.calibrate_thresholds.begin(), spec.calibrate_thresholds.end());
        return std::vector<double>(values.begin(), values.end());
      },
      [](double value, AnalyticInputs& in) { in.wiener_threshold = value; }};
  return kind;
}

DenoiserKind ls_kind() { return patch_kind(PatchMachine::kLs, "ls", "LS (local patches)", 10); }
DenoiserKind els_kind() { return patch_kind(PatchMachine::kEls, "els", "ELS (equivariant local patches)", 11); }
DenoiserKind bbels_kind() { return patch_kind(PatchMachine::kBbEls, "bbels", "bbELS (boundary-broken ELS)", 12); }

}  // namespace lindiff
