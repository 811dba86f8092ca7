#include "src/sweep/training_sweep.h"

#include <gmock/gmock.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

#include <ATen/Parallel.h>
#include <nlohmann/json.hpp>
#include <torch/script.h>
#include <torch/torch.h>
#include <fstream>

#include "datasets/image_codecs.h"
#include "src/common/subprocess.h"
#include "src/config/settings.h"
#include "src/denoisers/empirical_denoiser.h"
#include "src/tensors/tensor_bridge.h"
#include "src/jobs/run_job.h"
#include "src/report/metrics.h"
#include "src/sweep/denoise_stage.h"
#include "tests/support/synthetic_data.h"
#include "tests/support/python_torch.h"
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
// and arrays from which the empirical optimum (in C++, and with NumPy alone when it is installed),
// the Wiener filter and the Bayes-optimal denoiser (NumPy) can be recomputed exactly as index.json
// describes them, to 1e-5 relative in float32. The converged linear cell agrees with
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
        noisy[g], torch::full({m}, std::sqrt(a), torch::kDouble), torch::full({m}, 1 - a, torch::kDouble), rows);
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
  int grids = 0, jacobian_grids = 0;  // samples/<cell id>_<fingerprint>/{shared_noise,jacobian_wiener}.png
  for (const auto& entry : std::filesystem::directory_iterator(dir / "run" / "samples")) {
    if (entry.path().filename().string().rfind(cell_id + "_", 0) != 0) continue;
    grids += std::filesystem::exists(entry.path() / "shared_noise.png");
    jacobian_grids += std::filesystem::exists(entry.path() / "jacobian_wiener.png");
  }
  EXPECT_EQ(grids, image_codecs_available() ? 1 : 0);  // a build without OpenCV writes no images
  EXPECT_EQ(jacobian_grids, image_codecs_available() ? 1 : 0);

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
      "    assert err < 1e-5, (g, err)\n"
      // Wiener and Bayes: the posterior mean of a Gaussian (m, C), from the training set's 1/N
      // moments and from the written exact population.
      "def gaussian_posterior_mean(m, C, x, a):\n"
      "    gain = np.sqrt(a) * C @ np.linalg.inv(a * C + (1 - a) * np.eye(m.size))\n"
      "    return m + (x - np.sqrt(a) * m) @ gain.T\n"
      "mu = x0s.mean(0); S = (x0s - mu).T @ (x0s - mu) / len(x0s)\n"
      "roles = {f['path']: f['role'] for f in index['files']}\n"
      "assert roles['population_mean.npy'] == 'population_mean', roles\n"
      "gaussians = {'wiener': (mu, S), 'bayes': (np.load('population_mean.npy'), np.load('population_covariance.npy'))}\n"
      "for name, (m, C) in gaussians.items():\n"
      "    out = np.load('N16/out_' + name + '_train.npy')\n"
      "    for g, a in enumerate(index['alpha_bar']):\n"
      "        direct = gaussian_posterior_mean(m, C, xt[g], a)\n"
      "        err = np.abs(direct - out[g]).max() / np.abs(direct).max()\n"
      "        assert err < 1e-5, (name, g, err)\n";
  EXPECT_EQ(run_program({python, "-c", script}, folder, dir / "err.txt"), 0) << testing::read_text(dir / "err.txt");
}

// The noise prediction of the Wiener filter of `rows` [N, d] at each step t of `schedule`, as
// weights [T, d, d] and biases [T, d] (float): x0_hat = A_t x + b_t with A_t = sqrt(abar) S
// (abar S + (1 - abar) I)^-1, b_t = mu - sqrt(abar) A_t mu (S the 1/N covariance, mu the mean), and
// eps_hat = (x - sqrt(abar) x0_hat) / sqrt(1 - abar). Computed in double from the rows alone, as a
// Python user would from the written training_set.npy.
std::pair<at::Tensor, at::Tensor> wiener_noise_prediction(const at::Tensor& rows, const Schedule& schedule) {
  const std::int64_t d = rows.size(1);
  const at::Tensor mu = rows.mean(0);
  const at::Tensor centred = rows - mu;
  const at::Tensor covariance = centred.t().mm(centred) / static_cast<double>(rows.size(0));
  const at::Tensor identity = torch::eye(d, torch::kDouble);
  std::vector<at::Tensor> weights, biases;
  for (int t = 1; t <= schedule.steps(); ++t) {
    const double a = schedule.abar(t), root_signal = std::sqrt(a), root_noise = std::sqrt(schedule.one_minus_abar(t));
    const at::Tensor filter = root_signal * covariance.mm(torch::inverse(a * covariance + (1 - a) * identity));
    const at::Tensor x0_bias = mu - root_signal * filter.mv(mu);
    weights.push_back((identity - root_signal * filter) / root_noise);
    biases.push_back(-root_signal * x0_bias / root_noise);
  }
  return {torch::stack(weights).to(torch::kFloat), torch::stack(biases).to(torch::kFloat)};
}

