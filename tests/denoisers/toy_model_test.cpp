// Adding a model is one registry entry plus its module: a toy model registered here (and
// nowhere else in lindiff) trains, resumes, is evaluated, and appears in every training figure
// and the report.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>
#include <ATen/Parallel.h>
#include <torch/torch.h>

#include "src/denoisers/registry.h"
#include "src/figures/figure_registry.h"
#include "src/jobs/run_job.h"
#include "src/report/metrics.h"
#include "src/report/run_report.h"
#include "tests/support/synthetic_data.h"
#include "tests/support/temp_dir.h"

namespace lindiff {
namespace {

// The module: eps_hat = s_t x, one learnt scale per timestep.
struct ToyScaleImpl : torch::nn::Module {
  explicit ToyScaleImpl(std::int64_t steps) : scale(register_parameter("scale", torch::full({steps}, 0.5))) {}
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& t) { return scale.index_select(0, t - 1).unsqueeze(1) * x; }
  torch::Tensor scale;
};
TORCH_MODULE(ToyScale);

// The entry: its names, how c enters, its config section (the U-Net's optimisation keys), its builder.
DenoiserKind toy_kind() {
  DenoiserKind kind;
  kind.name = "toy";
  kind.display_name = "toy scale";
  kind.regulariser = RegulariserForm::kNoiseAugmentation;
  kind.style = ModelStyle{"toy", "toy scale", 6, false};
  kind.optimizer = [](const TrainingSpec& training) -> const OptimizerSpec& { return training.unet; };
  kind.keep_sections = [](const TrainingSpec& from, TrainingSpec& to) { to.unet = from.unet; };
  kind.build = [](const ModelInputs& in) { return trainable_module(ToyScale(in.schedule.steps()), in); };
  kind.memory = [](const MemoryInputs&) { return std::vector<MemoryPart>{{"the toy model", 1024.0, "training.unet", true}}; };
  return kind;
}

const bool kToyRegistered = (register_denoiser_kind(toy_kind()), true);

ExperimentConfig toy_experiment(const std::filesystem::path& out) {
  SyntheticSpec synthetic;
  synthetic.shape = {2, 2};
  synthetic.n_train = 64;
  synthetic.n_test = 64;
  ExperimentConfig config;
  config.name = "toy";
  config.output_dir = out.string();
  config.datasets = {testing::synthetic_spec(synthetic, 1)};
  config.spectrum.cov_error_n = {8, 32};
  config.theory.steps = 10;
  config.theory.n = {8, 32};
  config.theory.c = {0};
  config.theory.objectives = {Objective::kNoise};
  config.theory.mode_ranks = 2;
  config.theory.loss_timesteps = {1, 10};
  config.training.models = {"linear", "toy"};
  config.training.n = {8, 32};
  config.training.checkpoints = 3;
  config.training.eval_samples = 128;
  config.training.samples = 64;
  config.training.linear.steps = StepCount::fixed(30);
  config.training.unet.steps = StepCount::fixed(30);
  config.training.unet.learning_rate = 1e-2;
  return config;
}

std::string read(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The rows of the toy model's cells.
ResultsTable toy_rows(const ResultsTable& table) {
  ResultsTable rows;
  for (const ResultRow& r : table.rows()) {
    if (r.model == "toy") rows.add(r);
  }
  return rows;
}

TEST(ToyModel, OneRegistryEntryTrainsResumesEvaluatesAndIsDrawnAndReported) {
  ASSERT_TRUE(kToyRegistered);
  // Fixes the thread count before any work, as the command line does (initialise_runtime): the
  // OpenMP BLAS follows LibTorch's first setting, and two runs in one process must sum alike.
  at::set_num_threads(at::get_num_threads());
  testing::TempDir dir;
  const ExperimentConfig config = toy_experiment(dir / "run");
  run_experiment_job(config, "inline", RuntimeInfo{}, Shard{});
  const ResultsTable table = ResultsTable::read_csv(dir / "run/results.csv");

  // Trained and evaluated: Monte Carlo losses at every checkpoint, a verdict, samples, memorisation.
  const ResultsTable toy = toy_rows(table);
  std::map<std::string, int> metrics;
  for (const ResultRow& r : toy.rows()) ++metrics[r.metric + "/" + r.source];
  EXPECT_EQ(metrics["train_loss/monte_carlo"], 2 * 3);  // 2 cells x 3 checkpoints
  EXPECT_EQ(metrics["test_loss/monte_carlo"], 2 * 3);
  EXPECT_EQ(metrics["excess_test_loss/monte_carlo"], 2 * 3);  // synthetic data: the Bayes-optimal loss exists
  EXPECT_EQ(metrics["converged/training"], 2);
  EXPECT_EQ(metrics["memorized_fraction/monte_carlo"], 2);
  EXPECT_EQ(metrics["kl_data_model_per_dim/monte_carlo"], 2);
  EXPECT_EQ(metrics["test_loss/exact"], 0);  // no exact evaluation for this kind
  for (const ResultRow& r : toy.rows()) {
    if (r.metric == metric::kLearningRate) {
      EXPECT_DOUBLE_EQ(r.value, 1e-2);
    }
  }

  // Resumes: with its finished rows gone, the cell is evaluated again from its last checkpoint
  // and gives the same rows; without its checkpoint losses too (a folder of an earlier lindiff),
  // it is trained again from the start, to the same rows.
  std::ostringstream before;
  toy.write_csv(before);
  for (const char* also_removed : {"", "checkpoint_losses.json"}) {
    int removed = 0;
    for (const auto& entry : std::filesystem::directory_iterator(dir / "run/checkpoints")) {
      if (entry.is_directory() && entry.path().filename().string().rfind("synthetic_k1_toy_", 0) == 0 &&
          std::filesystem::remove(entry.path() / "rows.csv")) {
        ++removed;
        if (*also_removed != '\0') {
          EXPECT_TRUE(std::filesystem::remove(entry.path() / also_removed));
        }
      }
    }
    EXPECT_EQ(removed, 2);
    run_experiment_job(config, "inline", RuntimeInfo{}, Shard{});
    std::ostringstream after;
    toy_rows(ResultsTable::read_csv(dir / "run/results.csv")).write_csv(after);
    EXPECT_EQ(after.str(), before.str()) << "also removed: '" << also_removed << "'";
  }

  // In every training figure (strictly: no required series may be empty), next to the linear model.
  RunFolder figures(dir / "figures");
  draw_figures(FigureStage::kTraining, FigureContext{table, "synthetic_k1", 4, model_styles(), {1, 0}, figures, false, true});
  int drawn = 0;
  for (const auto& entry : std::filesystem::directory_iterator(figures.staging_dir() / "figures")) {
    if (entry.path().extension() != ".gp") continue;
    ++drawn;
    const std::string script = read(entry.path());
    EXPECT_NE(script.find("toy scale"), std::string::npos) << entry.path().filename();
    EXPECT_NE(script.find("linear"), std::string::npos) << entry.path().filename();
  }
  EXPECT_GE(drawn, 9);  // loss, KL, excess, 4 kinds of steps, memorisation, mode variances

  // And in the report's table of trained cells.
  const ReportSources sources{{figures.staging_dir() / "figures"}, dir / "run", "", nlohmann::json::object()};
  write_run_report(table, sources, report_sections(), dir / "report.html");
  const std::string report = read(dir / "report.html");
  EXPECT_NE(report.find("<td>toy</td>"), std::string::npos);
}

}  // namespace
}  // namespace lindiff
