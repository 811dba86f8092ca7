#include "src/sweep/training_sweep.h"

#include <gmock/gmock.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

#include <ATen/Parallel.h>
#include <nlohmann/json.hpp>
#include <torch/torch.h>
#include <fstream>

#include "src/common/subprocess.h"
#include "src/config/settings.h"
#include "src/denoisers/empirical_denoiser.h"
#include "src/tensors/tensor_bridge.h"
#include "src/jobs/run_job.h"
#include "src/report/metrics.h"
#include "src/sweep/denoise_stage.h"
#include "tests/support/synthetic_data.h"
#include "tests/support/temp_dir.h"

namespace lindiff {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::ThrowsMessage;

TEST(TrainingSweep, CellIdsAreReadableAndDistinct) {
  TrainingSpec spec;
  spec.models = {"linear", "unet"};
  spec.objectives = {Objective::kNoise, Objective::kData};
  spec.c = {0, 0.01};
  spec.seeds = {0, 1};
  const std::vector<TrainingCell> cells = training_cells(spec, "fashion", {16, 64});
  EXPECT_EQ(cells.size(), 32u);
  EXPECT_EQ(cells.front().id(), "fashion_linear_noise_N16_c0_s0");
  std::set<std::string> ids;
  for (const TrainingCell& c : cells) ids.insert(c.id());
  EXPECT_EQ(ids.size(), cells.size());
}

// A run of the linear model alone on synthetic side x side images with n_train = 64, at one N
// and T diffusion steps; every training setting at its default.
ExperimentConfig linear_experiment(const std::filesystem::path& out, int side, std::int64_t n, int timesteps,
                                   std::uint64_t seed) {
  SyntheticSpec synthetic;
  synthetic.shape = {side, side};
  synthetic.n_train = 64;
  synthetic.n_test = 256;
  ExperimentConfig config;
  config.name = "linear_only";
  config.output_dir = out.string();
  config.datasets = {testing::synthetic_spec(synthetic, seed)};
  config.spectrum.cov_error_n = {n};
  config.theory.steps = timesteps;
  config.theory.n = {n};
  config.theory.c = {0};
  config.theory.objectives = {Objective::kNoise};
  config.theory.loss_timesteps = {1, timesteps};
  config.training.models = {"linear"};
  config.training.n = {n};
  config.training.eval_samples = 64;
  config.training.samples = 64;
  return config;
}

// Runs `config` as the command line would (the thread count fixed first) and reads its results.
ResultsTable run_and_read(const ExperimentConfig& config) {
  at::set_num_threads(at::get_num_threads());
  run_experiment_job(config, "inline", RuntimeInfo{}, Shard{});
  return ResultsTable::read_csv(std::filesystem::path(config.output_dir) / "results.csv");
}

// A linear cell at N = d / 4 memorises: its exact held-out loss falls, then rises. Without early
// stopping (patience 0) it trains to the last step and reports its best held-out checkpoint: the
// final rows (final_step, the samples) come from the checkpoint with the lowest held-out loss.
TEST(TrainingSweep, ACellReportsItsBestHeldOutCheckpointWithoutEarlyStopping) {
  testing::TempDir dir;
  ExperimentConfig config = linear_experiment(dir / "run", 4, 4, 10, 2);
  config.training.checkpoints = 8;
  config.training.linear.steps = StepCount::fixed(3000);
  const ResultsTable table = run_and_read(config);

  std::vector<std::pair<double, std::int64_t>> held_out;  // (exact held-out loss, step) per checkpoint
  double final_step = -1, samples_step = -1;
  for (const ResultRow& r : table.rows()) {
    if (r.metric == metric::kTestLoss && r.source == source::kExact && r.t == "all") held_out.emplace_back(r.value, *r.step);
    if (r.metric == metric::kFinalStep) final_step = r.value;
    if (r.metric == metric::kSamples) samples_step = static_cast<double>(*r.step);
  }
  ASSERT_EQ(held_out.size(), 8u);
  const auto best = std::min_element(held_out.begin(), held_out.end());
  EXPECT_EQ(final_step, static_cast<double>(best->second));
  EXPECT_EQ(samples_step, final_step);
  EXPECT_LT(final_step, 3000.0);  // the rise after the best checkpoint is memorisation, not reported
  EXPECT_GT(held_out.back().first, best->first);
  int best_files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir / "run/checkpoints")) {
    best_files += std::filesystem::exists(entry.path() / "best.pt") ? 1 : 0;
  }
  EXPECT_EQ(best_files, 1);
}