// Saves a TorchScript module `name` holding `buffers`, with the TorchScript method `forward`, as
// torch.jit.save would.
void save_scripted_network(const std::filesystem::path& path, const std::string& name,
                           const std::vector<std::pair<std::string, at::Tensor>>& buffers, const std::string& forward) {
  torch::jit::Module module{c10::QualifiedName(name)};
  for (const auto& [buffer, value] : buffers) module.register_buffer(buffer, value);
  module.define(forward);
  module.save(path.string());
}

// Saves forward(x, t) = W_t x + b_t on flat rows x [B, d].
void save_affine_network(const std::filesystem::path& path, const at::Tensor& weight, const at::Tensor& bias) {
  save_scripted_network(path, "AffineNetwork", {{"weight", weight}, {"bias", bias}}, R"JIT(
def forward(self, x, t):
    return torch.bmm(self.weight.index_select(0, t - 1), x.unsqueeze(2)).squeeze(2) + self.bias.index_select(0, t - 1)
)JIT");
}

// A network from a file (`networks:`) that is the Wiener filter of the training set it is
// declared to have seen, computed from the training_set.npy an earlier run wrote: evaluated like
// a trained cell, it agrees with the wiener reference to float rounding at every t, samples as
// it does from the shared noise, its Jacobian row is the Wiener filter's, and its Monte Carlo
// held-out loss estimates the exact held-out loss of the optimal linear denoiser (the theory's
// row) within 4 standard errors.
TEST(TrainingSweep, ALoadedNetworkIsEvaluatedLikeATrainedCell) {
  testing::TempDir dir;
  ExperimentConfig config = linear_experiment(dir / "references", 2, 16, 10, 3);
  config.datasets[0].synthetic->n_test = 8192;  // held-out draws nearly all distinct rows: the error is the draws' own
  config.training.models.clear();
  config.training.eval_samples = 4096;
  config.denoise.references = {"wiener", "empirical"};
  config.denoise.t = {1, 4, 10};
  config.denoise.queries = 8;
  config.denoise.samples = 16;
  run_and_read(config);  // the references alone: they write the training set a network of N = 16 saw
  const std::string label = config.datasets[0].label;
  const at::Tensor rows = load_npy(dir / "references/denoise" / label / "N16/training_set.npy").to(torch::kDouble);
  const auto [weight, bias] = wiener_noise_prediction(rows, make_schedule(config.theory));
  save_affine_network(dir / "wiener.pt", weight, bias);

  config.output_dir = (dir / "run").string();
  NetworkSpec network;
  network.name = "scripted_wiener";
  network.file = (dir / "wiener.pt").string();
  network.n = 16;
  network.input = NetworkInput::kFlat;
  network.steps = 123;
  config.networks = {network};
  const ResultsTable table = run_and_read(config);

  double exact = 0, held_out = 0, standard_error = 0, final_step = -1, sample_r2 = 0;
  std::map<std::string, double> r2, own_error, wiener_error;  // per t, held-out split
  std::map<std::string, double> cosine, radius, wiener_radius;  // the linearisation per t
  std::set<std::int64_t> steps;
  for (const ResultRow& r : table.rows()) {
    if (r.metric == metric::kTestLoss && r.source == source::kTheory && r.model == "linear" && r.t == "all") exact = r.value;
    if (r.model == "wiener" && r.metric == metric::denoise_mse("test")) wiener_error[r.t] = r.value;
    if (r.model != network.name) continue;
    if (r.step) steps.insert(*r.step);
    if (r.metric == metric::kTestLoss) held_out = r.value;
    if (r.metric == metric::kTestLossSe) standard_error = r.value;
    if (r.metric == metric::kFinalStep) final_step = r.value;
    if (r.metric == metric::agreement("r2", "wiener", "test")) r2[r.t] = r.value;
    if (r.metric == metric::denoise_mse("test")) own_error[r.t] = r.value;
    if (r.metric == metric::sample_agreement("r2", "wiener")) sample_r2 = r.value;
    if (r.metric == metric::kJacobianCosineWiener) cosine[r.t] = r.value;
    if (r.metric == metric::kJacobianRadius90) radius[r.t] = r.value;
    if (r.metric == metric::kWienerRadius90) wiener_radius[r.t] = r.value;
  }
  EXPECT_EQ(steps, (std::set<std::int64_t>{123}));
  EXPECT_EQ(final_step, 123.0);
  ASSERT_GT(exact, 0);
  ASSERT_GT(standard_error, 0);
  EXPECT_NEAR(held_out, exact, 4 * standard_error);
  ASSERT_EQ(r2.size(), 3u);
  for (const auto& [t, value] : r2) {
    EXPECT_GT(value, 1 - 1e-6) << "t = " << t;
    EXPECT_NEAR(own_error.at(t), wiener_error.at(t), 1e-5 * wiener_error.at(t)) << "t = " << t;
  }
  EXPECT_GT(sample_r2, 0.9999);
  // A linear network's Jacobian is its matrix: the Wiener filter's row at every t.
  ASSERT_EQ(cosine.size(), 3u);
  for (const auto& [t, value] : cosine) {
    EXPECT_GT(value, 1 - 1e-5) << "t = " << t;
    EXPECT_EQ(radius.at(t), wiener_radius.at(t)) << "t = " << t;
  }
  const std::string cell_id = label + "_scripted_wiener_noise_N16_c0_s0";
  EXPECT_TRUE(std::filesystem::exists(dir / "run/denoise" / label / ("N16/samples_" + cell_id + ".npy")));
}

