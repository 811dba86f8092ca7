// Owns the `denoise:` stage of the training sweep (docs/denoisers.md): for each training-set size
// N, the shared inputs (the first training images and the first held-out images, noised at the
// config's t grid with noise shared by every denoiser and every N), the analytic references of
// denoise.references built through the denoiser registry, their rows (written once per N beside
// the arrays and read back by a resumed or later shard), the rows of every trained cell at each
// of its checkpoints, and the .npy arrays listed in denoise/<dataset>/index.json.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>

#include "src/analysis/dataset_context.h"
#include "src/denoisers/registry.h"
#include "src/evaluation/cell_evaluation.h"
#include "src/evaluation/denoise_comparison.h"
#include "src/report/results_table.h"

namespace lindiff {

// Throws ConfigError naming denoise.references.<i> when a name is not an analytic denoiser, or
// is bayes on a dataset without an exact population. O(references).
void check_denoise_plan(const ExperimentConfig& config, const Dataset& dataset);

// The stage of one dataset; inactive when the config names no references.
class DenoiseStage {
 public:
  // Arrays and reference rows go to `run_dir`/denoise/<dataset label>.
  DenoiseStage(const DatasetContext& context, const std::filesystem::path& run_dir);
  bool active() const { return active_; }

  // The reference rows of training size n: computed now (with the arrays and
  // denoise/<label>/N<n>/reference_rows.csv) or read back from that file. O(G M) predictions per
  // reference, the empirical optimum's at O(N d) each.
  ResultsTable reference_rows(Index n);
  // Adds the rows of a cell's model `denoiser` at checkpoint `step` (computes the references of
  // the cell's N first when they are not in memory).
  void add_cell_rows(const TrainingCell& cell, const Denoiser& denoiser, std::int64_t step, CellRows& rows);
  // The cell's reported model `denoiser`, taken at `step`: its samples from the references' shared
  // noise compared one to one with theirs (rows, and the grid `samples_dir`/shared_noise.png:
  // network | references | calibrated machines | nearest training image), and (when
  // denoise.arrays) its x0 predictions and samples as .npy.
  void finish_cell(const TrainingCell& cell, const Denoiser& denoiser, std::int64_t step,
                   const std::filesystem::path& samples_dir, CellRows& rows);
  // Writes denoise/<label>/index.json: every array in the folder with its role, split, N,
  // denoiser, timesteps, alpha-bars, shape and type.
  void write_index() const;

 private:
  const DenoiseComparison& comparison(Index n);
  // The first kGridSamples network samples, each beside the references' and then `more` samples
  // (the calibrated machines') from the same noise, and its nearest training image.
  void write_sample_grid(const at::Tensor& samples, const std::vector<at::Tensor>& more,
                         const std::filesystem::path& path) const;
  // The linearisation rows of a cell's reported model, its grid `samples_dir`/jacobian_wiener.png
  // (and, with arrays, its Jacobian rows and the Wiener rows): at each t of the grid, on the first kJacobianQueries held-out inputs, at the
  // centre pixel. Nothing for a denoiser without a gradient.
  void add_linearisation_rows(const TrainingCell& cell, const Denoiser& denoiser, std::int64_t step,
                              const std::filesystem::path& samples_dir, CellRows& rows);
  // The grid `path` (jacobian_wiener.png): per t of the grid, the Jacobian row of the first input,
  // the mean Jacobian row and the Wiener row, each scaled so that mid grey is 0.
  void write_jacobian_grid(const std::vector<at::Tensor>& jacobians, const std::vector<at::Tensor>& wiener_rows,
                           const std::filesystem::path& path) const;
  static constexpr std::int64_t kJacobianQueries = 8;
  // The calibration rows of a cell's reported model `denoiser` (when its model is
  // denoise.calibrate_against): per t and local reference (a kind with a calibration knob), the
  // candidate setting that predicts the network's held-out outputs best, and its agreement on the
  // other half of them (src/evaluation/calibration.h). O(candidates) references' outputs.
  // With the network's shared-noise `samples` (undefined when denoise.samples is 0), each
  // calibrated machine also samples from that noise with its setting per t
  // (settings_per_timestep): rows sample_*_<kind>_calibrated, and with arrays
  // samples_<kind>_calibrated_<cell>.npy. Returns those samples, in reference order.
  std::vector<at::Tensor> add_calibration_rows(const TrainingCell& cell, const Denoiser& denoiser, std::int64_t step,
                                               const at::Tensor& samples, CellRows& rows);
  // What the analytic references of training size n_ are made from, on training rows `rows`.
  AnalyticInputs analytic_inputs(const at::Tensor& rows) const;
  // Row p of the Wiener filter of training size n_ at timestep t: [d] double.
  at::Tensor wiener_row(std::int64_t t, std::int64_t p) const;
  static constexpr std::int64_t kGridSamples = 16;
  std::filesystem::path n_dir(Index n) const;

  const DatasetContext& context_;
  std::filesystem::path dir_;
  bool active_ = false;
  Index n_ = 0;
  std::unique_ptr<DenoiseComparison> comparison_;  // of training size n_
  std::vector<at::Tensor> reference_samples_;      // [K, d] per reference, of training size n_
  at::Tensor training_rows_;                       // [N, d] of n_, on the CPU (nearest training images)
  at::Tensor covariance_values_, covariance_vectors_;  // eigensystem of the 1/N covariance of n_ (double)
};

}  // namespace lindiff
