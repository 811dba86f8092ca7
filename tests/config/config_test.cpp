#include "src/config/config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>

#include "datasets/image_codecs.h"
#include "src/common/error.h"
#include "tests/support/temp_dir.h"

namespace lindiff {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::TempDir;

std::string write_config(const TempDir& dir, const std::string& text) {
  const auto path = dir / "config.yaml";
  std::ofstream(path) << text;
  return path.string();
}

std::string config_error(const std::string& path, const std::vector<std::string>& overrides = {}) {
  try {
    load_config(path, overrides);
  } catch (const ConfigError& e) {
    return e.what();
  }
  ADD_FAILURE() << "expected ConfigError";
  return "";
}

void expect_contains(const std::string& text, const std::vector<std::string>& fragments) {
  for (const auto& fragment : fragments) {
    EXPECT_THAT(text, HasSubstr(fragment));
  }
}

TEST(Config, ShorthandDatasetAndDefaults) {
  TempDir dir;
  const ExperimentConfig config = load_config(write_config(dir, "name: demo\ndataset: synthetic\n"), {});
  ASSERT_EQ(config.datasets.size(), 1u);
  EXPECT_EQ(config.datasets[0].name, "synthetic");
  EXPECT_EQ(config.datasets[0].label, "synthetic_k1");
  ASSERT_TRUE(config.datasets[0].synthetic.has_value());
  EXPECT_EQ(config.output_dir, "runs/demo");
  EXPECT_EQ(config.spectrum.solver, "auto");
}

TEST(Config, UnknownKeyNamesKeyLineAndSuggestion) {
  TempDir dir;
  const std::string path = write_config(dir, "name: demo\ndataset: synthetic\nspectrum:\n  eigenvectrs: 3\n");
  expect_contains(config_error(path), {"config.yaml", "spectrum.eigenvectrs", "line 4", "did you mean 'eigenvectors'",
                                       "valid keys here"});
}

TEST(Config, WrongTypeSaysWhatIsExpected) {
  TempDir dir;
  expect_contains(config_error(write_config(dir, "dataset: synthetic\nspectrum: {eigenvectors: many}\n")),
                  {"spectrum.eigenvectors", "line 2", "expected an integer", "many"});
  expect_contains(config_error(write_config(dir, "dataset: synthetic\nseed: -3\n")),
                  {"seed", "non-negative integer"});
  expect_contains(config_error(write_config(dir, "datasets: synthetic\nspectrum: 3\n")),
                  {"spectrum", "expected a mapping"});
}

TEST(Config, ImpossibleValuesListWhatIsValid) {
  TempDir dir;
  expect_contains(config_error(write_config(dir, "dataset: {name: synthetic, scale: big}\n")),
                  {"datasets.0.scale", "line 1", "minus_one_one", "zero_one"});
  expect_contains(config_error(write_config(dir, "dataset: imagenet\n")),
                  {"datasets.0.name", "imagenet", "fashion_mnist"});
  expect_contains(config_error(write_config(dir, "dataset: synthetic\nspectrum: {fit_range: [5, 2]}\n")),
                  {"spectrum.fit_range", "first < last"});
  expect_contains(config_error(write_config(dir, "dataset: synthetic\nspectrum: {solver: qr}\n")),
                  {"spectrum.solver", "auto, dsyevd, eigen"});
  expect_contains(config_error(write_config(dir, "name: x\n")), {"datasets", "at least one"});
  expect_contains(config_error(write_config(dir, "dataset: synthetic\ntheory: {betas: [0.1, 1.5]}\n")),
                  {"theory.betas.1", "(0, 1)"});
  expect_contains(config_error(write_config(dir, "dataset: synthetic\ntheory: {c: [-1]}\n")), {"theory.c.0", ">= 0"});
  expect_contains(config_error(write_config(dir, "datasets: [synthetic, synthetic]\n")),
                  {"datasets.1.label", "twice"});
  expect_contains(config_error(write_config(dir, "dataset: {name: synthetic, synthetic: {shape: [0, 3]}}\n")),
                  {"datasets.0.synthetic.shape"});
}

// The comparison's timesteps: 8 log-spaced ones of the respaced chain when the file gives none
// (written into the resolved config), each given one checked against the chain's length.
TEST(Config, DenoiseTimestepsResolveToTheRespacedChain) {
  TempDir dir;
  const ExperimentConfig config = load_config(
      write_config(dir, "dataset: synthetic\ntheory: {steps: 1000, respace: 50}\ndenoise: {references: [wiener]}\n"), {});
  EXPECT_EQ(config.denoise.t, (std::vector<std::int64_t>{1, 2, 3, 5, 9, 16, 29, 50}));
  EXPECT_THAT(to_yaml(config), HasSubstr("references: [wiener]"));
  expect_contains(config_error(write_config(dir, "dataset: synthetic\ntheory: {respace: 50}\ndenoise: {references: [wiener], t: [1, 51]}\n")),
                  {"denoise.t.1", "51", "1 .. 50"});
  expect_contains(config_error(write_config(dir, "dataset: synthetic\ndenoise: {references: [wiener, wiener]}\n")),
                  {"denoise.references.1", "twice"});
  expect_contains(config_error(write_config(dir, "dataset: synthetic\ndenoise: {queries: 0}\n")), {"denoise.queries", "1 .. 1000000"});
  expect_contains(config_error(write_config(dir, "dataset: synthetic\ndenoise: {patch_size: 4}\n")), {"denoise.patch_size", "odd"});
  expect_contains(config_error(write_config(dir, "dataset: synthetic\ndenoise: {els_padding: reflect}\n")),
                  {"denoise.els_padding", "kamb_ganguli, circular, zero"});
}

// Every config the repository ships loads and validates (a renamed key or a value that a later
// check refuses would otherwise reach the user first).
TEST(Config, EveryShippedConfigLoads) {
  const std::filesystem::path configs = std::filesystem::path(LINDIFF_SOURCE_DIR) / "configs";
  int loaded = 0;
  for (const auto& entry : std::filesystem::directory_iterator(configs)) {
    if (entry.path().extension() != ".yaml") continue;
    try {
      load_config(entry.path(), {});
    } catch (const ConfigError& e) {
      // A build without OpenCV (the lean GPU build) refuses resizing and the digit sheet by key.
      EXPECT_FALSE(image_codecs_available()) << e.what();
      EXPECT_THAT(e.what(), HasSubstr("needs OpenCV"));
    }
    ++loaded;
  }
  EXPECT_GE(loaded, 5);
}

// denoise.calibrate_against names a trained model or a network of the run; its candidates are
// checked like the settings they stand for.
TEST(Config, CalibrationNamesANetworkOfTheRun) {
  TempDir dir;
  const ExperimentConfig config = load_config(
      write_config(dir, "dataset: synthetic\ntraining: {models: [unet]}\n"
                        "denoise: {references: [ls], calibrate_against: unet, calibrate_patch_sizes: [3, 9]}\n"),
      {});
  EXPECT_EQ(config.denoise.calibrate_against, "unet");
  EXPECT_EQ(config.denoise.calibrate_patch_sizes, (std::vector<int>{3, 9}));
  expect_contains(config_error(write_config(dir, "dataset: synthetic\ntraining: {models: [linear]}\n"
                                                 "networks: [{name: mine, file: net.pt, n: 64}]\n"
                                                 "denoise: {references: [ls], calibrate_against: unet}\n")),
                  {"denoise.calibrate_against", "'unet'", "valid: linear, mine"});
  expect_contains(config_error(write_config(dir, "dataset: synthetic\ntraining: {models: [unet]}\n"
                                                 "denoise: {references: [ls], calibrate_against: unet, calibrate_patch_sizes: []}\n")),
                  {"denoise.calibrate_patch_sizes", "empty"});
  expect_contains(config_error(write_config(dir, "dataset: synthetic\ndenoise: {calibrate_patch_sizes: [3, 6]}\n")),
                  {"denoise.calibrate_patch_sizes.1", "6", "odd"});
  expect_contains(config_error(write_config(dir, "dataset: synthetic\ndenoise: {calibrate_thresholds: [0.1, 1.5]}\n")),
                  {"denoise.calibrate_thresholds.1", "1.5", "(0, 1)"});
}

// networks: entries parse into typed values, read back from the resolved YAML, and each mistake
// is named by its key.
TEST(Config, NetworkEntriesAreTypedAndValidated) {
  TempDir dir;
  const ExperimentConfig config = load_config(
      write_config(dir, "dataset: synthetic\nnetworks:\n  - {name: mine, file: net.pt, objective: data, n: 64, input: flat, "
                        "timestep: zero_based, steps: 5000}\n"),
      {});
  ASSERT_EQ(config.networks.size(), 1u);
  const NetworkSpec& net = config.networks[0];
  EXPECT_EQ(net.name, "mine");
  EXPECT_EQ(net.objective, Objective::kData);
  EXPECT_EQ(net.input, NetworkInput::kFlat);
  EXPECT_EQ(net.timestep, TimestepBase::kZeroBased);
  EXPECT_EQ(net.steps, 5000);
  EXPECT_EQ(load_config_text(to_yaml(config), "resolved").networks[0].timestep, TimestepBase::kZeroBased);
  expect_contains(config_error(write_config(dir, "dataset: synthetic\nnetworks: [{name: a, file: x.pt}]\n")), {"networks.0.n", "N >= 1"});
  expect_contains(config_error(write_config(dir, "dataset: synthetic\nnetworks: [{name: a, n: 4}]\n")), {"networks.0.file", "torch.jit.save"});
  expect_contains(config_error(write_config(dir, "dataset: synthetic\nnetworks: [{name: a, file: x.pt, n: 4}, {name: a, file: y.pt, n: 4}]\n")),
                  {"networks.1.name", "twice"});
  expect_contains(config_error(write_config(dir, "dataset: synthetic\nnetworks: [{name: 'a b', file: x.pt, n: 4}]\n")), {"networks.0.name"});
  expect_contains(config_error(write_config(dir, "dataset: synthetic\nnetworks: [{name: a, file: x.pt, n: 4, timestep: one}]\n")),
                  {"networks.0.timestep", "one_based, zero_based"});
  expect_contains(config_error(write_config(dir, "dataset: synthetic\nnetworks: [{name: a, file: x.pt, n: 4, dataset: mnist}]\n")),
                  {"networks.0.dataset", "'mnist'", "synthetic"});
  expect_contains(config_error(write_config(dir, "datasets: [synthetic, {name: synthetic, label: other}]\nnetworks: [{name: a, file: x.pt, n: 4}]\n")),
                  {"networks.0.dataset", "2 datasets"});
}

// one_step.preset: ldm fills the conventions of LDM.py (level e^{-2T} for the file's T) into
// the keys the file leaves out; keys it gives win, and the resolved config reads back the same.
TEST(Config, LdmPresetFillsTheConventionsTheFileLeavesOut) {
  TempDir dir;
  const ExperimentConfig preset =
      load_config(write_config(dir, "dataset: synthetic\none_step: {n: [25], preset: ldm, time: 1.5}\n"), {});
  EXPECT_DOUBLE_EQ(preset.one_step.level, std::exp(-3.0));
  EXPECT_EQ(preset.one_step.prior, "fitted");
  EXPECT_EQ(preset.one_step.covariance, "transposed");
  EXPECT_EQ(preset.one_step.delta, "kde_l2");
  EXPECT_EQ(preset.one_step.fresh, 10000);
  const ExperimentConfig again = load_config_text(to_yaml(preset), "resolved");
  EXPECT_EQ(again.one_step.level, preset.one_step.level);
  EXPECT_EQ(to_yaml(again), to_yaml(preset));
  const ExperimentConfig chosen = load_config(write_config(dir, "dataset: synthetic\none_step: {preset: ldm}\n"),
                                              {"one_step.delta=mmd", "one_step.level=1"});
  EXPECT_EQ(chosen.one_step.delta, "mmd");
  EXPECT_EQ(chosen.one_step.fresh, 0) << "mmd compares with N rows: the preset leaves fresh alone";
  EXPECT_EQ(chosen.one_step.level, 1.0);
  EXPECT_EQ(chosen.one_step.covariance, "transposed");
  EXPECT_THAT(config_error(write_config(dir, "dataset: synthetic\none_step: {fresh: 500}\n")),
              AllOf(HasSubstr("one_step.fresh"), HasSubstr("kde_l2 only")));
  const ExperimentConfig plain = load_config(write_config(dir, "dataset: synthetic\n"), {});
  EXPECT_EQ(plain.one_step.prior, "stationary");
  EXPECT_EQ(plain.one_step.covariance, "pushforward");
  EXPECT_EQ(plain.one_step.delta, "mmd");
  EXPECT_THAT(config_error(write_config(dir, "dataset: synthetic\none_step: {preset: ldm2}\n")),
              AllOf(HasSubstr("one_step.preset"), HasSubstr("valid: ldm")));
  EXPECT_THAT(config_error(write_config(dir, "dataset: synthetic\none_step: {covariance: transpose}\n")),
              AllOf(HasSubstr("one_step.covariance"), HasSubstr("pushforward, transposed")));
}

TEST(Config, TrainingSettingsAreValidated) {
  TempDir dir;
  expect_contains(config_error(write_config(dir, "dataset: synthetic\ntraining: {linear: {optimizer: lbfgs}}\n")),
                  {"training.linear.optimizer", "sgd, adam, adamw"});
  expect_contains(config_error(write_config(dir, "dataset: synthetic\ntraining: {unet: {time_dim: 7}}\n")),
                  {"training.unet.time_dim", "even"});
  expect_contains(config_error(write_config(dir, "dataset: synthetic\ntraining: {unet: {precision: half}}\n")),
                  {"training.unet.precision", "float32, bfloat16"});
  expect_contains(config_error(write_config(dir, "dataset: synthetic\ntraining: {device: tpu}\n")),
                  {"training.device", "cpu, cuda"});
  expect_contains(config_error(write_config(dir, "dataset: synthetic\ntraining: {checkpoints: 1}\n")),
                  {"training.checkpoints", "2 .. 10000"});
  expect_contains(config_error(write_config(dir, "dataset: synthetic\ntraining: {checkpoints: 1000000000}\n")),
                  {"training.checkpoints", "2 .. 10000"});
  expect_contains(config_error(write_config(dir, "dataset: synthetic\ntraining: {unet: {stepz: 10}}\n")),
                  {"training.unet.stepz", "steps"});
}

// Steps are a positive count or auto, read and written as such; anything else is refused by key.
TEST(Config, StepsAreACountOrAuto) {
  TempDir dir;
  const std::string path = write_config(dir, "dataset: synthetic\ntraining:\n  linear: {steps: 1500}\n  unet: {steps: auto}\n");
  const ExperimentConfig config = load_config_text(to_yaml(load_config(path, {})), "resolved.yaml");
  EXPECT_EQ(config.training.linear.steps, StepCount::fixed(1500));
  EXPECT_EQ(config.training.unet.steps, StepCount::chosen());
  EXPECT_THAT(to_yaml(config), HasSubstr("steps: auto"));
  expect_contains(config_error(path, {"training.linear.steps=often"}),
                  {"training.linear.steps", "'often'", "a positive integer or auto"});
  expect_contains(config_error(path, {"training.linear.steps=-3"}), {"training.linear.steps", ">= 1 or auto"});
  expect_contains(config_error(path, {"training.linear.steps=[1, 2]"}), {"training.linear.steps", "a non-scalar"});
  expect_contains(config_error(path, {"training.linear.steps=auto", "training.linear.max_steps=10",
                                      "training.linear.lr_warmup_steps=10"}),
                  {"training.linear.lr_warmup_steps", "max_steps"});
  expect_contains(config_error(path, {"training.unet.max_steps=10000000000000"}),
                  {"training.unet.max_steps", "1 .. 10^12"});
}

TEST(Config, DuplicateKeysAreRefusedNamingBothLines) {
  TempDir dir;
  // yaml-cpp keeps the first of two equal keys silently; the second value was ignored.
  expect_contains(config_error(write_config(dir, "dataset: synthetic\nseed: 1\nname: a\nseed: 2\n")),
                  {"key 'seed'", "line 4", "twice", "line 2"});
  expect_contains(config_error(write_config(dir, "dataset: synthetic\ntraining:\n  linear: {steps: 5, steps: 6}\n")),
                  {"training.linear.steps", "twice"});
}

TEST(Config, NonFiniteNumbersAreRefusedWhereverTheyAppear) {
  TempDir dir;
  // .inf as a gradient-descent step count became step -9223372036854775808.
  expect_contains(config_error(write_config(dir, "dataset: synthetic\ntheory: {gd_steps: [.inf]}\n")),
                  {"theory.gd_steps.0", "finite", ".inf"});
  expect_contains(config_error(write_config(dir, "dataset: synthetic\ntheory: {learning_rate: .inf}\n")),
                  {"theory.learning_rate", "finite"});
  expect_contains(config_error(write_config(dir, "dataset: synthetic\ntraining: {unet: {weight_decay: .nan}}\n")),
                  {"training.unet.weight_decay", "finite"});
  expect_contains(config_error(write_config(dir, "dataset: synthetic\ntheory: {gd_steps: [1e300]}\n")),
                  {"theory.gd_steps.0", "2^53"});
}

// Names become file names and figure titles: paths, commands, control characters and long
// names are refused where they are given, with the first bad character shown.
TEST(Config, NamesAndLabelsAreOnePlainWord) {
  TempDir dir;
  const std::string path = write_config(dir, "name: demo\ndataset: {name: synthetic}\n");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"dataset.label=x$(cd;touch PWNED)", "'$'"}, {"dataset.label=../../escaped", "starts with '.'"},
      {"dataset.label=a/b", "'/'"}, {"name=a\nb", "\\x20"}, {"dataset.label=" + std::string(300, 'a'), "300 characters"}};
  for (const auto& [assignment, shown] : cases) {
    const std::string key = assignment.rfind("name", 0) == 0 ? "key 'name'" : "datasets.0.label";
    expect_contains(config_error(path, {assignment}), {key, shown});
  }
}

