#include "src/theory/model_evaluation.h"

#include <cmath>

namespace lindiff {

namespace {

// One pass over t = T..1 accumulating both losses and the sampling recursion.
class Accumulator {
 public:
  Accumulator(const EvaluationContext& context, Objective objective)
      : c_(context), objective_(objective), d_(context.modes.multiplicity().sum()) {
    const Index groups = context.modes.groups();
    out_ = ModelEvaluation{Vector(c_.schedule.steps()), Vector(c_.schedule.steps()),
                           DiagonalSampling{Vector::Ones(groups), Vector::Zero(groups)}, KlPair{}};
  }

  void step(int t, const Eigen::ArrayXd& u, const Eigen::ArrayXd& contraction) {
    const Schedule& s = c_.schedule;
    const Vector& n = c_.modes.multiplicity();
    out_.train_loss(t - 1) = loss_at(objective_, s.abar(t), s.one_minus_abar(t), u, n, c_.train) / d_;
    out_.test_loss(t - 1) = loss_at(objective_, s.abar(t), s.one_minus_abar(t), u, n, c_.test) / d_;
    advance_sampling(s, t, contraction, c_.final_noise, out_.sampling);
  }

  ModelEvaluation finish() {
    out_.kl = c_.population.kl(out_.sampling, c_.bias);
    return std::move(out_);
  }

 private:
  const EvaluationContext& c_;
  Objective objective_;
  double d_;
  ModelEvaluation out_;
};

}  // namespace

ModelEvaluation evaluate_model(const EvaluationContext& context, const DiagonalModel& model) {
  Accumulator accumulator(context, model.objective);
  for (int t = context.schedule.steps(); t >= 1; --t) {
    accumulator.step(t, model.weights.row(t - 1).transpose().array(), model.contraction.row(t - 1).transpose().array());
  }
  return accumulator.finish();
}

ModelEvaluation evaluate_model(const EvaluationContext& context, const ModelRows& rows) {
  Accumulator accumulator(context, rows.objective());
  Eigen::ArrayXd weights, contraction;
  for (int t = context.schedule.steps(); t >= 1; --t) {
    rows.row(context.schedule, t, weights, contraction);
    accumulator.step(t, weights, contraction);
  }
  return accumulator.finish();
}

std::vector<ModelEvaluation> evaluate_models(const EvaluationContext& context, const std::vector<ModelRows>& models) {
  std::vector<ModelEvaluation> out(models.size());
  const long count = static_cast<long>(models.size());
#pragma omp parallel for schedule(dynamic)
  for (long i = 0; i < count; ++i) out[i] = evaluate_model(context, models[i]);
  return out;
}

}  // namespace lindiff