// Saves a TorchScript data-predicting network that is the empirical optimum of `rows` [N, d] on a
// chain with alpha-bars `abar` [T]: the softmax over the training images of
// -||x - sqrt(abar_t) x_i||^2 / (2 (1 - abar_t)), weighting the images.
void save_empirical_network(const std::filesystem::path& path, const at::Tensor& rows, const at::Tensor& abar) {
  save_scripted_network(path, "EmpiricalNetwork", {{"rows", rows}, {"abar", abar}}, R"JIT(
def forward(self, x, t):
    a = self.abar.index_select(0, t - 1).unsqueeze(1)
    distances = ((x.unsqueeze(1) - a.sqrt().unsqueeze(2) * self.rows.unsqueeze(0)) ** 2).sum(2)
    return torch.softmax(-distances / (2 * (1 - a)), 1).matmul(self.rows)
)JIT");
}

// Calibration against a network that is the empirical optimum: LS equals it at the largest useful
// patch (2 max(H, W) - 1 = 7 on 4x4 images) and Wiener locality at a threshold that keeps every
// coordinate, so at every t those are chosen, with r^2 1 up to float rounding on the checking half.
TEST(TrainingSweep, CalibrationFindsTheSettingThatIsTheNetwork) {
  testing::TempDir dir;
  ExperimentConfig config = linear_experiment(dir / "references", 4, 16, 10, 5);
  config.training.models.clear();
  config.denoise.references = {"ls", "wiener_local"};
  config.denoise.t = {1, 4, 10};
  config.denoise.queries = 8;
  config.denoise.samples = 0;
  run_and_read(config);  // the references alone: they write the training set
  const std::string label = config.datasets[0].label;
  const at::Tensor rows = load_npy(dir / "references/denoise" / label / "N16/training_set.npy");
  const Schedule schedule = make_schedule(config.theory);
  std::vector<float> abar;
  for (int t = 1; t <= schedule.steps(); ++t) abar.push_back(static_cast<float>(schedule.abar(t)));
  save_empirical_network(dir / "empirical.pt", rows, torch::tensor(abar));

  config.output_dir = (dir / "run").string();
  NetworkSpec network;
  network.name = "scripted_empirical";
  network.file = (dir / "empirical.pt").string();
  network.n = 16;
  network.input = NetworkInput::kFlat;
  network.objective = Objective::kData;
  config.networks = {network};
  config.denoise.calibrate_against = network.name;
  config.denoise.calibrate_patch_sizes = {1, 3, 255};  // 255 acts as 7, the largest useful size
  config.denoise.calibrate_thresholds = {0.5, 1e-12};
  config.denoise.samples = 4;
  const ResultsTable table = run_and_read(config);
  std::map<std::string, double> patch, threshold, ls_r2, local_r2, sample_r2;  // per t; per calibrated machine
  for (const ResultRow& r : table.rows()) {
    if (r.model != network.name) continue;
    for (const std::string kind : {"ls", "wiener_local"}) {
      if (r.metric == metric::sample_agreement("r2", kind + "_calibrated")) sample_r2[kind] = r.value;
    }
    if (r.metric == metric::calibrated_setting("patch_size", "ls")) patch[r.t] = r.value;
    if (r.metric == metric::calibrated_setting("threshold", "wiener_local")) threshold[r.t] = r.value;
    if (r.metric == metric::calibrated_r2("ls")) ls_r2[r.t] = r.value;
    if (r.metric == metric::calibrated_r2("wiener_local")) local_r2[r.t] = r.value;
  }
  ASSERT_EQ(patch.size(), 3u);
  ASSERT_EQ(threshold.size(), 3u);
  for (const std::string t : {"1", "4", "10"}) {
    EXPECT_EQ(patch.at(t), 7) << "t = " << t;
    EXPECT_EQ(threshold.at(t), 1e-12) << "t = " << t;
    EXPECT_GT(ls_r2.at(t), 1 - 1e-6) << "t = " << t;
    EXPECT_GT(local_r2.at(t), 1 - 1e-6) << "t = " << t;
  }
  // Calibrated at every t to the empirical optimum, both machines sample what the network samples from the same noise.
  ASSERT_EQ(sample_r2.size(), 2u);
  for (const auto& [kind, r2] : sample_r2) EXPECT_GT(r2, 1 - 1e-6) << kind;
  const std::filesystem::path written = dir / "run/denoise" / label / "N16" /
                                        ("samples_ls_calibrated_" + label + "_scripted_empirical_data_N16_c0_s0.npy");
  ASSERT_TRUE(std::filesystem::exists(written)) << written;
  EXPECT_EQ(load_npy(written).size(0), 4);
}