// --set datasets.0.x (the docs' spelling) works on a `dataset:` file and --set dataset.x on a
// one-entry `datasets:` list; with several datasets dataset.x is refused naming the index form.
TEST(Config, DatasetOverridesWorkInBothSpellings) {
  TempDir dir;
  const std::string single = write_config(dir, "name: demo\ndataset: synthetic\n");
  EXPECT_EQ(load_config(single, {"datasets.0.label=mine"}).datasets[0].label, "mine");
  EXPECT_EQ(load_config(single, {"dataset.label=mine"}).datasets[0].label, "mine");
  const std::string listed = write_config(dir, "name: demo\ndatasets: [{name: synthetic}, {name: synthetic, label: b}]\n");
  expect_contains(config_error(listed, {"dataset.label=x"}), {"lists 2 datasets", "datasets.0.label"});
}

TEST(Config, AYamlMergeKeyIsNamedAsUnsupported) {
  TempDir dir;
  expect_contains(config_error(write_config(dir, "name: demo\ndataset: synthetic\nspectrum: &s {examples: 2}\ntheory:\n  <<: *s\n")),
                  {"merge key", "anchor"});
}

TEST(Config, ImpossibleCombinationsAreRefused) {
  TempDir dir;
  expect_contains(config_error(write_config(dir, "dataset: synthetic\ntheory: {beta_min: 0.02, beta_max: 0.001}\n")),
                  {"theory.beta_min", "above theory.beta_max", "must not decrease"});
  for (const char* name : {"'..'", "'.'", "a/b"}) {
    expect_contains(config_error(write_config(dir, std::string("dataset: synthetic\nname: ") + name + "\n")),
                    {"key 'name'", "a name is 1-64 characters from A-Z a-z 0-9 _ - . +"});
  }
}

