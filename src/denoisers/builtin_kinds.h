// Owns the declarations of the built-in denoiser kinds, one file each (the registry lists them).
#pragma once

#include <string>

#include "src/denoisers/registry.h"

namespace lindiff {

// An analytic kind's common fields: its names, a closed-form regulariser and its figure colour
// (the caller sets `make`).
DenoiserKind analytic_kind(const std::string& name, const std::string& display_name, int colour);
// The largest training set the denoise stage compares: of training.n or of a network's n.
Index largest_compared_training_size(const MemoryInputs& in);

// The per-timestep linear denoiser (models/linear_denoiser.h): exact penalty c, exact evaluation.
DenoiserKind linear_kind();
// The U-Net (models/unet.h): c as noise augmentation.
DenoiserKind unet_kind();
// The Bayes-optimal denoiser of Gaussian data (analytic).
DenoiserKind bayes_kind();
// The optimal linear (Wiener) denoiser of a training set, at the optimum or a gradient-descent step (analytic).
DenoiserKind wiener_kind();
// The empirical optimum: the posterior mean under the training set itself (analytic, memorises).
DenoiserKind empirical_kind();
// Kamb & Ganguli's patch machines (analytic): local, equivariant, boundary-broken equivariant.
DenoiserKind ls_kind();
DenoiserKind els_kind();
DenoiserKind bbels_kind();
// Lukoianov et al.'s Wiener locality: per-pixel masks from the training set's Wiener filter (analytic).
DenoiserKind wiener_local_kind();
// A user's network saved with torch.jit.save (loaded from `networks:`).
DenoiserKind torchscript_kind();

}  // namespace lindiff
