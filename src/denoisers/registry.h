// Owns the registry of denoiser kinds: one entry per kind, trained (linear, U-Net), analytic
// (Bayes, Wiener, empirical) or loaded (a TorchScript network), holding everything the rest of lindiff asks of a kind: its names, how the
// regulariser c enters, its config section, how to build and train it, whether an exact
// evaluation exists, its memory estimate and its figure style. The config names models by
// string; the registry parses them once (find_denoiser_kind) and below it every layer holds a
// `const DenoiserKind&`, so adding a model is one entry plus its module, and no code compares
// a model by its name.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>

#include "datasets/dataset.h"
#include "datasets/image_shape.h"
#include "src/analysis/dataset_context.h"
#include "src/common/memory_part.h"
#include "src/config/config.h"
#include "src/denoisers/diagonal_denoiser.h"
#include "src/diffusion/denoiser.h"
#include "src/figures/model_style.h"
#include "src/tensors/device.h"
#include "src/theory/model_evaluation.h"
#include "src/theory/schedule.h"
#include "src/training/training_loop.h"

namespace lindiff {

// How the regulariser c (docs/theory.md#regularisation-c) enters a kind.
enum class RegulariserForm {
  kExactPenalty,       // the loss on Sigma0 + c I, added as an exact penalty on the weights (linear)
  kNoiseAugmentation,  // sqrt(c) N(0, I) added to every training image (networks)
  kClosedForm,         // a parameter of the analytic formula (Wiener)
};

// What a trainable kind's builder gets for one cell.
struct ModelInputs {
  const TrainingSpec& training;
  Objective objective = Objective::kNoise;
  double c = 0;
  std::int64_t seed = 0;
  ImageShape shape;
  const Schedule& schedule;
  at::Tensor mean;  // mu0 [d] of the training set, on the CPU
};

// A built trainable model: the module (what checkpoints hold), the denoiser that evaluates it
// and what the training loop trains.
struct TrainableModel {
  std::shared_ptr<torch::nn::Module> module;
  std::shared_ptr<const Denoiser> denoiser;
  TrainingTarget target;
  // Kinds with an exact evaluation: the current weights [T, d, d] and biases [T, d].
  std::function<at::Tensor()> weights;
  std::function<at::Tensor()> biases;
};

// The TrainableModel of a LibTorch module holder (FooImpl + TORCH_MODULE(Foo)) whose forward(x, t)
// is the native prediction of in.objective: the module moved to training.device, its Denoiser and
// its training target (no penalty: c as augmentation unless the caller adds one).
template <class ModuleHolder>
TrainableModel trainable_module(ModuleHolder module, const ModelInputs& in) {
  const c10::Device device = torch_device(in.training.device);
  module->to(device);
  TrainableModel built;
  built.module = module.ptr();
  const auto forward = [module](const at::Tensor& x, const at::Tensor& t) mutable { return module->forward(x, t); };
  built.denoiser = std::make_shared<FunctionDenoiser>(in.schedule, in.objective, device, forward);
  built.target.predict = forward;
  built.target.parameters = module->parameters();
  built.target.module = built.module;
  return built;
}

// What the automatic learning rate of a kind may depend on (learning_rate 0 in its section).
struct RateInputs {
  const TrainingSpec& training;
  const Schedule& schedule;
  double max_eigenvalue = 0;  // of Sigma0
  double trace = 0;           // Tr Sigma0
  double c = 0;
  Index dim = 0;
};

// What a kind's choice of steps for `steps: auto` may depend on: one cell's training set.
struct StepInputs {
  const TrainingSpec& training;
  const EvaluationContext& evaluation;  // the training set's modes and the held-out moments
  Objective objective = Objective::kNoise;
  double c = 0;
  double learning_rate = 0;  // the resolved peak rate
};

// What a kind chose for `steps: auto`, and why.
struct StepPlan {
  std::int64_t steps = 0;
  bool reached = false;  // its target was met; false: max_steps came first
  std::string why;       // one line for the log
  // `steps` is only a cap: the cell checkpoints on the 1-2-5 grid and stops at the first checkpoint
  // from kFirstOpenEndedVerdict on where the convergence verdict holds (docs/convergence.md#steps-auto).
  bool until_converged = false;
};

// The first step at which an open-ended plan asks the verdict: earlier decades of a network's
// training can look flat on a plateau it has not yet left.
constexpr std::int64_t kFirstOpenEndedVerdict = 1000;

// `steps: auto` for a kind without a theory of its training: train decade by decade, at most
// `max_steps`, until the held-out loss stops falling (docs/convergence.md#steps-auto).
StepPlan open_ended_plan(std::int64_t max_steps);

// What a kind's memory estimate may depend on.
struct MemoryInputs {
  const ExperimentConfig& config;
  const Dataset& dataset;
  double timesteps = 0;  // T after respacing
};

// What an analytic kind's constructor gets.
struct AnalyticInputs {
  const Schedule& schedule;
  Objective objective = Objective::kNoise;  // its native prediction
  c10::Device device = c10::kCPU;
  const Population* population = nullptr;  // Bayes: the exact population
  const TrainingSet* training_set = nullptr;  // Wiener: the training set's moments
  const ModeSpace* modes = nullptr;           // Wiener: its eigenbasis as mode groups
  double c = 0;
  std::optional<GradientDescentStep> gradient_descent;  // Wiener: at this step of gradient descent
  at::Tensor training_rows;  // empirical optimum, patch machines: the training set [N, d] exactly as the denoisers see it
  ImageShape shape;          // patch machines: the images' shape
  int patch_size = 3;        // patch machines: odd patch size P
  ElsPadding els_padding = ElsPadding::kKambGanguli;  // els: its border convention
  double wiener_threshold = 0.005;  // wiener_local: the mask threshold, resolved (never 0 = the dataset's default)
};

// What an analytic kind's cost per query depends on.
struct CostInputs {
  const DenoiseSpec& spec;
  ImageShape shape;
  double n = 0;        // training-set size
  int patch_size = 3;  // the patch machines' P (denoise.patch_size, or a calibration candidate)
};

// How calibration against a network tunes an analytic kind (denoise.calibrate_against;
// docs/denoisers.md#calibration-against-a-network).
struct CalibrationKnob {
  std::string setting;  // its name in results.csv (calibrated_<setting>_<kind>): patch_size | threshold
  // The candidate values of the config's list that make sense for images of `shape`, ascending.
  std::function<std::vector<double>(const DenoiseSpec&, const ImageShape& shape)> candidates;
  // Sets `value` in the inputs the kind is made from.
  std::function<void(double value, AnalyticInputs&)> apply;
};

// What a loaded kind's loader gets: one entry of `networks:`.
struct LoadInputs {
  const NetworkSpec& network;
  std::string key;           // "networks.<i>", for messages
  const Schedule& schedule;  // the chain lindiff runs (respaced or not)
  ImageShape shape;
  c10::Device device = c10::kCPU;
};

// One kind of denoiser.
struct DenoiserKind {
  std::string name;          // the config's and results.csv's name
  std::string display_name;  // figures and report
  RegulariserForm regulariser = RegulariserForm::kNoiseAugmentation;
  bool exact_evaluation = false;  // closed-form losses, sampling distribution and KL from its weights
  ModelStyle style;

