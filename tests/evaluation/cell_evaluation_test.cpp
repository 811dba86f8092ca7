#include "src/evaluation/cell_evaluation.h"

#include <gtest/gtest.h>

#include <torch/torch.h>

#include "src/tensors/tensor_bridge.h"
#include "tests/support/synthetic_data.h"

namespace lindiff {
namespace {

// The value of the row of `metric` from `source` at `step`.
double row_value(const ResultsTable& table, std::int64_t step, const std::string& metric, const std::string& source) {
  for (const ResultRow& r : table.rows()) {
    if (r.step == step && r.metric == metric && r.source == source) return r.value;
  }
  ADD_FAILURE() << "no row " << metric << " (" << source << ") at step " << step;
  return 0;
}

struct Fixture {
  Fixture() : e(make()), context(e.config.datasets[0], e.dataset, e.config), set(context, 32), held_out(*held_out_probe(context)) {}
  static testing::ExperimentWithData make() {
    SyntheticSpec synthetic;
    synthetic.shape = {4, 4};
    synthetic.n_train = 64;
    synthetic.n_test = 256;
    testing::ExperimentWithData e = testing::synthetic_experiment(synthetic, 3);
    e.config.theory.steps = 20;
    e.config.training.eval_samples = 512;
    e.config.training.unet.base_channels = 8;
    e.config.training.unet.depth = 1;
    e.config.training.unet.groups = 4;
    return e;
  }
  TrainableModel built(const std::string& kind) {
    return find_denoiser_kind(kind).build(ModelInputs{e.config.training, Objective::kNoise, 0.0, 1, e.dataset.shape,
                                                      context.schedule(), to_tensor(set.train.mean)});
  }
  testing::ExperimentWithData e;
  DatasetContext context;
  TrainingSetProbe set;
  HeldOutProbe held_out;
};

// A Monte Carlo kind: early stopping gets the held-out loss and the verdict judges it with the
// paired standard error of its excess over the Bayes-optimal loss (Gaussian data), as values
// equal to the rows written.
TEST(CellEvaluator, MonteCarloKindsReturnTheHeldOutLossWithThePairedError) {
  Fixture f;
  const TrainingCell cell{"synthetic", &find_denoiser_kind("unet"), Objective::kNoise, 32, 0.0, 1};
  const TrainableModel model = f.built("unet");
  CellEvaluator evaluator(f.context, f.set, &f.held_out, cell, model, RateSchedule::constant(1e-3, 100), false);
  CellRows rows(cell, 16);
  const CheckpointLosses losses = evaluator.at_checkpoint(0, rows);
  EXPECT_EQ(losses.step, 0);
  ASSERT_TRUE(losses.held_out.has_value());
  EXPECT_EQ(*losses.held_out, row_value(rows.table(), 0, "test_loss", "monte_carlo"));
  EXPECT_EQ(losses.verdict.loss, *losses.held_out);
  EXPECT_EQ(losses.verdict.standard_error, row_value(rows.table(), 0, "excess_test_loss_se", "monte_carlo"));
  EXPECT_LT(losses.verdict.standard_error, row_value(rows.table(), 0, "test_loss_se", "monte_carlo"));
  EXPECT_TRUE(losses.monte_carlo);
  EXPECT_EQ(evaluator.held_out_draws().size(0), 512);
}

// A kind with an exact evaluation: the verdict, the best checkpoint and early stopping judge its
// exact held-out loss (no error); the Monte Carlo rows are still written beside it.
TEST(CellEvaluator, ExactKindsReturnTheExactHeldOutLossForTheVerdict) {
  Fixture f;
  const TrainingCell cell{"synthetic", &find_denoiser_kind("linear"), Objective::kNoise, 32, 0.0, 1};
  const TrainableModel model = f.built("linear");
  CellEvaluator evaluator(f.context, f.set, &f.held_out, cell, model, RateSchedule::constant(1.0, 100), true);
  CellRows rows(cell, 16);
  const CheckpointLosses losses = evaluator.at_checkpoint(0, rows);
  EXPECT_EQ(losses.verdict.loss, row_value(rows.table(), 0, "test_loss", "exact"));
  EXPECT_EQ(losses.verdict.standard_error, 0.0);
  EXPECT_FALSE(losses.monte_carlo);
  EXPECT_EQ(*losses.held_out, row_value(rows.table(), 0, "test_loss", "exact"));
  EXPECT_NE(*losses.held_out, row_value(rows.table(), 0, "test_loss", "monte_carlo"));
  // Zero weights predict eps_hat = 0: every loss is E||eps||^2 / d = 1.
  EXPECT_NEAR(losses.verdict.loss, 1.0, 1e-12);
  EXPECT_NEAR(row_value(rows.table(), 0, "test_loss", "theory_gd"), 1.0, 1e-12);
}

// Without a held-out split the verdict judges the training loss and nothing stops early.
TEST(CellEvaluator, WithoutAHeldOutSplitTheTrainingLossIsJudged) {
  Fixture f;
  const TrainingCell cell{"synthetic", &find_denoiser_kind("unet"), Objective::kNoise, 32, 0.0, 1};
  const TrainableModel model = f.built("unet");
  CellEvaluator evaluator(f.context, f.set, nullptr, cell, model, RateSchedule::constant(1e-3, 100), false);
  CellRows rows(cell, 16);
  const CheckpointLosses losses = evaluator.at_checkpoint(5, rows);
  EXPECT_FALSE(losses.held_out.has_value());
  EXPECT_EQ(losses.verdict.loss, row_value(rows.table(), 5, "train_loss", "monte_carlo"));
  EXPECT_EQ(losses.verdict.standard_error, row_value(rows.table(), 5, "train_loss_se", "monte_carlo"));
  EXPECT_FALSE(evaluator.held_out_draws().defined());
}

}  // namespace
}  // namespace lindiff
