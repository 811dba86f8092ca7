// The analytic kinds' registry entries: denoisers with a closed form, evaluated through the
// same Denoiser interface as the trained ones.
#include <algorithm>
#include <stdexcept>

#include "src/config/settings.h"
#include "src/denoisers/builtin_kinds.h"
#include "src/denoisers/empirical_denoiser.h"

namespace lindiff {

DenoiserKind analytic_kind(const std::string& name, const std::string& display_name, int colour) {
  DenoiserKind kind;
  kind.name = name;
  kind.display_name = display_name;
  kind.regulariser = RegulariserForm::kClosedForm;
  kind.style = ModelStyle{kind.name, kind.display_name, colour};
  return kind;
}

Index largest_compared_training_size(const MemoryInputs& in) {
  Index n = 0;
  for (Index size : training_sizes(in.config, in.dataset.dim(), in.dataset.pool.rows())) n = std::max(n, size);
  for (const NetworkSpec& network : in.config.networks) n = std::max<Index>(n, network.n);
  return n;
}

DenoiserKind bayes_kind() {
  DenoiserKind kind = analytic_kind("bayes", "Bayes-optimal", 7);
  kind.needs_population = true;
  kind.make = [](const AnalyticInputs& in) {
    if (in.population == nullptr) throw std::invalid_argument("the Bayes-optimal denoiser needs the exact population");
    return bayes_denoiser(*in.population, in.schedule, in.objective, in.device);
  };
  return kind;
}

DenoiserKind wiener_kind() {
  DenoiserKind kind = analytic_kind("wiener", "Wiener (optimal linear)", 8);
  kind.make = [](const AnalyticInputs& in) {
    if (in.training_set == nullptr || in.modes == nullptr) {
      throw std::invalid_argument("the Wiener denoiser needs a training set and its mode groups");
    }
    return wiener_denoiser(*in.training_set, *in.modes, in.schedule, in.objective, in.c, in.gradient_descent, in.device);
  };
  return kind;
}

DenoiserKind empirical_kind() {
  DenoiserKind kind = analytic_kind("empirical", "empirical optimum", 9);
  // Its native prediction is always x0 (in.objective only names what a kind natively predicts);
  // c does not apply: the training set is the distribution.
  kind.make = [](const AnalyticInputs& in) {
    if (!in.training_rows.defined()) throw std::invalid_argument("the empirical optimum needs the training rows");
    return empirical_denoiser(in.training_rows, in.schedule, in.device);
  };
  kind.query_cost = [](const CostInputs& in) { return 2 * in.n * static_cast<double>(in.shape.size()); };  // logits, mean
  // Its candidates: a copy of the training set in rows [1, x_i, ||x_i||^2].
  kind.memory = [](const MemoryInputs& in) {
    const double values = static_cast<double>(largest_compared_training_size(in)) * (in.dataset.dim() + 2.0);
    return std::vector<MemoryPart>{{"the empirical optimum's copy of the training set (N (d + 2) values)", values * 4,
                                    "training.n", true}};
  };
  return kind;
}

}  // namespace lindiff