// With every training setting at its default (steps: auto, the automatic rate), a linear cell at
// N = 16 d ends converged and within 1% of the optimum's held-out loss (docs/convergence.md#steps-auto),
// with a checkpoint exactly a decade before its last step.
TEST(TrainingSweep, AutoStepsBringALinearCellWithinOnePercentOfTheOptimum) {
  testing::TempDir dir;
  const ResultsTable table = run_and_read(linear_experiment(dir / "run", 2, 64, 20, 4));

  double optimum = 0, steps = 0, final_step = -1, converged = -1;
  std::map<std::int64_t, double> held_out;  // exact held-out loss per checkpoint
  for (const ResultRow& r : table.rows()) {
    if (r.metric == metric::kTestLoss && r.source == source::kTheory && r.model == "linear" && r.t == "all") optimum = r.value;
    if (r.metric == metric::kTestLoss && r.source == source::kExact && r.t == "all") held_out[*r.step] = r.value;
    if (r.metric == metric::kSteps) steps = r.value;
    if (r.metric == metric::kFinalStep) final_step = r.value;
    if (r.metric == metric::kConverged) converged = r.value;
  }
  ASSERT_GT(optimum, 0);
  ASSERT_GT(steps, 100);
  EXPECT_EQ(converged, 1.0);
  EXPECT_EQ(held_out.count(static_cast<std::int64_t>(steps) / 10), 1u);
  ASSERT_EQ(held_out.count(static_cast<std::int64_t>(final_step)), 1u);
  EXPECT_LT(held_out[static_cast<std::int64_t>(final_step)], 1.01 * optimum);
}

