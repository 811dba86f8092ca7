#include "src/denoisers/patch_denoiser.h"

#include <algorithm>
#include <map>
#include <stdexcept>
#include <string>
#include <utility>

#include <torch/torch.h>

#include "src/denoisers/empirical_denoiser.h"

namespace lindiff {

namespace {

// Indices [lo, hi] as a list.
std::vector<std::int64_t> span(std::int64_t lo, std::int64_t hi) {
  std::vector<std::int64_t> out;
  for (std::int64_t i = lo; i <= hi; ++i) out.push_back(i);
  return out;
}

// Every location (i, j) with i in `rows`, j in `columns`, as i W + j.
std::vector<std::int64_t> grid(const std::vector<std::int64_t>& rows, const std::vector<std::int64_t>& columns,
                               std::int64_t width) {
  std::vector<std::int64_t> out;
  for (std::int64_t i : rows) {
    for (std::int64_t j : columns) out.push_back(i * width + j);
  }
  return out;
}

// bbels along one axis of length n: a coordinate within r of an edge is held fixed (its own
// value), an interior one ranges over the interior [r, n - 1 - r] (key -1).
std::int64_t axis_key(std::int64_t i, std::int64_t n, std::int64_t r) { return i < r || i > n - 1 - r ? i : -1; }

}  // namespace

int largest_patch_size(const PatchSpec& spec, const ImageShape& shape) {
  const bool zero_padded = spec.machine != PatchMachine::kEls || spec.padding == ElsPadding::kZero;
  if (zero_padded) return 2 * std::max(shape.height, shape.width) - 1;
  const int fits = std::min(shape.height, shape.width);
  return fits % 2 == 1 ? fits : fits - 1;
}

PatchPlan patch_plan(const PatchSpec& spec, const ImageShape& shape) {
  if (spec.size < 1 || spec.size % 2 == 0) {
    throw std::invalid_argument("patch size " + std::to_string(spec.size) + " must be odd and >= 1");
  }
  const std::int64_t h = shape.height, w = shape.width, r = spec.size / 2;
  const std::vector<std::int64_t> rows = span(0, h - 1), columns = span(0, w - 1);
  const std::vector<std::int64_t> inner_rows = span(r, h - 1 - r), inner_columns = span(r, w - 1 - r);
  PatchPlan plan;
  switch (spec.machine) {
    case PatchMachine::kLs:
      for (std::int64_t p = 0; p < h * w; ++p) plan.groups.push_back({{p}, {p}});
      break;
    case PatchMachine::kEls: {
      plan.query_circular = spec.padding != ElsPadding::kZero;
      plan.training_circular = spec.padding == ElsPadding::kCircular;
      std::vector<std::int64_t> locations = grid(rows, columns, w);
      if (spec.padding == ElsPadding::kKambGanguli) {
        locations = grid(inner_rows, inner_columns, w);
        if (locations.empty()) {
          throw std::invalid_argument("els with kamb_ganguli padding keeps only training patches inside an image, and a " +
                                      std::to_string(spec.size) + "x" + std::to_string(spec.size) + " patch does not fit in " +
                                      std::to_string(h) + "x" + std::to_string(w) + " images");
        }
      }
      plan.groups.push_back({grid(rows, columns, w), locations});
      break;
    }
    case PatchMachine::kBbEls: {
      std::map<std::pair<std::int64_t, std::int64_t>, PatchGroup> groups;
      for (std::int64_t i = 0; i < h; ++i) {
        for (std::int64_t j = 0; j < w; ++j) {
          const std::int64_t row_key = axis_key(i, h, r), column_key = axis_key(j, w, r);
          PatchGroup& group = groups[{row_key, column_key}];
          if (group.pixels.empty()) {
            group.locations = grid(row_key < 0 ? inner_rows : std::vector<std::int64_t>{row_key},
                                   column_key < 0 ? inner_columns : std::vector<std::int64_t>{column_key}, w);
          }
          group.pixels.push_back(i * w + j);
        }
      }
      for (auto& entry : groups) plan.groups.push_back(std::move(entry.second));
      break;
    }
  }
  return plan;
}

at::Tensor image_patches(const at::Tensor& images, const ImageShape& shape, int size, bool circular,
                         const std::vector<std::int64_t>& locations) {
  const std::int64_t h = shape.height, w = shape.width, hw = h * w, r = size / 2;
  if (images.dim() != 3 || images.size(1) != shape.channels || images.size(2) != hw) {
    throw std::invalid_argument("image_patches: images must be [B, C, H W] for the given shape");
  }
  const std::vector<std::int64_t> centres = locations.empty() ? span(0, hw - 1) : locations;
  std::vector<std::int64_t> index;  // [L, P^2] into the pixels, hw = the zero pixel
  index.reserve(centres.size() * static_cast<std::size_t>(size * size));
  for (std::int64_t centre : centres) {
    if (centre < 0 || centre >= hw) throw std::invalid_argument("image_patches: a location lies outside the image");
    const std::int64_t i = centre / w, j = centre % w;
    for (std::int64_t di = -r; di <= r; ++di) {
      for (std::int64_t dj = -r; dj <= r; ++dj) {
        std::int64_t ii = i + di, jj = j + dj;
        if (circular) {
          ii = ((ii % h) + h) % h;
          jj = ((jj % w) + w) % w;
        }
        index.push_back(ii >= 0 && ii < h && jj >= 0 && jj < w ? ii * w + jj : hw);
      }
    }
  }
  const at::Tensor map = torch::tensor(index, torch::kLong).to(images.device());
  const std::int64_t b = images.size(0), c = images.size(1), l = static_cast<std::int64_t>(centres.size());
  const at::Tensor padded = torch::cat({images, torch::zeros({b, c, 1}, images.options())}, 2);
  return padded.index_select(2, map).view({b, c, l, size * size}).permute({0, 2, 1, 3}).reshape({b, l, c * size * size});
}

namespace {

// One group's pixels and its candidates: the training patches at its locations as keys, their
// centre pixels as values.
struct GroupCandidates {
  at::Tensor pixels;               // [g] int64
  SoftmaxCandidates candidates;    // keys [N L, C P^2 + 1], values [N L, 1 + C]
};

class PatchDenoiser : public Denoiser {
 public:
  static constexpr std::int64_t kQueryChunk = 128;

