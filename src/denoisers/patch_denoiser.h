// Owns the local patch machines of Kamb & Ganguli (docs/theory.md#local-score-machines): for each
// output pixel p of an image (C, H, W), one softmax over a set S_p of training patches phi of
//   -||patch_p(x_t) - sqrt(abar_t) phi||^2 / (2 (1 - abar_t)),
// and x0_hat at p = the softmax-weighted mean of the patches' centre pixels (all C channels).
// A patch of odd size P holds all channels of the P x P pixels around its centre.
//  - ls:    S_p = the training patches at p itself (zero padding);
//  - els:   S_p = every training patch at every location, borders by ElsPadding;
//  - bbels: an interior pixel as els (training patches lying inside an image); along each axis, a
//           coordinate within P/2 of an edge is held fixed, so an edge pixel is matched with the
//           patches at its own offset from that edge, along the edge, and a corner pixel with the
//           patch at that corner only (zero padding).
// Pixels that share S_p form a group; each group is one streamed softmax over its whole S_p
// (softmax_weighted_mean), never an average of per-block softmaxes, so the result does not depend
// on any block size. Cost per query image 2 H W |S_p| C P^2 multiply-adds (els: |S_p| = N x
// locations); memory N H W C P^2 values for the training patches.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>

#include "datasets/image_shape.h"
#include "src/config/vocabulary.h"
#include "src/diffusion/denoiser.h"
#include "src/theory/schedule.h"

namespace lindiff {

// Which patch machine.
enum class PatchMachine { kLs, kEls, kBbEls };

// A machine with its patch size and (els) border convention.
struct PatchSpec {
  PatchMachine machine = PatchMachine::kEls;
  int size = 3;  // odd
  ElsPadding padding = ElsPadding::kKambGanguli;
};

// Pixels (flat indices i W + j) that share one candidate set, and the locations whose training
// patches form it.
struct PatchGroup {
  std::vector<std::int64_t> pixels;
  std::vector<std::int64_t> locations;
};

// How a machine matches pixels with training patches on images of `shape`: its groups, and
// whether query and training patches wrap around the borders (else zero padding). Throws
// std::invalid_argument for an even or non-positive size, or els with Kamb & Ganguli's padding
// and a patch larger than the image (no training patch lies inside it).
struct PatchPlan {
  std::vector<PatchGroup> groups;
  bool query_circular = false;
  bool training_circular = false;
};
PatchPlan patch_plan(const PatchSpec& spec, const ImageShape& shape);

// The largest patch size worth trying for `spec`'s machine and border convention on images of
// `shape`: with zero padding a larger patch only adds padding, so 2 max(H, W) - 1 (every pixel's
// patch then covers the image); a wrapped patch larger than the image repeats pixels and Kamb &
// Ganguli's convention needs training patches inside an image, so the largest odd size <= min(H, W).
int largest_patch_size(const PatchSpec& spec, const ImageShape& shape);

// The patches of `images` [B, C, H W] around the pixels `locations` (flat indices i W + j; empty:
// every pixel, in order): [B, L, C P^2], zero-padded or wrapped around the borders. O(B L C P^2).
at::Tensor image_patches(const at::Tensor& images, const ImageShape& shape, int size, bool circular,
                         const std::vector<std::int64_t>& locations = {});

// The machine of `spec` over `training_rows` ([N, d] in channel planes, float or double; moved
// to `device`) for images of `shape` on the diffusion of `schedule`; its native prediction is
// x0, computed in the rows' type. Throws std::invalid_argument on a bad spec or shape.
std::shared_ptr<const Denoiser> patch_denoiser(const PatchSpec& spec, const at::Tensor& training_rows,
                                               const ImageShape& shape, const Schedule& schedule, c10::Device device,
                                               std::int64_t block_rows = 2048);

}  // namespace lindiff
