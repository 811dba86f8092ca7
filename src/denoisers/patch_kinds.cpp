// The local denoisers' registry entries: the patch machines (ls, els, bbels), built from the
// training rows, the image shape and denoise.patch_size / denoise.els_padding, and Wiener
// locality (wiener_local) at denoise.wiener_threshold.
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
  // The training patches of the largest training set, once per machine: N H W C P^2 values.
  kind.memory = [name](const MemoryInputs& in) {
    const double p = in.config.denoise.patch_size;
    const double values = static_cast<double>(in.dataset.pool.rows()) * static_cast<double>(in.dataset.dim()) * p * p;
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
  return kind;
}

DenoiserKind ls_kind() { return patch_kind(PatchMachine::kLs, "ls", "LS (local patches)", 10); }
DenoiserKind els_kind() { return patch_kind(PatchMachine::kEls, "els", "ELS (equivariant local patches)", 11); }
DenoiserKind bbels_kind() { return patch_kind(PatchMachine::kBbEls, "bbels", "bbELS (boundary-broken ELS)", 12); }

}  // namespace lindiff