// A network scripted and saved from Python runs through the sweep end to end: losses, excess
// over the Bayes-optimal loss, agreement with each reference at each t, shared-noise samples.
TEST(TrainingSweep, ANetworkSavedFromPythonRunsThroughTheSweep) {
  testing::TempDir dir;
  if (!testing::python_imports("torch", dir.path())) {
    GTEST_SKIP() << "PyTorch not installed for " << testing::kPython << " (Debian: python3-torch)";
  }
  ASSERT_EQ(testing::run_python_file(testing::kConvNetworkScript, dir.path()), 0) << testing::read_text(dir / "err.txt");
  ExperimentConfig config = linear_experiment(dir / "run", 2, 16, 10, 3);
  config.training.models.clear();
  config.denoise.references = {"wiener", "bayes"};
  config.denoise.t = {1, 10};
  config.denoise.queries = 8;
  config.denoise.samples = 8;
  NetworkSpec network;
  network.name = "from_python";
  network.file = (dir / "net.pt").string();
  network.n = 16;
  config.networks = {network};
  const ResultsTable table = run_and_read(config);
  std::set<std::string> metrics;
  for (const ResultRow& r : table.rows()) {
    if (r.model == network.name) metrics.insert(r.metric + (r.t.empty() || r.t == "all" ? "" : " t" + r.t));
  }
  EXPECT_THAT(metrics, ::testing::IsSupersetOf({std::string(metric::kTestLoss), std::string(metric::kExcessTestLoss),
                                                std::string(metric::kTrainLoss),
                                                metric::agreement("r2", "wiener", "test") + " t1",
                                                metric::agreement("r2", "bayes", "train") + " t10",
                                                metric::sample_agreement("mse", "wiener")}));
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
  // Calibration needs a reference with a setting to tune.
  config.denoise.references = {"wiener"};
  config.denoise.calibrate_against = "unet";
  EXPECT_THAT([&] { check_denoise_plan(config, dataset); },
              ThrowsMessage<ConfigError>(AllOf(HasSubstr("denoise.calibrate_against"), HasSubstr("ls, els, bbels"))));
  config.denoise.references = {"wiener", "ls"};
  EXPECT_NO_THROW(check_denoise_plan(config, dataset));
  // A patch the images cannot take is refused before any work: ELS with Kamb & Ganguli's borders
  // keeps training patches inside an image, and a 3x3 patch does not fit in 2x4 images.
  config.denoise.references = {"wiener", "els"};
  ASSERT_EQ(dataset.shape.height, 2);
  EXPECT_THAT([&] { check_denoise_plan(config, dataset); },
              ThrowsMessage<ConfigError>(AllOf(HasSubstr("denoise.patch_size"), HasSubstr("els"), HasSubstr("does not fit"))));
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