  // Trainable kinds (build set):
  // Its optimisation settings, a section of `training`.
  std::function<const OptimizerSpec&(const TrainingSpec&)> optimizer;
  // Copies the sections of `from` that shape its cells into `to` (the cell fingerprint).
  std::function<void(const TrainingSpec& from, TrainingSpec& to)> keep_sections;
  // Throws ConfigError, naming the key, when the settings cannot build it for images of `shape`.
  std::function<void(const TrainingSpec&, const ImageShape& shape)> check;
  std::function<TrainableModel(const ModelInputs&)> build;
  // The learning rate a section's rate of 0 stands for; unset: 0 is not a rate of this kind.
  std::function<double(const RateInputs&)> automatic_learning_rate;
  // The steps `steps: auto` stands for in one cell; unset: auto is refused for this kind.
  std::function<StepPlan(const StepInputs&)> automatic_steps;
  // Whether `training` trains it as the gradient-descent theory assumes (theory_gd rows).
  std::function<bool(const TrainingSpec&)> follows_gradient_descent_theory;
  // Its largest allocations when trained.
  std::function<std::vector<MemoryPart>(const MemoryInputs&)> memory;

  // Analytic kinds (make set):
  std::function<std::shared_ptr<const Denoiser>(const AnalyticInputs&)> make;
  bool needs_population = false;  // defined only for a dataset with an exact Gaussian population (Bayes)
  std::optional<CalibrationKnob> calibration;  // what calibration against a network tunes; none: not calibrated
  // Multiply-adds of one x0 prediction (one query); unset: negligible beside the others (O(d^2)).
  std::function<double(const CostInputs&)> query_cost;

  // Loaded kinds (load set): a network from a file, evaluated like a trained cell. Throws
  // ConfigError naming `key`.file when the file is not there, DataError naming the file when it
  // cannot be loaded or called as the entry says.
  std::function<std::shared_ptr<const Denoiser>(const LoadInputs&)> load;

  bool trainable() const { return static_cast<bool>(build); }
};

// The kind that loads `networks:` entries (TorchScript files).
const DenoiserKind& network_kind();

// Every kind, built-in first, in the order figures list them.
std::vector<const DenoiserKind*> denoiser_kinds();

// The kind called `name`; throws ConfigError naming `key` and the valid names.
const DenoiserKind& find_denoiser_kind(const std::string& name, const std::string& key = "training.models");

// Adds a kind (a test's toy model, a plug-in); throws std::invalid_argument when its name is taken.
// The entry lives for the whole process.
void register_denoiser_kind(DenoiserKind kind);

// The figure style of every kind.
std::vector<ModelStyle> model_styles();

// Throws ConfigError naming training.models.<i> when a model of `training` is not a trainable kind,
// or naming its steps when they are `auto` and the kind cannot choose them.
void check_model_names(const TrainingSpec& training);

// The training loop's options for one cell of `kind`: its section's optimizer, schedule, steps
// and batch, the learning rate (0 = the kind's automatic rate, `automatic_rate`), and c as
// noise augmentation where the kind takes it so.
TrainOptions train_options(const DenoiserKind& kind, const TrainingSpec& training, Objective objective, double c,
                           std::int64_t seed, double automatic_rate, const std::string& name);

}  // namespace lindiff