TEST(Config, OneStepSettingsAreValidated) {
  TempDir dir;
  expect_contains(config_error(write_config(dir, "dataset: synthetic\none_step: {n: [1]}\n")), {"one_step.n.0", ">= 2"});
  expect_contains(config_error(write_config(dir, "dataset: synthetic\none_step: {draws: 0}\n")), {"one_step.draws", ">= 1"});
  expect_contains(config_error(write_config(dir, "dataset: synthetic\none_step: {time: -1}\n")), {"one_step.time", "> 0"});
  expect_contains(config_error(write_config(dir, "dataset: synthetic\none_step: {bandwith: 2}\n")),
                  {"one_step.bandwith", "bandwidth"});
}

// A resolved config read back from its text (as `lindiff sample` does) is the same config.
TEST(Config, ResolvedTextLoadsBackUnchanged) {
  TempDir dir;
  const ExperimentConfig config = load_config(
      write_config(dir, "dataset: synthetic\ntraining: {n: [8, 16], unet: {depth: 1}}\n"), {});
  const ExperimentConfig again = load_config_text(to_yaml(config), "cell.json");
  EXPECT_EQ(to_yaml(again), to_yaml(config));
  EXPECT_EQ(again.training.unet.depth, 1);
  EXPECT_THROW(load_config_text("[1, 2]", "cell.json"), ConfigError);
}

