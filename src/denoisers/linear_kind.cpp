// The linear denoiser's registry entry: one affine map per timestep (docs/theory.md#linear-denoiser-parameterisation),
// c as its exact penalty, evaluated exactly through the theory.
#include <algorithm>
#include <cmath>

#include <torch/torch.h>

#include "models/linear_denoiser.h"
#include "src/common/error.h"
#include "src/denoisers/builtin_kinds.h"
#include "src/denoisers/linear_steps.h"
#include "src/tensors/device.h"
#include "src/theory/diagonal_model.h"

namespace lindiff {

namespace {

TrainableModel build_linear(const ModelInputs& in) {
  const LinearTrainingSpec& spec = in.training.linear;
  LinearDenoiserOptions options{in.shape.size(), in.objective, spec.init, spec.train_bias, static_cast<std::uint64_t>(in.seed)};
  LinearDenoiser model(options, schedule_tensors(in.schedule).sqrt_abar);
  model->set_bias(in.mean);
  TrainableModel built = trainable_module(model, in);
  if (in.c > 0) {
    const double c = in.c;
    built.target.penalty = [model, c](const at::Tensor& t) mutable { return model->penalty(t, c); };
  }
  built.weights = [model] { return model->stacked_weights(); };
  built.biases = [model] { return model->stacked_biases(); };
  return built;
}

// Without steps: auto, the smaller of half the full-batch GD limit T d / (2 k) and half the
// mean-square stability limit of one minibatch step on W_t, B d / (2 (m_2 + (r + 1) k)), where
// k = max(lambda_max + c, 1) bounds the top eigenvalue of K_t, r rows share a timestep (B with one
// t per batch, else max(3, 2B/T)) and m_2 = max(Tr Sigma0 + c d, d) bounds Tr K_t. The step
// E <- E (I - (2 eta / (B d)) S), S the sum of the r rows' x x^T, contracts E||E||_F^2 while
// (2 eta / (B d)) (q + (r - 1) k) < 2 with E[(x x^T)^2] <= q K_t, q = 2 k + m_2 (exact for Gaussian
// rows): the r - 1 term is the rows' mean, the q term one row's own fluctuation
// (docs/conventions.md, "Default SGD rate of the trained linear model").
// With steps: auto, also at most the rate at which SGD's gradient noise keeps the expected loss
// within auto_tolerance of the GD trajectory's (the plan puts the trajectory within half of it): that excess, relative to the loss, is about
// eta mean_t Tr K_t / (B d) with Tr K_t = abar_t (Tr Sigma0 + c d) + (1 - abar_t) d
// (docs/convergence.md#steps-auto).
double automatic_linear_rate(const RateInputs& in) {
  const LinearTrainingSpec& linear = in.training.linear;
  const double d = static_cast<double>(in.dim), batch = static_cast<double>(linear.batch_size);
  const double full_batch = default_learning_rate(in.schedule, in.max_eigenvalue, in.c, in.dim);
  const double rows_per_t =
      linear.one_t_per_batch ? batch : std::max(3.0, 2.0 * batch / static_cast<double>(in.schedule.steps()));
  const double second_moment = std::max(in.trace + in.c * d, d);
  const double stiffest = std::max(in.max_eigenvalue + in.c, 1.0);
  const double stable = std::min(full_batch, batch * d / (2.0 * (second_moment + (rows_per_t + 1.0) * stiffest)));
  if (!linear.steps.automatic) return stable;
  double mean_trace = 0;
  for (int t = 1; t <= in.schedule.steps(); ++t) {
    mean_trace += in.schedule.abar(t) * (in.trace + in.c * d) + in.schedule.one_minus_abar(t) * d;
  }
  mean_trace /= in.schedule.steps();
  return std::min(stable, linear.auto_tolerance * batch * d / mean_trace);
}

// Whether the linear model trains as docs/theory.md#gradient-descent-dynamics assumes.
bool follows_gradient_descent_theory(const TrainingSpec& training) {
  const LinearTrainingSpec& linear = training.linear;
  return linear.optimizer == Optimizer::kSgd && linear.init == LinearInit::kZero && !linear.train_bias &&
         linear.weight_decay == 0 && linear.ema_decay == 0;  // an averaged model leaves the trajectory
}

// Weights and gradient (float), Adam's two moments, the in-memory checkpoint and its copy, the
// stacked float copy the exact evaluation reads (converting one timestep at a time to double)
// and its finiteness mask (1 byte).
std::vector<MemoryPart> linear_memory(const MemoryInputs& in) {
  const double d = static_cast<double>(in.dataset.dim()), t = in.timesteps;
  const double adam = in.config.training.linear.optimizer == Optimizer::kSgd ? 0 : 8;
  return {{"the linear model (T = " + std::to_string(static_cast<long long>(t)) + " x d^2 = " +
               std::to_string(in.dataset.dim()) + "^2 weights with gradient, optimizer state, checkpoint and "
               "evaluation copies)",
           t * d * d * (4 + 4 + adam + 8 + 4 + 1),
           "theory.respace (T) or dataset.resize (d = " + std::to_string(in.dataset.dim()) + ")", true}};
}

}  // namespace

DenoiserKind linear_kind() {
  DenoiserKind kind;
  kind.name = kLinearModelName;
  kind.display_name = "linear";
  kind.regulariser = RegulariserForm::kExactPenalty;
  kind.exact_evaluation = true;
  kind.style = ModelStyle{kind.name, kind.display_name, 1, true};
  kind.optimizer = [](const TrainingSpec& training) -> const OptimizerSpec& { return training.linear; };
  kind.keep_sections = [](const TrainingSpec& from, TrainingSpec& to) { to.linear = from.linear; };
  kind.build = build_linear;
  kind.automatic_learning_rate = automatic_linear_rate;
  kind.follows_gradient_descent_theory = follows_gradient_descent_theory;
  kind.automatic_steps = plan_linear_steps;
  kind.check = [](const TrainingSpec& training, const ImageShape&) {
    if (training.linear.steps.automatic && !follows_gradient_descent_theory(training)) {
      throw ConfigError("training.linear.steps: auto plans with the gradient-descent theory, which needs optimizer sgd, "
                        "init zero, train_bias false, weight_decay 0 and ema_decay 0 in training.linear: set those or give a number of steps");
    }
  };
  kind.memory = linear_memory;
  return kind;
}

}  // namespace lindiff
