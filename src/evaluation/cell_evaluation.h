// Owns the evaluation of one trained cell of the sweep: at each checkpoint, Monte Carlo
// train and held-out losses for every model and, for the linear model, its exact losses and
// KLs next to the gradient-descent theory for the same step, each held-out loss also as its
// excess over the Bayes-optimal loss where the population is exact; at the end, its samples (sample
// KLs with their finite-M reference, per-mode variances, memorisation, image grids).
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <ATen/core/Tensor.h>

#include "src/analysis/convergence.h"
#include "src/analysis/dataset_context.h"
#include "src/evaluation/monte_carlo_loss.h"
#include "src/report/results_table.h"
#include "src/training/model_factory.h"

namespace lindiff {

// One cell of the sweep: the columns every one of its rows carries.
struct TrainingCell {
  std::string dataset;
  std::string model;
  Objective objective = Objective::kNoise;
  Index n = 0;
  double c = 0;
  std::int64_t seed = 0;

  // A readable, file-name-safe identifier, e.g. "synthetic_linear_noise_N64_c0_s0".
  std::string id() const;
};

// The rows of one cell.
class CellRows {
 public:
  CellRows(const TrainingCell& cell, std::int64_t d) : cell_(cell), d_(d) {}
  // Adds one number of the cell.
  void add(std::optional<std::int64_t> step, const std::string& t, const std::string& metric, double value,
           const std::string& source);
  // Adds the four KL metrics of `kl` (kl_metrics).
  void add_kl(std::int64_t step, const KlPair& kl, const std::string& source);
  ResultsTable& table() { return table_; }
  const ResultsTable& table() const { return table_; }

 private:
  const TrainingCell& cell_;
  std::int64_t d_;
  ResultsTable table_;
};

// Everything fixed for one training set while model, objective, c and seed vary: its
// statistics (from the dataset context), its rows as a tensor on the training device and the
// fixed Monte Carlo draws of its loss probe.
struct TrainingSetProbe {
  // O(N d) for the tensor, O(eval_samples d) for the probe.
  TrainingSetProbe(const DatasetContext& context, Index n);

  Index n;
  Eigen::Ref<const DataMatrix> rows;
  const TrainingSet& set;
  const TrainingModes& modes;
  Gaussian train;   // (mu0, Sigma0)
  at::Tensor data;  // [N, d] on training.device
  LossProbe probe;
  std::vector<Index> mode_ranks;  // log-spaced ranks with mode-variance rows
};

// The cell's held-out loss at each checkpoint of `rows`: exact for the linear model, Monte Carlo
// (with its standard error) otherwise; the training loss where the dataset has no held-out split.
// Where an excess over the Bayes-optimal loss was measured on the same draws (Gaussian data),
// that paired standard error stands for the loss's: the draws' common noise cancels in both.
std::vector<LossPoint> held_out_curve(const ResultsTable& rows, const std::string& model);

// The fixed Monte Carlo draws of a dataset's held-out split and, for an exact population, the
// per-draw losses of the Bayes-optimal denoiser of each trained objective on them.
struct HeldOutProbe {
  LossProbe probe;
  std::map<Objective, at::Tensor> bayes_losses;  // [draws] per trained objective; empty without an exact population
};

// The held-out probe of a dataset, or none when it has no held-out split.
std::optional<HeldOutProbe> held_out_probe(const DatasetContext& context);

// Evaluates one cell's model; keeps the exact sampled Gaussian of the last exact evaluation so
// the final samples need not recompute it.
class CellEvaluator {
 public:
  // `gd_theory`: add theory_gd rows (the linear cell is trained as docs/theory.md#gradient-descent-dynamics assumes).
  CellEvaluator(const DatasetContext& context, const TrainingSetProbe& set, const HeldOutProbe* held_out,
                const TrainingCell& cell, const BuiltModel& model, double learning_rate, bool gd_theory);

  // The rows of checkpoint `step`. Throws NumericError when the linear weights are not finite.
  void at_checkpoint(std::int64_t step, CellRows& rows);

  // The per-draw held-out Monte Carlo losses of the last checkpoint, [eval_samples] double
  // (undefined without a held-out split): kept so that the convergence verdict can compare two
  // checkpoints on the same draws.
  const at::Tensor& held_out_draws() const { return held_out_draws_; }

  // The rows of the final model's samples (taken at `step`), with samples.pt, grid.png and
  // neighbours.png written into `samples_dir`. Throws NumericError when samples are not finite.
  void final_samples(std::int64_t step, const std::filesystem::path& samples_dir, CellRows& rows);

 private:
  // excess_test_loss = test_loss - the Bayes-optimal loss (mean over t), for exact populations only.
  void add_excess_rows(CellRows& rows, std::int64_t step, double test_loss, const std::string& source) const;
  void add_mode_variance_rows(CellRows& rows, std::int64_t step, const Vector& variance, const std::string& source) const;

  const DatasetContext& context_;
  const TrainingSetProbe& set_;
  const HeldOutProbe* held_out_;
  const TrainingCell& cell_;
  const BuiltModel& model_;
  double learning_rate_;
  bool gd_theory_;
  at::Tensor held_out_draws_;
  std::int64_t exact_step_ = -1;  // the step `exact_sampled_` belongs to (linear model)
  Gaussian exact_sampled_;
};

}  // namespace lindiff