TEST(Config, MalformedYamlAndMissingFileAreNamed) {
  TempDir dir;
  expect_contains(config_error(write_config(dir, "name: [unclosed\n")), {"config.yaml:", "malformed YAML"});
  expect_contains(config_error((dir / "absent.yaml").string()), {"absent.yaml", "does not exist"});
  expect_contains(config_error(write_config(dir, "dataset: synthetic\ndatasets: [synthetic]\n")),
                  {"either 'dataset' or 'datasets'"});
}

TEST(Config, OverridesApplyBeforeValidation) {
  TempDir dir;
  const std::string path = write_config(dir, "datasets:\n  - name: synthetic\n    synthetic: {k: 1}\n");
  const ExperimentConfig config =
      load_config(path, {"datasets.0.synthetic.k=2.5", "spectrum.eigenvectors=4", "name=other"});
  EXPECT_DOUBLE_EQ(config.datasets[0].synthetic->k, 2.5);
  EXPECT_EQ(config.datasets[0].label, "synthetic_k2.5");
  EXPECT_EQ(config.spectrum.eigenvectors, 4);
  EXPECT_EQ(config.output_dir, "runs/other");
  expect_contains(config_error(path, {"spectrum.eigenvectors=x"}), {"spectrum.eigenvectors", "from --set"});
  expect_contains(config_error(path, {"novalue"}), {"novalue", "key=value"});
  expect_contains(config_error(path, {"datasets.7.k=1"}), {"'7' is not an index"});
  expect_contains(config_error(path, {"spectrum.typo=1"}), {"spectrum.typo", "unknown key"});
}

