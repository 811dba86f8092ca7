#include "src/training/training_loop.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <memory>
#include <set>
#include <sstream>
#include <stdexcept>

#include <torch/torch.h>

#include "src/common/atomic_file.h"
#include "src/common/error.h"
#include "src/common/progress.h"
#include "src/diffusion/forward_process.h"

namespace lindiff {

// Separate streams, so that e.g. changing the batch size's noise draws does not reorder data.
// (Not in the anonymous namespace: Trainer::State, declared in the header, holds one.)
struct TrainerRandomStreams {
  explicit TrainerRandomStreams(std::uint64_t seed)
      : data(at::detail::createCPUGenerator(seed * 3 + 1)),
        noise(at::detail::createCPUGenerator(seed * 3 + 2)),
        time(at::detail::createCPUGenerator(seed * 3 + 3)) {}
  torch::Generator data, noise, time;
};

namespace {

std::unique_ptr<torch::optim::Optimizer> make_optimizer(const TrainOptions& o, const std::vector<at::Tensor>& params) {
  switch (o.optimizer) {
    case Optimizer::kSgd:
      return std::make_unique<torch::optim::SGD>(params, torch::optim::SGDOptions(o.learning_rate).weight_decay(o.weight_decay));
    case Optimizer::kAdam:
      return std::make_unique<torch::optim::Adam>(params, torch::optim::AdamOptions(o.learning_rate).weight_decay(o.weight_decay));
    case Optimizer::kAdamW:
      return std::make_unique<torch::optim::AdamW>(params, torch::optim::AdamWOptions(o.learning_rate).weight_decay(o.weight_decay));
  }
  throw std::invalid_argument("make_optimizer: an optimizer outside the vocabulary");
}

void set_learning_rate(torch::optim::Optimizer& optimizer, double lr) {
  for (auto& group : optimizer.param_groups()) group.options().set_lr(lr);
}

// The saved average, one tensor per parameter or none (averaging not begun, or not kept).
std::vector<at::Tensor> read_average(torch::serialize::InputArchive& archive, const std::vector<at::Tensor>& parameters) {
  torch::Tensor size;
  if (!archive.try_read("average_size", size)) return {};
  std::vector<at::Tensor> average(static_cast<std::size_t>(size.item<std::int64_t>()));
  if (!average.empty() && average.size() != parameters.size()) {
    throw std::runtime_error("its weight average has " + std::to_string(average.size()) + " tensors for " +
                             std::to_string(parameters.size()) + " parameters");
  }
  for (std::size_t i = 0; i < average.size(); ++i) {
    archive.read("average_" + std::to_string(i), average[i]);
    if (!average[i].sizes().equals(parameters[i].sizes())) throw std::runtime_error("its weight average has another shape");
    average[i] = average[i].to(parameters[i].device(), parameters[i].scalar_type());
  }
  return average;
}

}  // namespace

struct Trainer::State {
  TrainingTarget target;
  torch::Tensor data;
  ScheduleTensors coefficients;
  std::int64_t timesteps;
  TrainOptions options;
  TrainerRandomStreams streams;
  std::unique_ptr<torch::optim::Optimizer> optimizer;
  std::int64_t step = 0;
  // Set by load(): the checkpoint's own step was handled by the run that saved it (a run
  // saved at step 0 must not report step 0 twice).
  bool restored = false;
  // The average of the parameters (ema_decay > 0), defined once averaging has begun.
  std::vector<at::Tensor> average;

  // After step s > ema_start: the first such step copies the weights, later ones move the
  // average towards them with decay min(ema_decay, (1 + n) / (10 + n)), n = s - ema_start - 1
  // updates averaged so far (an early average must not hold on to its first weights).
  void update_average() {
    const TrainOptions& o = options;
    if (o.ema_decay <= 0 || step <= o.ema_start) return;
    torch::NoGradGuard no_grad;
    if (average.empty()) {
      for (const at::Tensor& p : target.parameters) average.push_back(p.detach().clone());
      return;
    }
    const double n = static_cast<double>(step - o.ema_start - 1);
    const double decay = std::min(o.ema_decay, (1.0 + n) / (10.0 + n));
    at::_foreach_mul_(average, decay);
    at::_foreach_add_(average, target.parameters, 1.0 - decay);
  }