// The `denoise:` stage: reference rows once per N, the trained cell's rows at every checkpoint,
// and arrays from which the empirical optimum can be recomputed exactly as index.json describes
// them (in C++, and with NumPy alone when it is installed). The converged linear cell agrees with
// its training set's Wiener filter at the lowest noise level.
TEST(TrainingSweep, TheDenoiseStageComparesEveryCheckpointWithTheReferencesAndWritesArrays) {
  testing::TempDir dir;
  ExperimentConfig config = linear_experiment(dir / "run", 2, 16, 10, 3);
  config.denoise.references = {"empirical", "wiener", "bayes"};
  config.denoise.t = {1, 4, 10};
  config.denoise.queries = 8;
  const ResultsTable table = run_and_read(config);

  std::set<std::int64_t> checkpoints, compared;
  std::map<std::string, int> reference_rows;
  double final_step = -1;
  std::map<std::string, std::map<std::int64_t, double>> r2_wiener;  // per t and step, held-out split
  for (const ResultRow& r : table.rows()) {
    if (r.model == "linear" && r.metric == metric::kTestLoss && r.source == source::kExact && r.t == "all") checkpoints.insert(*r.step);
    if (r.model == "linear" && r.metric == metric::denoise_mse("test")) compared.insert(*r.step);
    if (r.model != "linear" && r.metric.rfind("agreement_", 0) == 0) ++reference_rows[r.model];
    if (r.metric == metric::kFinalStep) final_step = r.value;
    if (r.model == "linear" && r.metric == metric::agreement("r2", "wiener", "test")) r2_wiener[r.t][*r.step] = r.value;
  }
  EXPECT_EQ(compared, checkpoints);
  // Each reference against the two others: 3 measures x 2 splits x 3 timesteps x 2.
  EXPECT_EQ(reference_rows, (std::map<std::string, int>{{"bayes", 36}, {"empirical", 36}, {"wiener", 36}}));
  // At the highest noise level training moves the model from its zero weights (x0_hat = x_t /
  // sqrt(abar), r^2 0.98 here) to the filter; at t = 1 both are the identity to within 1e-5.
  const auto final = static_cast<std::int64_t>(final_step);
  ASSERT_EQ(r2_wiener["10"].count(final), 1u);
  EXPECT_GT(r2_wiener["10"][final], 0.995);  // the reported (best held-out) checkpoint, step 22 of 100 here
  EXPECT_GT(r2_wiener["10"][final], r2_wiener["10"][0] + 0.01);
  EXPECT_GT(r2_wiener["1"][final], 0.9999);

  const std::filesystem::path folder = dir / "run/denoise" / config.datasets[0].label;
  std::ifstream in(folder / "index.json");
  const nlohmann::json index = nlohmann::json::parse(in);
  std::map<std::string, std::string> roles;
  for (const nlohmann::json& f : index.at("files")) roles[f.at("path").get<std::string>()] = f.at("role").get<std::string>();
  EXPECT_EQ(roles.at("N16/training_set.npy"), "training_set");
  EXPECT_EQ(roles.at("N16/noisy_train.npy"), "input");
  EXPECT_EQ(roles.at("N16/clean_test.npy"), "clean");
  EXPECT_EQ(roles.at("N16/out_empirical_train.npy"), "output");
  EXPECT_EQ(roles.at("N16/out_" + config.datasets[0].label + "_linear_noise_N16_c0_s0_test.npy"), "output");
  const std::vector<double> abar = index.at("alpha_bar").get<std::vector<double>>();
  ASSERT_EQ(abar.size(), 3u);

  const torch::Tensor rows = load_npy(folder / "N16/training_set.npy").to(torch::kDouble);
  const torch::Tensor noisy = load_npy(folder / "N16/noisy_train.npy").to(torch::kDouble);
  const torch::Tensor written = load_npy(folder / "N16/out_empirical_train.npy").to(torch::kDouble);
  for (std::int64_t g = 0; g < 3; ++g) {
    const std::int64_t m = noisy.size(1);
    const double a = abar[static_cast<std::size_t>(g)];
    const torch::Tensor recomputed = empirical_posterior_mean(
        noisy[g], torch::full({m}, std::sqrt(a), torch::kDouble), torch::full({m}, 1 - a, torch::kDouble), rows,
        rows.pow(2).sum(1));
    EXPECT_LT((recomputed - written[g]).abs().max().item<double>(), 1e-5) << "t index " << g;
  }

  // Shared-noise samples: every denoiser's written samples, and each row recomputed from them.
  const std::string cell_id = config.datasets[0].label + "_linear_noise_N16_c0_s0";
  for (const std::string& name : {std::string("empirical"), std::string("wiener"), std::string("bayes"), cell_id}) {
    EXPECT_EQ(roles.at("N16/samples_" + name + ".npy"), "samples") << name;
  }
  const auto samples = [&](const std::string& name) { return load_npy(folder / ("N16/samples_" + name + ".npy")).to(torch::kDouble); };
  ASSERT_EQ(samples(cell_id).sizes(), (std::vector<std::int64_t>{config.denoise.samples, rows.size(1)}));
  std::map<std::string, double> sample_rows;  // "<model> <metric>"
  for (const ResultRow& r : table.rows()) {
    if (r.metric.rfind("sample_", 0) == 0) sample_rows[r.model + " " + r.metric] = r.value;
  }
  EXPECT_EQ(sample_rows.size(), 3u * 2 * 3 + 3u * 3);  // each reference against two, the cell against three
  for (const std::string& reference : {std::string("empirical"), std::string("wiener"), std::string("bayes")}) {
    const torch::Tensor difference = samples(cell_id) - samples(reference);
    EXPECT_NEAR(sample_rows.at("linear " + metric::sample_agreement("mse", reference)), difference.pow(2).mean().item<double>(), 1e-9);
    const torch::Tensor centred = samples(reference) - samples(reference).mean();
    EXPECT_NEAR(sample_rows.at("linear " + metric::sample_agreement("r2", reference)),
                1 - difference.pow(2).sum().item<double>() / centred.pow(2).sum().item<double>(), 1e-9);
  }
  // The empirical optimum memorises: each of its samples is within 1% of a training image.
  const torch::Tensor distances = torch::cdist(samples("empirical"), rows).amin(1) / rows.norm(2, 1).mean();
  EXPECT_LT(distances.max().item<double>(), 0.01);
  // The linear model trained towards the Wiener filter samples like it from the same noise.
  EXPECT_GT(sample_rows.at("linear " + metric::sample_agreement("r2", "wiener")), 0.9);
  int grids = 0;  // samples/<cell id>_<fingerprint>/shared_noise.png
  for (const auto& entry : std::filesystem::directory_iterator(dir / "run" / "samples")) {
    grids += entry.path().filename().string().rfind(cell_id + "_", 0) == 0 && std::filesystem::exists(entry.path() / "shared_noise.png");
  }
  EXPECT_EQ(grids, 1);

  const std::string python = "/usr/bin/python3";
  if (!std::filesystem::exists(python) || run_program({python, "-c", "import numpy"}, folder, dir / "err.txt") != 0) {
    GTEST_SKIP() << "NumPy not installed for " << python << ": the NumPy recomputation is skipped";
  }
  const std::string script =
      "import json, numpy as np\n"
      "index = json.load(open('index.json'))\n"
      "x0s = np.load('N16/training_set.npy').astype(np.float64)\n"
      "xt = np.load('N16/noisy_train.npy').astype(np.float64)\n"
      "out = np.load('N16/out_empirical_train.npy')\n"
      "for g, a in enumerate(index['alpha_bar']):\n"
      "    logits = -((xt[g][:, None, :] - np.sqrt(a) * x0s[None]) ** 2).sum(-1) / (2 * (1 - a))\n"
      "    w = np.exp(logits - logits.max(1, keepdims=True)); w /= w.sum(1, keepdims=True)\n"
      "    err = np.abs(w @ x0s - out[g]).max()\n"
      "    assert err < 1e-5, (g, err)\n";
  EXPECT_EQ(run_program({python, "-c", script}, folder, dir / "err.txt"), 0);
}