TEST(Config, ResolvedYamlLoadsBackToTheSameConfig) {
  TempDir dir;
  const std::string path = write_config(
      dir, "name: rt\nseed: 3\ndatasets:\n  - {name: synthetic, synthetic: {k: 0.5, shape: [2, 3, 3]}}\n"
           "  - {name: fashion_mnist, crop: 20, optional: true}\n");
  const ExperimentConfig first = load_config(path, {});
  const std::string yaml = to_yaml(first);
  const ExperimentConfig second = load_config(write_config(dir, yaml), {});
  EXPECT_EQ(to_yaml(second), yaml);
  EXPECT_EQ(second.datasets[1].crop, (std::vector<int>{20}));
  EXPECT_EQ(second.datasets[0].synthetic->shape, (std::vector<int>{2, 3, 3}));
  EXPECT_EQ(second.seed, 3u);
}

TEST(Config, DescribeKeysListsNestedKeysWithHelp) {
  const std::string keys = describe_keys();
  expect_contains(keys, {"spectrum.fit_range = [1, 0]", "datasets[].synthetic.k = 1", "datasets[].scale = minus_one_one"});
}

// Each model's section lists only its own keys (the shared optimizer keys in both).
TEST(Config, DescribeKeysListsEachModelsOwnKeys) {
  const std::string keys = describe_keys();
  EXPECT_THAT(keys, HasSubstr("training.unet.depth = 2"));
  EXPECT_THAT(keys, HasSubstr("training.linear.init = zero"));
  EXPECT_THAT(keys, HasSubstr("training.linear.batch_size = 256"));
  EXPECT_THAT(keys, HasSubstr("training.unet.batch_size = 128"));
  EXPECT_THAT(keys, Not(HasSubstr("training.linear.depth")));
  EXPECT_THAT(keys, Not(HasSubstr("training.linear.time_dim")));
  EXPECT_THAT(keys, Not(HasSubstr("training.unet.init")));
  EXPECT_THAT(keys, Not(HasSubstr("training.unet.train_bias")));
}

