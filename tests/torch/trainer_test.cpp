#include <gtest/gtest.h>

#include <torch/torch.h>

#include "datasets/registry.h"
#include "models/linear_denoiser.h"
#include "models/unet.h"
#include "src/common/error.h"
#include "src/diffusion/forward_process.h"
#include "src/evaluation/linear_exact.h"
#include "src/evaluation/monte_carlo_loss.h"
#include "src/evaluation/tensor_bridge.h"
#include "src/experiment/statistics.h"
#include "src/sweep/model_factory.h"
#include "src/sweep/training_sweep.h"
#include "src/theory/expected_loss.h"
#include "src/training/early_stopping.h"
#include "src/training/training_loop.h"
#include "tests/support/temp_dir.h"

namespace lindiff {
namespace {

using testing::TempDir;
using testing::write_bytes;

torch::Tensor random_rows(std::int64_t n, std::int64_t d, std::uint64_t seed) {
  torch::Generator g = at::detail::createCPUGenerator(seed);
  return torch::randn({n, d}, g, torch::kFloat) * 0.5 + 0.2;
}

// Trains `steps` steps; when `split` > 0, stops there, saves, and continues in a fresh
// Trainer (as a resumed process would). Returns every parameter concatenated.
template <class Model>
torch::Tensor train_possibly_resumed(std::function<Model()> make, const torch::Tensor& data, const Schedule& schedule,
                                     TrainOptions options, std::int64_t split, const std::filesystem::path& file) {
  Model model = make();
  auto target_of = [](Model& m) {
    return TrainingTarget{[m](const at::Tensor& x, const at::Tensor& t) mutable { return m->forward(x, t); }, nullptr,
                          m->parameters(), m.ptr()};
  };
  if (split > 0) {
    TrainOptions first = options;
    first.checkpoints = {split};
    Trainer trainer(target_of(model), data, schedule, first);
    trainer.run([&](std::int64_t step) {
      if (step == split) trainer.save(file.string());
      return step < split;
    });
    model = make();  // a fresh process: new module, new optimizer, state from the file
    Trainer resumed(target_of(model), data, schedule, options);
    resumed.load(file.string());
    EXPECT_EQ(resumed.step(), split);
    resumed.run([](std::int64_t) { return true; });
  } else {
    Trainer trainer(target_of(model), data, schedule, options);
    trainer.run([](std::int64_t) { return true; });
  }
  std::vector<torch::Tensor> flat;
  for (const torch::Tensor& p : model->parameters()) flat.push_back(p.detach().flatten());
  return torch::cat(flat);
}

// A run stopped at a checkpoint and resumed from the file ends bit-identical to an
// uninterrupted one: parameters, Adam moments and the three random streams all restored.
TEST(Trainer, ResumedRunIsBitIdentical) {
  TempDir dir;
  const Schedule schedule = Schedule::linear(30);
  const torch::Tensor data = random_rows(40, 16, 1);
  TrainOptions options;
  options.optimizer = "adam";
  options.learning_rate = 1e-2;
  options.lr_schedule = "cosine";
  options.steps = 24;
  options.batch_size = 8;
  options.seed = 5;
  std::function<LinearDenoiser()> linear = [&] {
    return LinearDenoiser(LinearDenoiserOptions{16, "noise", "normal", true, 3}, schedule_tensors(schedule).sqrt_abar);
  };
  EXPECT_TRUE(torch::equal(train_possibly_resumed(linear, data, schedule, options, 0, dir / "a.pt"),
                           train_possibly_resumed(linear, data, schedule, options, 11, dir / "a.pt")));
  std::function<UNet()> unet = [&] {
    torch::manual_seed(4);
    return UNet(UNetOptions{1, 4, 4, 8, 1, 4, 8});
  };
  options.augment_std = 0.3;
  options.steps = 6;
  EXPECT_TRUE(torch::equal(train_possibly_resumed(unet, data, schedule, options, 0, dir / "u.pt"),
                           train_possibly_resumed(unet, data, schedule, options, 3, dir / "u.pt")));
}

TEST(Trainer, CorruptCheckpointIsADataErrorNamingTheFile) {
  TempDir dir;
  write_bytes(dir / "broken.pt", "not a checkpoint");
  const Schedule schedule = Schedule::linear(5);
  LinearDenoiser model(LinearDenoiserOptions{4, "noise", "zero", true, 0}, schedule_tensors(schedule).sqrt_abar);
  Trainer trainer(TrainingTarget{[&](const at::Tensor& x, const at::Tensor& t) { return model->forward(x, t); },
                                 nullptr, model->parameters(), model.ptr()},
                  random_rows(8, 4, 1), schedule, TrainOptions{});
  try {
    trainer.load((dir / "broken.pt").string());
    FAIL() << "expected DataError";
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find("broken.pt"), std::string::npos) << e.what();
  }
}

// The gathered batched product and the per-timestep grouped products give the same
// predictions and the same gradients.
TEST(LinearDenoiser, GatheredAndGroupedForwardAgree) {
  const Schedule schedule = Schedule::linear(7);
  LinearDenoiser model(LinearDenoiserOptions{5, "data", "normal", true, 2}, schedule_tensors(schedule).sqrt_abar);
  const torch::Tensor x = random_rows(23, 5, 3);
  torch::Generator g = at::detail::createCPUGenerator(9);
  const torch::Tensor t = torch::randint(1, 8, {23}, g, torch::kLong);
  const torch::Tensor gathered = model->forward_gathered(x, t);
  std::vector<torch::Tensor> rows;
  for (std::int64_t i = 0; i < 23; ++i) rows.push_back(model->forward_at(x.slice(0, i, i + 1), t[i].item<std::int64_t>()));
  EXPECT_TRUE(torch::allclose(gathered, torch::cat(rows), 1e-5, 1e-6));
  gathered.pow(2).sum().backward();
  const torch::Tensor grad_gathered = model->weight(t[0].item<std::int64_t>()).grad().clone();
  for (auto& p : model->parameters()) p.mutable_grad() = torch::Tensor();
  torch::cat(rows).pow(2).sum().backward();
  EXPECT_TRUE(torch::allclose(grad_gathered, model->weight(t[0].item<std::int64_t>()).grad(), 1e-4, 1e-5));
}

Dataset small_synthetic() {
  DatasetSpec spec;
  spec.name = "synthetic";
  spec.seed = 11;
  spec.synthetic = SyntheticSpec{};
  spec.synthetic->shape = {2, 3};  // d = 6
  spec.synthetic->mean = 0.2;
  spec.synthetic->n_train = 200;
  spec.synthetic->n_test = 10;
  resolve_dataset_spec(spec, "", [](const std::string& k, const std::string& m) { throw ConfigError(k + m); });
  return load_dataset(spec);
}

// The optimum's weights, written into the module and evaluated through the dense path, give
// the closed-form eigenbasis values; a Monte Carlo probe of the same module agrees within 4 SE.
TEST(ExactLinearEvaluation, OptimalWeightsMatchClosedFormAndMonteCarlo) {
  const Schedule schedule = Schedule::linear(40, 1e-3, 0.1);
  const Dataset data = small_synthetic();
  const Population population = population_of(data, EigenSolver::kLapackDivideAndConquer);
  const TrainingSet set = training_set(data.pool, "auto", EigenSolver::kLapackDivideAndConquer);
  const ModeSpace modes(set.eigen);
  const PopulationView view(modes, population.mean, population.eigen);
  const Gaussian train{set.moments.mean, set.moments.covariance}, test{population.mean, population.covariance};
  for (const std::string objective : {"noise", "data"}) {
    const Objective kind = parse_objective(objective);
    const DiagonalModel optimum = optimal_model(schedule, kind, modes.eigenvalues(), 0.05);
    LinearDenoiser model(LinearDenoiserOptions{6, objective, "zero", false, 0}, schedule_tensors(schedule).sqrt_abar);
    model->set_bias(to_tensor(set.moments.mean));
    {
      torch::NoGradGuard no_grad;
      for (int t = 1; t <= 40; ++t) {
        const Vector u = optimum.weights.row(t - 1).transpose();
        const Matrix w = modes.basis() * u.asDiagonal() * modes.basis().transpose();
        model->weight(t).copy_(to_tensor(w));
      }
    }
    const ExactLinearEvaluation exact =
        evaluate_linear_weights(model->stacked_weights(), model->stacked_biases(), kind, schedule, train, test, false);
    const double closed = expected_loss(schedule, optimum, modes, view.moments(set.moments.mean)).mean();
    const KlPair kl = view.kl(sampling_distribution(schedule, optimum, false), set.moments.mean);
    EXPECT_NEAR(exact.test_loss.mean() / closed, 1.0, 1e-5) << objective;  // float weights
    EXPECT_NEAR(exact.kl.data_model / kl.data_model, 1.0, 1e-3) << objective;
    EXPECT_NEAR(exact.kl.model_data / kl.model_data, 1.0, 1e-3) << objective;

    const torch::Tensor rows = torch::from_blob(const_cast<float*>(data.pool.data()), {200, 6}, torch::kFloat);
    const LossProbe probe(rows, schedule, 200000, 7);
    const LossEstimate mc = probe.estimate([&](const at::Tensor& x, const at::Tensor& t) { return model->forward(x, t); },
                                           objective);
    EXPECT_NEAR(mc.mean, exact.train_loss.mean(), 4 * mc.standard_error) << objective;
    EXPECT_EQ(mc.draws, 200000);
  }
}

TEST(TrainingSweep, CheckpointStepsAreLogSpacedWithEnds) {
  EXPECT_EQ(checkpoint_steps(1000, 5), (std::vector<std::int64_t>{0, 1, 10, 100, 1000}));
  EXPECT_EQ(checkpoint_steps(7, 2), (std::vector<std::int64_t>{0, 7}));
  EXPECT_EQ(checkpoint_steps(3, 8), (std::vector<std::int64_t>{0, 1, 2, 3}));
}

// The default linear rate never exceeds the full-batch GD rate and keeps one minibatch
// step on W_t contractive: rate * 2 r m2 / (B d) <= 1.
TEST(TrainingSweep, DefaultLinearRateRespectsBothLimits) {
  const Schedule schedule = Schedule::linear(1000);
  ModelTrainingSpec linear;
  linear.batch_size = 512;
  const double rate = default_linear_rate(schedule, 5.0, 64.0, 0.0, 64, linear);
  EXPECT_LE(rate, default_learning_rate(schedule, 5.0, 0.0, 64));
  EXPECT_NEAR(rate, 512.0 * 64 / (2.0 * 3 * 64), 1e-9);
  linear.one_t_per_batch = true;
  EXPECT_NEAR(default_linear_rate(schedule, 5.0, 64.0, 0.0, 64, linear), 64.0 / (2.0 * 64), 1e-12);
}

TEST(TrainingSweep, CellIdsAreReadableAndDistinct) {
  TrainingSpec spec;
  spec.models = {"linear", "unet"};
  spec.objectives = {"noise", "data"};
  spec.c = {0, 0.01};
  spec.seeds = {0, 1};
  const std::vector<TrainingCell> cells = training_cells(spec, "fashion", {16, 64});
  EXPECT_EQ(cells.size(), 32u);
  EXPECT_EQ(cells.front().id(), "fashion_linear_noise_N16_c0_s0");
  std::set<std::string> ids;
  for (const TrainingCell& c : cells) ids.insert(c.id());
  EXPECT_EQ(ids.size(), cells.size());
}

// Stops after `patience` checkpoints without a lower loss and remembers the best one; early
// checkpoints (before the warm-up) never stop the run, and patience 0 never stops.
TEST(EarlyStopping, StopsAfterPatienceOutsideTheWarmUp) {
  EarlyStopping rule(2, 100);
  EXPECT_TRUE(rule.observe(0, 1.0));
  EXPECT_TRUE(rule.observe(1, 1.1));   // worse, but inside the warm-up
  EXPECT_TRUE(rule.observe(3, 1.2));
  EXPECT_TRUE(rule.observe(10, 1.3));
  EXPECT_TRUE(rule.observe(100, 0.5)); // new best
  EXPECT_TRUE(rule.observe(300, 0.6)); // first miss
  EXPECT_FALSE(rule.observe(1000, 0.7));
  EXPECT_EQ(rule.best_step(), 100);
  EarlyStopping never(0, 0);
  for (std::int64_t step = 0; step < 5; ++step) EXPECT_TRUE(never.observe(step, static_cast<double>(step)));
  EXPECT_EQ(never.best_step(), 0);
}

}  // namespace
}  // namespace lindiff
