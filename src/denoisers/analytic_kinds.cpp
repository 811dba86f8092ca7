// The analytic kinds' registry entries: denoisers with a closed form, evaluated through the
// same Denoiser interface as the trained ones.
#include <stdexcept>

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
  return kind;
}

}  // namespace lindiff