// A U-Net key under training.linear (or a linear key under training.unet) says where it lives.
TEST(Config, KeyOfTheOtherModelSaysWhereItMoved) {
  TempDir dir;
  const std::string message = config_error(
      write_config(dir, "dataset: synthetic\ntraining:\n  linear:\n    steps: 10\n    depth: 3\n"));
  EXPECT_THAT(message, HasSubstr("config.yaml: key 'training.linear.depth' (line 5): moved: U-Net settings live "
                                 "under training.unet (training.unet.depth)"));
  const std::string linear_only =
      config_error(write_config(dir, "dataset: synthetic\ntraining:\n  unet: {train_bias: true}\n"));
  EXPECT_THAT(linear_only, HasSubstr("key 'training.unet.train_bias' (line 3)"));
  EXPECT_THAT(linear_only, HasSubstr("applies only to the linear model (training.linear.train_bias)"));
  EXPECT_THAT(linear_only, Not(HasSubstr("unknown key")));
}

TEST(Config, KeyOfTheOtherModelFromAnOverrideSaysWhereItMoved) {
  TempDir dir;
  const std::string path = write_config(dir, "dataset: synthetic\n");
  EXPECT_THAT(config_error(path, {"training.linear.depth=3"}),
              HasSubstr("key 'training.linear.depth' (from --set): moved: U-Net settings live under training.unet "
                        "(training.unet.depth)"));
  EXPECT_THAT(config_error(path, {"training.unet.init=normal"}),
              HasSubstr("key 'training.unet.init' (from --set): applies only to the linear model (training.linear.init)"));
  EXPECT_THAT(config_error(path, {"training.linear.dept=3"}), HasSubstr("unknown key"));
}

