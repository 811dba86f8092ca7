// Owns the one training loop shared by every denoiser (docs/theory.md#forward-process-and-objectives): minibatches
// from the training set, t uniform on 1..T (per row, or one per minibatch), fresh noise,
// the noise or data objective, an optional exact regulariser, SGD / Adam / AdamW, checkpoints,
// divergence detection and progress. Three seeded random streams (data order, noise,
// timesteps) make a run reproducible.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <ATen/core/Tensor.h>

#include "src/config/vocabulary.h"
#include "src/theory/objective.h"
#include "src/theory/rate_schedule.h"
#include "src/theory/schedule.h"

namespace torch {
namespace nn {
class Module;
}
}  // namespace torch

namespace lindiff {

// How to train.
struct TrainOptions {
  Objective objective = Objective::kNoise;
  Optimizer optimizer = Optimizer::kSgd;
  double learning_rate = 1e-3;
  double weight_decay = 0;             // the optimizer's own weight decay (not the regulariser c)
  RateShape rate_shape;                // warm-up and decay of the rate (learning_rate is the peak)
  std::int64_t steps = 1000;           // optimizer steps (independent of N)
  std::int64_t batch_size = 128;
  bool one_t_per_batch = false;        // one timestep for the whole minibatch
  std::uint64_t seed = 0;
  double augment_std = 0;              // x0 + augment_std z per minibatch (c as augmentation: sqrt(c))
  double ema_decay = 0;                // average of the weights (docs/convergence.md#weight-averaging); 0 = none
  std::int64_t ema_start = 0;          // the step after which averaging begins
  std::vector<std::int64_t> checkpoints;  // steps at which `on_checkpoint` runs (0 = before training)
  std::string model_name = "model";    // named in error messages
  // Saved in every checkpoint and checked by load() before anything is restored: a checkpoint
  // of another cell (other settings, d or steps) copied or left in this cell's folder is refused.
  std::string identity;

  // The rate of every step: learning_rate shaped by rate_shape over `steps`.
  RateSchedule rate_schedule() const { return RateSchedule{rate_shape, learning_rate, steps}; }
};

// What the loop trains: predictions for noised inputs, an optional penalty (the exact
// regulariser of a linear model; empty when c acts as data augmentation), the parameters.
struct TrainingTarget {
  std::function<at::Tensor(const at::Tensor& x, const at::Tensor& t)> predict;
  std::function<at::Tensor(const at::Tensor& t)> penalty;
  std::vector<at::Tensor> parameters;
  // Optional: the module holding the parameters; when set, checkpoints save its whole state
  // (buffers such as a fixed bias included), so a checkpoint alone rebuilds the model.
  std::shared_ptr<torch::nn::Module> module;
};

// The loop's resumable state: step, optimizer state and the three random streams, saved
// together with the parameters (or the whole module), so one file restores a run exactly.
class Trainer {
 public:
  Trainer(TrainingTarget target, at::Tensor data, const Schedule& schedule, TrainOptions options);
  ~Trainer();
  Trainer(const Trainer&) = delete;
  Trainer& operator=(const Trainer&) = delete;

  // Trains from the current step on. At every checkpoint step (step 0 before the first
  // update, unless load() restored a run saved there) calls on_checkpoint(step); a false
  // return stops training there (early stopping).
  // Returns the step reached. Throws NumericError on a NaN or infinite loss.
  std::int64_t run(const std::function<bool(std::int64_t step)>& on_checkpoint);

  // Optimizer steps done so far.
  std::int64_t step() const;
  // Writes parameters, optimizer state, random streams and step to `path` (atomically:
  // a temporary file renamed into place, so a kill never leaves a torn checkpoint).
  void save(const std::string& path) const;
  // Restores what save() wrote; throws DataError naming the file when it does not fit.
  void load(const std::string& path);

  // Whether the run keeps an average of its weights (ema_decay > 0).
  bool averaging() const;
  // Exchanges the parameters' values with their average (a no-op before averaging has begun):
  // called twice around an evaluation of the average. save() expects the weights themselves.
  void swap_average();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// Reads the module state saved with a checkpoint (Trainer::save) into `module`, onto the
// module's own device whichever device saved it; throws DataError naming the file when it does not fit.
void load_module_state(torch::nn::Module& module, const std::string& checkpoint);

// Runs the loop on `data` ([N, d] float) from step 0 to the end (a Trainer without saving). Calls on_checkpoint(step) at every checkpoint
// step (sorted; step 0 before the first update). Throws NumericError naming the step, the
// timesteps and the model when the loss becomes NaN or infinite.
void train(const TrainingTarget& target, const at::Tensor& data, const Schedule& schedule,
           const TrainOptions& options, const std::function<void(std::int64_t step)>& on_checkpoint);

}  // namespace lindiff
