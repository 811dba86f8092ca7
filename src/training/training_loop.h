// Owns the one training loop shared by every denoiser (THEORY.md section 1): minibatches
// from the training set, t uniform on 1..T (per row, or one per minibatch), fresh noise,
// the noise or data objective, an optional exact regulariser, SGD / Adam / AdamW, checkpoints,
// divergence detection and progress. Three seeded random streams (data order, noise,
// timesteps) make a run reproducible.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <ATen/core/Tensor.h>

#include "src/theory/schedule.h"

namespace lindiff {

// How to train.
struct TrainOptions {
  std::string objective = "noise";     // noise | data
  std::string optimizer = "sgd";       // sgd | adam | adamw
  double learning_rate = 1e-3;
  double weight_decay = 0;             // the optimizer's own weight decay (not the regulariser c)
  std::string lr_schedule = "constant";  // constant | cosine
  std::int64_t steps = 1000;           // optimizer steps (independent of N)
  std::int64_t batch_size = 128;
  bool one_t_per_batch = false;        // one timestep for the whole minibatch
  std::uint64_t seed = 0;
  std::vector<std::int64_t> checkpoints;  // steps at which `on_checkpoint` runs (0 = before training)
  std::string model_name = "model";    // named in error messages
};

// What the loop trains: predictions for noised inputs, an optional penalty (the exact
// regulariser of a linear model; empty when c acts as data augmentation), the parameters.
struct TrainingTarget {
  std::function<at::Tensor(const at::Tensor& x, const at::Tensor& t)> predict;
  std::function<at::Tensor(const at::Tensor& t)> penalty;
  std::vector<at::Tensor> parameters;
};

// Runs the loop on `data` ([N, d] float). Calls on_checkpoint(step) at every checkpoint
// step (sorted; step 0 before the first update). Throws NumericError naming the step, the
// timesteps and the model when the loss becomes NaN or infinite.
void train(const TrainingTarget& target, const at::Tensor& data, const Schedule& schedule,
           const TrainOptions& options, const std::function<void(std::int64_t step)>& on_checkpoint);

}  // namespace lindiff
