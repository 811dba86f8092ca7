#include "src/training/model_factory.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <torch/torch.h>

#include "models/linear_denoiser.h"
#include "models/unet.h"
#include "src/common/error.h"
#include "src/diffusion/forward_process.h"
#include "src/theory/diagonal_model.h"
#include "src/tensors/device.h"

namespace lindiff {

UNetOptions checked_unet_options(const UNetTrainingSpec& spec, const ImageShape& shape) {
  UNetOptions options{shape.channels, shape.height, shape.width, spec.base_channels, spec.depth, spec.groups, spec.time_dim};
  try {
    validate_unet_options(options);
  } catch (const std::invalid_argument& e) {
    throw ConfigError(std::string("training.unet: ") + e.what());
  }
  return options;
}

namespace {

constexpr double kDefaultUNetLearningRate = 2e-3;

BuiltModel build_linear(const CellModelSpec& cell, const LinearTrainingSpec& spec, std::int64_t d,
                        const Schedule& schedule, const at::Tensor& mean, const torch::Device& device) {
  LinearDenoiserOptions options{d, cell.objective, spec.init, spec.train_bias, static_cast<std::uint64_t>(cell.seed)};
  LinearDenoiser model(options, schedule_tensors(schedule).sqrt_abar);
  model->set_bias(mean);
  model->to(device);
  BuiltModel built;
  built.module = model.ptr();
  const double c = cell.c;
  built.predict = [model](const at::Tensor& x, const at::Tensor& t) mutable { return model->forward(x, t); };
  built.target.predict = built.predict;
  if (c > 0) built.target.penalty = [model, c](const at::Tensor& t) mutable { return model->penalty(t, c); };
  built.target.parameters = model->parameters();
  built.target.module = built.module;
  built.weights = [model] { return model->stacked_weights(); };
  built.biases = [model] { return model->stacked_biases(); };
  return built;
}

BuiltModel build_unet(const CellModelSpec& cell, const UNetTrainingSpec& spec, const ImageShape& shape,
                      const torch::Device& device) {
  const UNetOptions options = checked_unet_options(spec, shape);
  torch::manual_seed(static_cast<std::uint64_t>(cell.seed));  // LibTorch's initialisers draw from the global generator
  UNet model(options);
  model->to(device);
  BuiltModel built;
  built.module = model.ptr();
  built.predict = [model](const at::Tensor& x, const at::Tensor& t) mutable { return model->forward(x, t); };
  built.target.predict = built.predict;
  built.target.parameters = model->parameters();
  built.target.module = built.module;
  return built;
}

}  // namespace

BuiltModel build_model(const CellModelSpec& cell, const TrainingSpec& spec, const ImageShape& shape,
                       const Schedule& schedule, const at::Tensor& mean) {
  const torch::Device where = torch_device(spec.device);
  if (cell.model == "linear") return build_linear(cell, spec.linear, shape.size(), schedule, mean, where);
  if (cell.model == "unet") return build_unet(cell, spec.unet, shape, where);
  throw ConfigError("training.models: unknown model '" + cell.model + "' (valid: linear, unet)");
}

double default_linear_rate(const Schedule& schedule, double max_eigenvalue, double trace, double c, std::int64_t dim,
                           const LinearTrainingSpec& linear) {
  const double d = static_cast<double>(dim), batch = static_cast<double>(linear.batch_size);
  const double full_batch = default_learning_rate(schedule, max_eigenvalue, c, dim);
  const double rows_per_t = linear.one_t_per_batch ? batch : std::max(3.0, 2.0 * batch / static_cast<double>(schedule.steps()));
  const double second_moment = std::max(trace + c * d, d);
  return std::min(full_batch, batch * d / (2.0 * rows_per_t * second_moment));
}

TrainOptions train_options(const CellModelSpec& cell, const TrainingSpec& spec, std::int64_t steps_total,
                           double default_linear_rate, const std::string& name) {
  const bool linear = cell.model == "linear";
  const OptimizerSpec& m = spec.optimizer_of(cell.model);
  TrainOptions o;
  o.objective = cell.objective;
  o.optimizer = m.optimizer;
  o.learning_rate = m.learning_rate > 0 ? m.learning_rate : (linear ? default_linear_rate : kDefaultUNetLearningRate);
  o.weight_decay = m.weight_decay;
  o.lr_schedule = m.lr_schedule;
  o.steps = steps_total;
  o.batch_size = m.batch_size;
  o.one_t_per_batch = m.one_t_per_batch;
  o.seed = static_cast<std::uint64_t>(cell.seed);
  o.augment_std = linear ? 0.0 : std::sqrt(cell.c);  // docs/theory.md#regularisation-c: c is augmentation for the U-Net
  o.model_name = name;
  return o;
}

bool follows_gradient_descent_theory(const LinearTrainingSpec& linear) {
  return linear.optimizer == Optimizer::kSgd && linear.lr_schedule == LrSchedule::kConstant &&
         linear.init == LinearInit::kZero && !linear.train_bias && linear.weight_decay == 0;
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

}  // namespace lindiff
