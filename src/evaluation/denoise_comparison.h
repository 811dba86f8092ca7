// Owns the per-noise-level comparison of denoisers (docs/denoisers.md, docs/theory.md#comparing-denoisers):
// shared inputs x_t = sqrt(abar_t) x0 + sqrt(1 - abar_t) eps with the same x0 and eps for every
// denoiser, the analytic references' outputs computed once, and the rows that compare any
// denoiser's x0 predictions with the clean images (denoise_mse) and with each reference
// (agreement: MSE, r^2 around the reference's mean, Pearson). eps depends only on the seed, the
// split and the query's index, so a split's first rows see the same noise whatever the number
// of queries, and every training-set size N sees the same noise.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <ATen/core/Tensor.h>

#include "src/diffusion/denoiser.h"
#include "src/theory/schedule.h"

namespace lindiff {

// One split's shared inputs: M clean images, each noised once at every timestep of the grid.
struct DenoiseSplit {
  std::string name;  // train | test (the metric names' suffix)
  at::Tensor clean;  // [M, d] float, CPU
  at::Tensor noisy;  // [G, M, d] float, CPU: row g at timestep grid[g]
};

// The inputs of split `name`: `clean` [M, d] noised at each of `grid` (timesteps 1..T of
// `schedule`) with standard normal noise [G, draws, d] drawn from `seed`, of which the first M
// rows are used (draws >= M; a larger M extends, never changes, the noise of the first rows).
// Throws std::invalid_argument for a timestep outside 1..T or draws < M. O(G draws d).
DenoiseSplit shared_inputs(const std::string& name, const at::Tensor& clean, const std::vector<std::int64_t>& grid,
                           const Schedule& schedule, std::uint64_t seed, std::int64_t draws);

// What a comparison row carries besides the denoiser and its cell: t, metric and value.
using DenoiseRowSink = std::function<void(const std::string& t, const std::string& metric, double value)>;

// The shared inputs of one training set and the outputs of the analytic references on them.
class DenoiseComparison {
 public:
  DenoiseComparison(const Schedule& schedule, std::vector<std::int64_t> grid, std::vector<DenoiseSplit> splits);

  // The x0 predictions of `denoiser` for every input: one [G, M, d] float CPU tensor per split,
  // in batches of `batch` queries on the denoiser's device. O(G M) predictions.
  std::vector<at::Tensor> outputs(const Denoiser& denoiser, std::int64_t batch = 1024) const;
  // The same for split `s` alone: [G, M, d] float, CPU.
  at::Tensor split_outputs(const Denoiser& denoiser, std::size_t s, std::int64_t batch = 1024) const;

  // Computes the outputs of reference `name` (an analytic denoiser) once, for every later row.
  void add_reference(const std::string& name, const Denoiser& denoiser);

  // Rows of the denoiser called `name` with outputs `outputs` (from outputs()): per split and t,
  // denoise_mse_<split> and, against each reference other than itself,
  // agreement_{mse,r2,pearson}_<reference>_<split>. O(G M d (1 + references)).
  void add_rows(const std::string& name, const std::vector<at::Tensor>& outputs, const DenoiseRowSink& sink) const;

  const std::vector<std::int64_t>& grid() const { return grid_; }
  const std::vector<DenoiseSplit>& splits() const { return splits_; }
  const std::vector<std::string>& reference_names() const { return names_; }
  // Reference r's outputs, one tensor per split.
  const std::vector<at::Tensor>& reference_outputs(std::size_t r) const { return reference_outputs_[r]; }
  const Schedule& schedule() const { return schedule_; }

 private:
  const Schedule& schedule_;
  std::vector<std::int64_t> grid_;
  std::vector<DenoiseSplit> splits_;
  std::vector<std::string> names_;
  std::vector<std::vector<at::Tensor>> reference_outputs_;
};

// Rows comparing `samples` [K, d] with `reference_samples` [K, d] drawn by reference `reference`
// from the same noise (docs/denoisers.md#shared-noise-samples): sample_mse_<reference> (mean over
// samples and pixels), sample_r2_<reference> (pooled, as agreement()) and
// sample_r2_median_<reference> (median over samples of each sample's own r^2, NaN ones left out;
// NaN when all are). O(K d).
void add_sample_rows(const at::Tensor& samples, const std::string& reference, const at::Tensor& reference_samples,
                     const DenoiseRowSink& sink);

}  // namespace lindiff
