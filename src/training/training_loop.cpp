#include "src/training/training_loop.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <set>
#include <stdexcept>

#include <torch/torch.h>

#include "src/common/error.h"
#include "src/common/progress.h"
#include "src/diffusion/forward_process.h"

namespace lindiff {

namespace {

// Separate streams, so that e.g. changing the batch size's noise draws does not reorder data.
struct RandomStreams {
  explicit RandomStreams(std::uint64_t seed)
      : data(at::detail::createCPUGenerator(seed * 3 + 1)),
        noise(at::detail::createCPUGenerator(seed * 3 + 2)),
        time(at::detail::createCPUGenerator(seed * 3 + 3)) {}
  torch::Generator data, noise, time;
};

std::unique_ptr<torch::optim::Optimizer> make_optimizer(const TrainOptions& o, const std::vector<at::Tensor>& params) {
  if (o.optimizer == "sgd") {
    return std::make_unique<torch::optim::SGD>(params, torch::optim::SGDOptions(o.learning_rate).weight_decay(o.weight_decay));
  }
  if (o.optimizer == "adam") {
    return std::make_unique<torch::optim::Adam>(params, torch::optim::AdamOptions(o.learning_rate).weight_decay(o.weight_decay));
  }
  if (o.optimizer == "adamw") {
    return std::make_unique<torch::optim::AdamW>(params, torch::optim::AdamWOptions(o.learning_rate).weight_decay(o.weight_decay));
  }
  throw std::invalid_argument("unknown optimizer '" + o.optimizer + "' (valid: sgd, adam, adamw)");
}

double learning_rate_at(const TrainOptions& o, std::int64_t step) {
  if (o.lr_schedule != "cosine") return o.learning_rate;
  return 0.5 * o.learning_rate * (1.0 + std::cos(M_PI * static_cast<double>(step) / static_cast<double>(o.steps)));
}

void set_learning_rate(torch::optim::Optimizer& optimizer, double lr) {
  for (auto& group : optimizer.param_groups()) group.options().set_lr(lr);
}

}  // namespace

void train(const TrainingTarget& target, const at::Tensor& data, const Schedule& schedule, const TrainOptions& o,
           const std::function<void(std::int64_t step)>& on_checkpoint) {
  if (o.objective != "noise" && o.objective != "data") {
    throw std::invalid_argument("unknown objective '" + o.objective + "' (valid: noise, data)");
  }
  const std::int64_t n = data.size(0), steps_t = schedule.steps();
  const ScheduleTensors coefficients = schedule_tensors(schedule);
  RandomStreams streams(o.seed);
  auto optimizer = make_optimizer(o, target.parameters);
  std::set<std::int64_t> checkpoints(o.checkpoints.begin(), o.checkpoints.end());
  if (checkpoints.count(0)) on_checkpoint(0);

  Progress progress("training " + o.model_name, o.steps, "steps");
  for (std::int64_t step = 1; step <= o.steps; ++step) {
    const torch::Tensor rows = torch::randint(n, {o.batch_size}, streams.data, torch::kLong);
    const torch::Tensor x0 = data.index_select(0, rows);
    const torch::Tensor t = o.one_t_per_batch
                                ? torch::randint(1, steps_t + 1, {1}, streams.time, torch::kLong).expand({o.batch_size})
                                : torch::randint(1, steps_t + 1, {o.batch_size}, streams.time, torch::kLong);
    const torch::Tensor eps = torch::randn(x0.sizes(), streams.noise, torch::kFloat);
    torch::Tensor loss = denoising_loss(target.predict(noised(coefficients, x0, eps, t), t), x0, eps, o.objective);
    if (target.penalty) loss = loss + target.penalty(t);
    if (!std::isfinite(loss.item<double>())) {
      throw NumericError("training of " + o.model_name + " diverged at step " + std::to_string(step) +
                         ": loss = " + std::to_string(loss.item<double>()) + " for timesteps " +
                         std::to_string(t.min().item<std::int64_t>()) + ".." + std::to_string(t.max().item<std::int64_t>()) +
                         " (lower the learning rate); checkpoints written so far are intact");
    }
    set_learning_rate(*optimizer, learning_rate_at(o, step - 1));
    // Undefined (not zeroed) gradients: the optimizers skip them, so parameters this step did
    // not use (the other timesteps of a linear model) cost nothing.
    for (const at::Tensor& p : target.parameters) {
      if (p.grad().defined()) p.mutable_grad() = at::Tensor();
    }
    loss.backward();
    optimizer->step();
    progress.advance();
    if (checkpoints.count(step)) on_checkpoint(step);
  }
}

}  // namespace lindiff
