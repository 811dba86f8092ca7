// Owns the early-stopping rule of the training loop: stop once the held-out loss has not
// improved for `patience` checkpoints, and remember the best checkpoint.
#pragma once

#include <cstdint>
#include <limits>

namespace lindiff {

// Early stopping on a held-out loss observed at checkpoints.
class EarlyStopping {
 public:
  // patience 0 never stops. Checkpoints before `warm_up_steps` update the best but never count
  // toward patience: log-spaced checkpoints are only a few steps apart at first, where SGD noise
  // can outweigh the progress.
  EarlyStopping(int patience, double warm_up_steps) : patience_(patience), warm_up_steps_(warm_up_steps) {}

  // Records the loss at `step` (steps in increasing order); false when training should stop.
  bool observe(std::int64_t step, double loss) {
    if (loss < best_loss_) {
      best_loss_ = loss;
      best_step_ = step;
      since_best_ = 0;
      return true;
    }
    if (patience_ == 0 || static_cast<double>(step) < warm_up_steps_) return true;
    return ++since_best_ < patience_;
  }
  // The step of the lowest loss so far; -1 before any observation.
  std::int64_t best_step() const { return best_step_; }

 private:
  int patience_;
  double warm_up_steps_;
  double best_loss_ = std::numeric_limits<double>::infinity();
  std::int64_t best_step_ = -1;
  int since_best_ = 0;
};

}  // namespace lindiff