  PatchDenoiser(const PatchSpec& spec, const at::Tensor& training_rows, const ImageShape& shape, const Schedule& schedule,
                c10::Device device, std::int64_t block_rows)
      : Denoiser(schedule, Objective::kData, device), spec_(spec), shape_(shape), plan_(patch_plan(spec, shape)),
        block_rows_(block_rows) {
    if (!training_rows.defined() || !at::isFloatingType(training_rows.scalar_type()) || training_rows.dim() != 2 ||
        training_rows.size(0) < 1 || training_rows.size(1) != shape.size()) {
      throw std::invalid_argument("patch machine: the training rows must be a non-empty floating [N, C H W] tensor");
    }
    const at::Tensor rows = training_rows.to(device).contiguous();
    const std::int64_t n = rows.size(0), hw = shape.height * shape.width, c = shape.channels;
    const at::Tensor images = rows.view({n, c, hw});
    const at::Tensor centres = images.permute({0, 2, 1});  // [N, HW, C]
    for (const PatchGroup& group : plan_.groups) {
      const at::Tensor locations = torch::tensor(group.locations, torch::kLong).to(device);
      GroupCandidates g;
      g.pixels = torch::tensor(group.pixels, torch::kLong).to(device);
      // Only the group's patches are cut out ([N, L, C P^2]), so building holds them and their candidates, no more.
      g.candidates = softmax_candidates(
          image_patches(images, shape, spec.size, plan_.training_circular, group.locations).flatten(0, 1),
          centres.index_select(1, locations).reshape({-1, c}));
      groups_.push_back(std::move(g));
    }
    coefficients_ = posterior_coefficients(schedule, device, rows.scalar_type());
  }

 protected:
  at::Tensor native(const at::Tensor& x, const at::Tensor& t) const override {
    torch::NoGradGuard no_grad;
    const at::ScalarType type = coefficients_.sqrt_abar.scalar_type();
    const std::int64_t b = x.size(0), hw = shape_.height * shape_.width, c = shape_.channels;
    const at::Tensor queries = image_patches(x.to(type).reshape({b, c, hw}), shape_, spec_.size, plan_.query_circular);
    const at::Tensor index = t - 1;
    const at::Tensor root_signal = coefficients_.sqrt_abar.index_select(0, index);
    const at::Tensor noise = coefficients_.one_minus_abar.index_select(0, index);
    at::Tensor out = torch::zeros({b, hw, c}, queries.options());
    for (const GroupCandidates& g : groups_) {
      const std::int64_t count = g.pixels.size(0);
      const at::Tensor q = queries.index_select(1, g.pixels).reshape({b * count, -1});
      const at::Tensor a = root_signal.repeat_interleave(count), v = noise.repeat_interleave(count);
      // Patches are short (C P^2 values), so each block of logits costs few multiply-adds and the
      // softmax passes over it dominate: on the CPU query rows go in chunks that keep a block of
      // logits (kQueryChunk x block rows) in cache across those passes; a GPU takes them at once.
      const std::int64_t chunk = q.is_cpu() ? kQueryChunk : q.size(0);
      std::vector<at::Tensor> means;
      for (std::int64_t first = 0; first < q.size(0); first += chunk) {
        const std::int64_t rows = std::min(chunk, q.size(0) - first);
        means.push_back(softmax_weighted_mean(q.narrow(0, first, rows), a.narrow(0, first, rows), v.narrow(0, first, rows),
                                              g.candidates, block_rows_));
      }
      out.index_copy_(1, g.pixels, torch::cat(means).view({b, count, c}));
    }
    return out.permute({0, 2, 1}).reshape({b, c * hw}).to(x.scalar_type());
  }

 private:
  PatchSpec spec_;
  ImageShape shape_;
  PatchPlan plan_;
  std::int64_t block_rows_;
  std::vector<GroupCandidates> groups_;
  PosteriorCoefficients coefficients_;
};

}  // namespace

std::shared_ptr<const Denoiser> patch_denoiser(const PatchSpec& spec, const at::Tensor& training_rows,
                                               const ImageShape& shape, const Schedule& schedule, c10::Device device,
                                               std::int64_t block_rows) {
  return std::make_shared<PatchDenoiser>(spec, training_rows, shape, schedule, device, block_rows);
}

}  // namespace lindiff
