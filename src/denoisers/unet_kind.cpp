// The U-Net's registry entry: c as noise augmentation of the training images, evaluated by
// Monte Carlo and by its samples.
#include <cstdio>
#include <stdexcept>
#include <string>

#include <torch/torch.h>

#include "models/unet.h"
#include "src/common/error.h"
#include "src/denoisers/builtin_kinds.h"
#include "src/tensors/device.h"

namespace lindiff {

namespace {

constexpr double kAutomaticUNetRate = 2e-3;

// The U-Net options of `spec` for images of `shape`; throws ConfigError naming training.unet
// and the depths that fit when it cannot be built.
UNetOptions checked_unet_options(const UNetTrainingSpec& spec, const ImageShape& shape) {
  UNetOptions options{shape.channels, shape.height, shape.width, spec.base_channels, spec.depth, spec.groups, spec.time_dim,
                      spec.precision == Precision::kBFloat16 ? c10::ScalarType::BFloat16 : c10::ScalarType::Float};
  try {
    validate_unet_options(options);
  } catch (const std::invalid_argument& e) {
    throw ConfigError(std::string("training.unet: ") + e.what());
  }
  return options;
}

TrainableModel build_unet(const ModelInputs& in) {
  const UNetOptions options = checked_unet_options(in.training.unet, in.shape);
  torch::manual_seed(static_cast<std::uint64_t>(in.seed));  // LibTorch's initialisers draw from the global generator
  return trainable_module(UNet(options), in);
}

std::vector<MemoryPart> unet_memory(const MemoryInputs& in) {
  const UNetTrainingSpec& unet = in.config.training.unet;
  const double activations = static_cast<double>(unet.batch_size * unet.base_channels) * in.dataset.shape.height *
                             in.dataset.shape.width * 4 * 60;
  UNetOptions shape;
  shape.channels = in.dataset.shape.channels;
  shape.base_channels = unet.base_channels;
  shape.depth = unet.depth;
  shape.time_dim = unet.time_dim;
  // Weights, gradients, Adam's two moments and the checkpoint's copy, in float.
  const double parameters = unet_parameter_count(shape);
  char count[32];
  std::snprintf(count, sizeof count, "%.3g", parameters);
  return {{"the U-Net's activations", activations, "training.unet.batch_size or training.unet.base_channels", true},
          {std::string("the U-Net's ") + count + " parameters with gradients, optimizer state and checkpoint",
           parameters * 4 * 5, "training.unet.base_channels, training.unet.depth or training.unet.time_dim", true}};
}

}  // namespace

DenoiserKind unet_kind() {
  DenoiserKind kind;
  kind.name = "unet";
  kind.display_name = "U-Net";
  kind.regulariser = RegulariserForm::kNoiseAugmentation;
  kind.style = ModelStyle{kind.name, kind.display_name, 2};
  kind.optimizer = [](const TrainingSpec& training) -> const OptimizerSpec& { return training.unet; };
  kind.keep_sections = [](const TrainingSpec& from, TrainingSpec& to) { to.unet = from.unet; };
  kind.check = [](const TrainingSpec& training, const ImageShape& shape) { checked_unet_options(training.unet, shape); };
  kind.build = build_unet;
  kind.automatic_learning_rate = [](const RateInputs&) { return kAutomaticUNetRate; };
  kind.automatic_steps = [](const StepInputs& in) { return open_ended_plan(in.training.unet.max_steps); };
  kind.memory = unet_memory;
  return kind;
}

}  // namespace lindiff
