#include "src/denoisers/registry.h"

#include <cmath>
#include <deque>
#include <stdexcept>

#include "src/common/error.h"
#include "src/denoisers/builtin_kinds.h"

namespace lindiff {

namespace {

// Entries never move (a deque keeps references on push_back): callers hold `const DenoiserKind&`.
std::deque<DenoiserKind>& entries() {
  static std::deque<DenoiserKind> kinds = {linear_kind(), unet_kind(), bayes_kind(), wiener_kind(), empirical_kind(),
                                              ls_kind(),     els_kind(),  bbels_kind(), wiener_local_kind(),
                                              torchscript_kind()};
  return kinds;
}

std::string names(bool trainable_only) {
  std::string list;
  for (const DenoiserKind& kind : entries()) {
    if (!trainable_only || kind.trainable()) list += (list.empty() ? "" : ", ") + kind.name;
  }
  return list;
}

}  // namespace

std::vector<const DenoiserKind*> denoiser_kinds() {
  std::vector<const DenoiserKind*> kinds;
  for (const DenoiserKind& kind : entries()) kinds.push_back(&kind);
  return kinds;
}

const DenoiserKind& find_denoiser_kind(const std::string& name, const std::string& key) {
  for (const DenoiserKind& kind : entries()) {
    if (kind.name == name) return kind;
  }
  throw ConfigError(key + ": unknown denoiser '" + name + "' (valid: " + names(false) + ")");
}

const DenoiserKind& network_kind() {
  for (const DenoiserKind& kind : entries()) {
    if (kind.load) return kind;
  }
  throw std::logic_error("the registry has no loaded kind");
}

void register_denoiser_kind(DenoiserKind kind) {
  for (const DenoiserKind& existing : entries()) {
    if (existing.name == kind.name) throw std::invalid_argument("a denoiser kind '" + kind.name + "' exists already");
  }
  entries().push_back(std::move(kind));
}

std::vector<ModelStyle> model_styles() {
  std::vector<ModelStyle> styles;
  for (const DenoiserKind& kind : entries()) styles.push_back(kind.style);
  return styles;
}

void check_model_names(const TrainingSpec& training) {
  for (std::size_t i = 0; i < training.models.size(); ++i) {
    const std::string key = "training.models." + std::to_string(i);
    const DenoiserKind& kind = find_denoiser_kind(training.models[i], key);
    if (kind.load) {
      throw ConfigError(key + ": '" + kind.name + "' networks are loaded, not trained: list the file under networks: "
                              "(trainable: " + names(true) + ")");
    }
    if (!kind.trainable()) {
      throw ConfigError(key + ": '" + kind.name + "' is an analytic denoiser, nothing to train (trainable: " + names(true) +
                        ")");
    }
    if (kind.optimizer(training).steps.automatic && !kind.automatic_steps) {
      throw ConfigError("training." + kind.name + ".steps: auto is not available for the " + kind.display_name +
                        ": give a number of steps");
    }
  }
}

StepPlan open_ended_plan(std::int64_t max_steps) {
  StepPlan plan;
  plan.steps = max_steps;
  plan.until_converged = true;
  plan.why = "training until the convergence verdict holds at a checkpoint from step " +
             std::to_string(kFirstOpenEndedVerdict) + " on, at most max_steps = " + std::to_string(max_steps);
  return plan;
}

TrainOptions train_options(const DenoiserKind& kind, const TrainingSpec& training, Objective objective, double c,
                           std::int64_t seed, double automatic_rate, const std::string& name) {
  const OptimizerSpec& m = kind.optimizer(training);
  TrainOptions o;
  o.objective = objective;
  o.optimizer = m.optimizer;
  o.learning_rate = m.learning_rate > 0 ? m.learning_rate : automatic_rate;
  o.weight_decay = m.weight_decay;
  o.rate_shape = m.rate;
  o.steps = m.steps.value;  // 0 for auto until the cell chooses (run_cell)
  o.batch_size = m.batch_size;
  o.one_t_per_batch = m.one_t_per_batch;
  o.ema_decay = m.ema_decay;
  o.ema_start = m.ema_start;
  o.seed = static_cast<std::uint64_t>(seed);
  o.augment_std = kind.regulariser == RegulariserForm::kNoiseAugmentation ? std::sqrt(c) : 0.0;
  o.model_name = name;
  return o;
}

}  // namespace lindiff
