// Owns turning a cell of the training sweep into a LibTorch model ready for the shared loop:
// the linear denoiser or the U-Net with their options, seeded initialisation, the regulariser
// c in each model's form (exact penalty or noise augmentation), and the loop's options.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include <ATen/core/Tensor.h>

#include "datasets/image_shape.h"
#include "models/unet.h"
#include "src/config/config.h"
#include "src/theory/schedule.h"
#include "src/training/training_loop.h"  // also declares torch::nn::Module

namespace lindiff {

// What one cell trains.
struct CellModelSpec {
  std::string model;      // linear | unet
  Objective objective = Objective::kNoise;
  double c = 0;
  std::int64_t seed = 0;
};

// A built model: the module (for saving), what the loop needs, and the prediction function.
struct BuiltModel {
  std::shared_ptr<torch::nn::Module> module;
  TrainingTarget target;
  std::function<at::Tensor(const at::Tensor& x, const at::Tensor& t)> predict;
  // Linear only: stacked weights [T, d, d] and biases [T, d] of the current state.
  std::function<at::Tensor()> weights;
  std::function<at::Tensor()> biases;
};

// The U-Net options of `spec` for images of `shape`; throws ConfigError naming training.unet
// and the depths that fit when it cannot be built (checked before any cell trains).
UNetOptions checked_unet_options(const UNetTrainingSpec& spec, const ImageShape& shape);

// Builds the cell's model on training.device. The linear bias starts at mu0 (`mean`, [d]) and
// stays there unless train_bias. Throws ConfigError naming training.unet.depth when the U-Net
// does not fit the image shape.
BuiltModel build_model(const CellModelSpec& cell, const TrainingSpec& spec, const ImageShape& shape,
                       const Schedule& schedule, const at::Tensor& mean);

// The default learning rate of the linear model: the smaller of half the full-batch GD limit
// T d / (2 max(\lambda_{max} + c, 1)) and half the limit of one minibatch step on W_t,
// B d / (2 r m_2), where r rows share a timestep (B with one t per batch, else max(3, 2B/T))
// and m_2 = max(Tr \Sigma_0 + c d, d) bounds E||x_t - \sqrt{\bar\alpha_t} \mu_0||^2.
double default_linear_rate(const Schedule& schedule, double max_eigenvalue, double trace, double c, std::int64_t dim,
                           const LinearTrainingSpec& linear);

// The loop's options for the cell; a linear learning rate of 0 becomes `default_linear_rate`.
TrainOptions train_options(const CellModelSpec& cell, const TrainingSpec& spec, std::int64_t steps_total,
                           double default_linear_rate, const std::string& name);

// Whether the linear cell is trained as docs/theory.md#gradient-descent-dynamics assumes (plain constant-rate SGD
// from zero, bias held at mu0, no weight decay), so that GD theory rows apply in expectation.
bool follows_gradient_descent_theory(const LinearTrainingSpec& linear);

// Reads the module state saved with a checkpoint (Trainer::save) into `module`; throws
// DataError naming the file when it does not fit.
void load_module_state(torch::nn::Module& module, const std::string& checkpoint);

}  // namespace lindiff
