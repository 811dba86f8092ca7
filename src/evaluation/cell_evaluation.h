// Owns the evaluation of one trained cell of the sweep through its Denoiser: at each checkpoint,
// Monte Carlo train and held-out losses and, for kinds with an exact evaluation (the linear
// model), its exact losses and KLs next to the gradient-descent theory for the same step, each
// held-out loss also as its excess over the Bayes-optimal loss where the population is exact;
// at the end, its samples (sample KLs with their finite-M reference, per-mode variances,
// memorisation, image grids). Each checkpoint also returns, as values, the losses the run acts
// on (early stopping, the convergence verdict).
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
#include "src/denoisers/registry.h"
#include "src/evaluation/monte_carlo_loss.h"
#include "src/report/results_table.h"
#include "src/theory/rate_schedule.h"

namespace lindiff {

// One cell of the sweep: the columns every one of its rows carries.
struct TrainingCell {
  std::string dataset;
  const DenoiserKind* kind = nullptr;
  Objective objective = Objective::kNoise;
  Index n = 0;
  double c = 0;
  std::int64_t seed = 0;
  const NetworkSpec* network = nullptr;  // a loaded network's entry (kind->load); null for trained cells

  // The `model` column of its rows: the kind's name, or a loaded network's own.
  std::string model() const { return network ? network->name : kind->name; }
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

// The fixed Monte Carlo draws of a dataset's held-out split and, for an exact population, the
// per-draw losses of the Bayes-optimal denoiser of each trained objective on them.
struct HeldOutProbe {
  LossProbe probe;
  std::map<Objective, at::Tensor> bayes_losses;  // [draws] per trained objective; empty without an exact population
};

// The held-out probe of a dataset, or none when it has no held-out split.
std::optional<HeldOutProbe> held_out_probe(const DatasetContext& context);

// What the run acts on after one checkpoint.
struct CheckpointLosses {
  std::int64_t step = 0;
  // The held-out loss that picks the reported (best) checkpoint and drives early stopping: the
  // exact one where the kind has an exact evaluation, else the Monte Carlo one; none without a
  // held-out split.
  std::optional<double> held_out;
  // The point of the curve the convergence verdict judges: the exact held-out loss where the kind
  // has an exact evaluation, else the held-out Monte Carlo loss with the standard error of its
  // excess over the Bayes-optimal loss on the same draws where measured (the draws' common noise
  // cancels in both), else its own; the training loss without a held-out split. Without draws.
  LossPoint verdict;
  // Whether `verdict` is a Monte Carlo loss (its per-draw values are kept beside the checkpoint).
  bool monte_carlo = true;
};

// Evaluates one cell's model; keeps the exact sampled Gaussian of the last exact evaluation so
// the final samples need not recompute it.
class CellEvaluator {
 public:
  // `gd_theory`: add theory_gd rows (the cell is trained as docs/theory.md#gradient-descent-dynamics assumes,
  // with the rates of `rate`).
  CellEvaluator(const DatasetContext& context, const TrainingSetProbe& set, const HeldOutProbe* held_out,
                const TrainingCell& cell, const TrainableModel& model, RateSchedule rate, bool gd_theory);

  // Adds the rows of checkpoint `step` and returns the losses the run acts on. Throws
  // NumericError when the weights of an exactly evaluated model are not finite.
  CheckpointLosses at_checkpoint(std::int64_t step, CellRows& rows);
  // The held-out Monte Carlo loss of the model as it is now (the weights themselves where the
  // cell evaluates their average) as raw_test_loss rows; nothing without a held-out split.
  void add_raw_held_out(std::int64_t step, CellRows& rows);

  // The per-draw held-out Monte Carlo losses of the last checkpoint, [eval_samples] double
  // (undefined without a held-out split): kept so that the convergence verdict can compare two
  // checkpoints on the same draws.
  const at::Tensor& held_out_draws() const { return held_out_draws_; }

  // The rows of the final model's samples (taken at `step`), with samples.pt, grid.png and
  // neighbours.png written into `samples_dir`. Throws NumericError when samples are not finite.
  void final_samples(std::int64_t step, const std::filesystem::path& samples_dir, CellRows& rows);

 private:
  // Exact losses, KLs and (with gd_theory) the theory at this step; returns the exact test loss.
  double add_exact_rows(std::int64_t step, CellRows& rows);
  // excess_test_loss = test_loss - the Bayes-optimal loss (mean over t), for exact populations only.
  void add_excess_rows(CellRows& rows, std::int64_t step, double test_loss, const std::string& source) const;
  void add_mode_variance_rows(CellRows& rows, std::int64_t step, const Vector& variance, const std::string& source) const;

  const DatasetContext& context_;
  const TrainingSetProbe& set_;
  const HeldOutProbe* held_out_;
  const TrainingCell& cell_;
  const TrainableModel& model_;
  RateSchedule rate_;
  bool gd_theory_;
  at::Tensor held_out_draws_;
  std::int64_t exact_step_ = -1;  // the step `exact_sampled_` belongs to
  Gaussian exact_sampled_;
};

}  // namespace lindiff