  // One optimizer step; returns the minibatch loss.
  void update() {
    const TrainOptions& o = options;
    const torch::Device device = data.device();
    const torch::Tensor rows = torch::randint(data.size(0), {o.batch_size}, streams.data, torch::kLong).to(device);
    torch::Tensor x0 = data.index_select(0, rows);
    const torch::Tensor t = (o.one_t_per_batch
                                 ? torch::randint(1, timesteps + 1, {1}, streams.time, torch::kLong).expand({o.batch_size})
                                 : torch::randint(1, timesteps + 1, {o.batch_size}, streams.time, torch::kLong))
                                .to(device);
    if (o.augment_std > 0) {
      x0 = x0 + o.augment_std * torch::randn(x0.sizes(), streams.noise, torch::kFloat).to(device);
    }
    const torch::Tensor eps = torch::randn(x0.sizes(), streams.noise, torch::kFloat).to(device);
    torch::Tensor loss = denoising_loss(target.predict(noised(coefficients, x0, eps, t), t), x0, eps, o.objective);
    if (target.penalty) loss = loss + target.penalty(t);
    const double value = loss.item<double>();
    if (!std::isfinite(value)) {
      throw NumericError("training of " + o.model_name + " diverged at step " + std::to_string(step + 1) +
                         ": loss = " + std::to_string(value) + " for timesteps " +
                         std::to_string(t.min().item<std::int64_t>()) + ".." + std::to_string(t.max().item<std::int64_t>()) +
                         " (lower the learning rate); checkpoints written so far are intact");
    }
    set_learning_rate(*optimizer, o.rate_schedule().at(step));
    // Undefined (not zeroed) gradients: the optimizers skip them, so parameters this step did
    // not use (the other timesteps of a linear model) cost nothing.
    for (const at::Tensor& p : target.parameters) {
      if (p.grad().defined()) p.mutable_grad() = at::Tensor();
    }
    loss.backward();
    optimizer->step();
    ++step;
    update_average();
  }
};

Trainer::Trainer(TrainingTarget target, at::Tensor data, const Schedule& schedule, TrainOptions options) {
  ScheduleTensors coefficients = schedule_tensors(schedule);
  coefficients.sqrt_abar = coefficients.sqrt_abar.to(data.device());
  coefficients.sqrt_one_minus_abar = coefficients.sqrt_one_minus_abar.to(data.device());
  auto optimizer = make_optimizer(options, target.parameters);
  const std::uint64_t seed = options.seed;
  state_.reset(new State{std::move(target), std::move(data), coefficients, schedule.steps(), std::move(options),
                         TrainerRandomStreams(seed), std::move(optimizer), 0, false, {}});
}

Trainer::~Trainer() = default;

std::int64_t Trainer::step() const { return state_->step; }

std::int64_t Trainer::run(const std::function<bool(std::int64_t step)>& on_checkpoint) {
  State& s = *state_;
  const std::set<std::int64_t> checkpoints(s.options.checkpoints.begin(), s.options.checkpoints.end());
  if (s.step == 0 && !s.restored && checkpoints.count(0) && !on_checkpoint(0)) return 0;
  Progress progress("training " + s.options.model_name, s.options.steps - s.step, "steps");
  while (s.step < s.options.steps) {
    s.update();
    progress.advance();
    if (checkpoints.count(s.step) && !on_checkpoint(s.step)) break;
  }
  return s.step;
}

void Trainer::save(const std::string& path) const {
  const State& s = *state_;
  torch::serialize::OutputArchive archive;
  archive.write("step", torch::tensor(s.step, torch::kLong));
  archive.write("identity", c10::IValue(s.options.identity));
  if (s.target.module) {
    torch::serialize::OutputArchive module;
    s.target.module->save(module);
    archive.write("module", module);
  } else {
    for (std::size_t i = 0; i < s.target.parameters.size(); ++i) {
      archive.write("parameter_" + std::to_string(i), s.target.parameters[i].detach());
    }
  }
  torch::serialize::OutputArchive optimizer;
  s.optimizer->save(optimizer);
  archive.write("optimizer", optimizer);
  archive.write("rng_data", s.streams.data.get_state());
  archive.write("rng_noise", s.streams.noise.get_state());
  archive.write("rng_time", s.streams.time.get_state());
  archive.write("average_size", torch::tensor(static_cast<std::int64_t>(s.average.size()), torch::kLong));
  for (std::size_t i = 0; i < s.average.size(); ++i) archive.write("average_" + std::to_string(i), s.average[i]);
  // Serialised in memory first: LibTorch's file writer aborts the process on a full disk.
  std::ostringstream bytes;
  archive.save_to(bytes);
  write_file_atomically(path, bytes.str());
}

void Trainer::load(const std::string& path) {
  State& s = *state_;
  try {
    torch::serialize::InputArchive archive;
    archive.load_from(path, s.data.device());  // a checkpoint saved on a GPU loads on a CPU and the reverse
    torch::Tensor step;
    archive.read("step", step);
    c10::IValue identity;
    if (archive.try_read("identity", identity) && identity.isString() && identity.toStringRef() != s.options.identity) {
      throw DataError("checkpoint '" + path + "' belongs to another cell (" + identity.toStringRef() + "; this cell is " +
                      s.options.identity + "): delete it to start this cell again");
    }
    if (step.numel() != 1 || step.item<std::int64_t>() < 0 || step.item<std::int64_t>() > s.options.steps) {
      throw DataError("checkpoint '" + path + "' is at step " + (step.numel() == 1 ? std::to_string(step.item<std::int64_t>()) : "?") +
                      ", outside this cell's 0.." + std::to_string(s.options.steps) + ": delete it to start this cell again");
    }
    torch::NoGradGuard no_grad;
    if (s.target.module) {
      torch::serialize::InputArchive module;
      archive.read("module", module);
      s.target.module->load(module);
    } else {
      for (std::size_t i = 0; i < s.target.parameters.size(); ++i) {
        torch::Tensor saved;
        archive.read("parameter_" + std::to_string(i), saved);
        if (!saved.sizes().equals(s.target.parameters[i].sizes())) {
          throw std::runtime_error("parameter " + std::to_string(i) + " has a different shape");
        }
        s.target.parameters[i].copy_(saved);
      }
    }
    torch::serialize::InputArchive optimizer;
    archive.read("optimizer", optimizer);
    s.optimizer->load(optimizer);
    torch::Tensor rng;
    archive.read("rng_data", rng);
    s.streams.data.set_state(rng.cpu());
    archive.read("rng_noise", rng);
    s.streams.noise.set_state(rng.cpu());
    archive.read("rng_time", rng);
    s.streams.time.set_state(rng.cpu());
    s.average = read_average(archive, s.target.parameters);
    s.step = step.item<std::int64_t>();
    s.restored = true;
  } catch (const DataError&) {
    throw;
  } catch (const c10::Error& e) {
    // what() carries LibTorch's C++ backtrace: twenty lines in front of the advice.
    throw DataError("checkpoint '" + path + "' cannot be resumed: " + e.what_without_backtrace() +
                    " (delete it to start this cell again)");
  } catch (const std::exception& e) {
    throw DataError("checkpoint '" + path + "' cannot be resumed: " + e.what() + " (delete it to start this cell again)");
  }
}

bool Trainer::averaging() const { return state_->options.ema_decay > 0; }

void Trainer::swap_average() {
  State& s = *state_;
  torch::NoGradGuard no_grad;
  for (std::size_t i = 0; i < s.average.size(); ++i) {
    const at::Tensor weights = s.target.parameters[i].detach().clone();
    s.target.parameters[i].copy_(s.average[i]);
    s.average[i].copy_(weights);
  }
}

void load_module_state(torch::nn::Module& module, const std::string& checkpoint) {
  try {
    // Onto the module's own device, whichever device saved the checkpoint.
    const std::vector<torch::Tensor> parameters = module.parameters();
    torch::serialize::InputArchive archive;
    archive.load_from(checkpoint, parameters.empty() ? torch::Device(torch::kCPU) : parameters.front().device());
    torch::serialize::InputArchive state;
    archive.read("module", state);
    module.load(state);
  } catch (const c10::Error& e) {
    throw DataError("checkpoint '" + checkpoint + "' cannot be read: " + e.what_without_backtrace());
  }
}

void train(const TrainingTarget& target, const at::Tensor& data, const Schedule& schedule, const TrainOptions& options,
           const std::function<void(std::int64_t step)>& on_checkpoint) {
  Trainer trainer(target, data, schedule, options);
  trainer.run([&](std::int64_t step) {
    on_checkpoint(step);
    return true;
  });
}

}  // namespace lindiff