// The per-model defaults, and that they survive the resolved YAML.
TEST(Config, ModelDefaultsAreUnchangedAndRoundTrip) {
  TempDir dir;
  const ExperimentConfig config =
      load_config_text(to_yaml(load_config(write_config(dir, "dataset: synthetic\n"), {})), "resolved.yaml");
  const LinearTrainingSpec& linear = config.training.linear;
  EXPECT_EQ(linear.optimizer, Optimizer::kSgd);
  EXPECT_EQ(linear.learning_rate, 0);
  EXPECT_EQ(linear.rate.kind, LrSchedule::kConstant);
  EXPECT_EQ(linear.weight_decay, 0);
  EXPECT_EQ(linear.steps, StepCount::chosen());
  EXPECT_EQ(linear.max_steps, 300000);
  EXPECT_EQ(linear.auto_tolerance, 0.005);
  EXPECT_EQ(linear.batch_size, 256);
  EXPECT_FALSE(linear.one_t_per_batch);
  EXPECT_EQ(linear.init, LinearInit::kZero);
  EXPECT_FALSE(linear.train_bias);
  const UNetTrainingSpec& unet = config.training.unet;
  EXPECT_EQ(unet.optimizer, Optimizer::kAdam);
  EXPECT_EQ(unet.learning_rate, 0);
  EXPECT_EQ(unet.rate.kind, LrSchedule::kCosine);
  EXPECT_EQ(unet.weight_decay, 0);
  EXPECT_EQ(unet.steps, StepCount::chosen());
  EXPECT_EQ(unet.max_steps, 20000);
  EXPECT_EQ(unet.ema_decay, 0.999);
  EXPECT_EQ(unet.batch_size, 128);
  EXPECT_FALSE(unet.one_t_per_batch);
  EXPECT_EQ(unet.base_channels, 32);
  EXPECT_EQ(unet.depth, 2);
  EXPECT_EQ(unet.groups, 8);
  EXPECT_EQ(unet.time_dim, 64);
  EXPECT_EQ(unet.precision, Precision::kFloat32);
  TrainingSpec changed = config.training;
  changed.linear.steps = StepCount::fixed(7);
  changed.unet.depth = 1;
  changed.checkpoints = 3;
  const TrainingSpec reset = changed.without_model_sections();
  EXPECT_EQ(reset.linear.steps, LinearTrainingSpec{}.steps);
  EXPECT_EQ(reset.unet.depth, UNetTrainingSpec{}.depth);
  EXPECT_EQ(reset.checkpoints, 3);
}

}  // namespace
}  // namespace lindiff