// denoise.references names analytic denoisers only, and bayes only where the population is exact.
TEST(TrainingSweep, DenoiseReferencesMustBeAnalyticAndBayesNeedsAnExactPopulation) {
  Dataset dataset = testing::synthetic_d8(64);
  ExperimentConfig config;
  config.denoise.references = {"empirical", "linear"};
  EXPECT_THAT([&] { check_denoise_plan(config, dataset); },
              ThrowsMessage<ConfigError>(AllOf(HasSubstr("denoise.references.1"), HasSubstr("trained model"))));
  config.denoise.references = {"wienr"};
  EXPECT_THAT([&] { check_denoise_plan(config, dataset); },
              ThrowsMessage<ConfigError>(AllOf(HasSubstr("denoise.references.0"), HasSubstr("wiener"))));
  config.denoise.references = {"wiener", "bayes"};
  EXPECT_NO_THROW(check_denoise_plan(config, dataset));
  dataset.exact.reset();
  EXPECT_THAT([&] { check_denoise_plan(config, dataset); },
              ThrowsMessage<ConfigError>(AllOf(HasSubstr("denoise.references.1"), HasSubstr("exact Gaussian population"))));
}

// `steps: auto` for the U-Net (its default): the cell trains on the 1-2-5 checkpoint grid and
// stops at the first checkpoint from step 1000 on where the convergence verdict holds, well
// before max_steps here, and records the steps it trained (docs/convergence.md#steps-auto).
TEST(TrainingSweep, AutoStepsTrainAUNetUntilTheVerdictHolds) {
  testing::TempDir dir;
  ExperimentConfig config = linear_experiment(dir / "run", 4, 64, 10, 3);
  config.training.models = {"unet"};
  config.training.eval_samples = 512;
  UNetTrainingSpec& unet = config.training.unet;
  ASSERT_TRUE(unet.steps.automatic);
  unet.base_channels = 8;
  unet.depth = 1;
  unet.groups = 4;
  unet.time_dim = 16;
  unet.batch_size = 64;
  const ResultsTable table = run_and_read(config);

  double steps = 0, converged = -1;
  std::vector<std::int64_t> checkpoints;  // of the held-out Monte Carlo loss
  for (const ResultRow& r : table.rows()) {
    if (r.metric == metric::kSteps) steps = r.value;
    if (r.metric == metric::kConverged) converged = r.value;
    if (r.metric == metric::kTestLoss && r.source == source::kMonteCarlo && r.t == "all") checkpoints.push_back(*r.step);
  }
  EXPECT_EQ(converged, 1.0);
  EXPECT_GE(steps, static_cast<double>(kFirstOpenEndedVerdict));
  EXPECT_LT(steps, static_cast<double>(unet.max_steps));
  std::vector<std::int64_t> grid = decade_checkpoint_steps(unet.max_steps);
  grid.erase(std::upper_bound(grid.begin(), grid.end(), static_cast<std::int64_t>(steps)), grid.end());
  std::sort(checkpoints.begin(), checkpoints.end());
  EXPECT_EQ(checkpoints, grid);
}

}  // namespace
}  // namespace lindiff
