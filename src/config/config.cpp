#include "src/config/config.h"

#include <algorithm>
#include <filesystem>
#include <set>
#include <sstream>

#include "datasets/registry.h"
#include "src/common/log_spaced.h"
#include "src/common/safe_name.h"
#include "src/config/config_io.h"
#include "src/theory/eigen_system.h"
#include "src/theory/schedule.h"

#include <cmath>

namespace lindiff {

namespace {

YAML::Node parse_file(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    throw ConfigError("config file '" + path + "' does not exist or is not a file");
  }
  try {
    YAML::Node root = YAML::LoadFile(path);
    if (root.IsNull()) root = YAML::Node(YAML::NodeType::Map);
    if (!root.IsMap()) throw ConfigError(path + ": the top level must be a mapping of keys to values");
    return root;
  } catch (const YAML::ParserException& e) {
    throw ConfigError(path + ":" + std::to_string(e.mark.line + 1) + ":" +
                      std::to_string(e.mark.column + 1) + ": malformed YAML: " + e.msg);
  }
}

// "dataset: X" is the single-dataset form of "datasets: [X]".
void fold_dataset_alias(YAML::Node& root, const std::string& path) {
  if (!root["dataset"]) return;
  if (root["datasets"]) {
    throw ConfigError(path + ": give either 'dataset' or 'datasets', not both");
  }
  YAML::Node list(YAML::NodeType::Sequence);
  list.push_back(root["dataset"]);
  root["datasets"] = list;
  root.remove("dataset");
}

// `--set dataset.x=v` as `datasets.0.x=v` when the file has exactly one dataset (so both
// spellings work whichever one the file uses); refused by name when it lists several.
std::string with_dataset_alias_resolved(YAML::Node& root, const std::string& assignment) {
  const std::string key = assignment.substr(0, assignment.find('='));
  YAML::Node datasets = root["datasets"];
  if (!datasets || !datasets.IsSequence()) return assignment;
  std::string resolved = assignment;
  if (key == "dataset" || key.rfind("dataset.", 0) == 0) {
    if (datasets.size() != 1) {
      throw ConfigError("--set '" + assignment + "': this config lists " + std::to_string(datasets.size()) +
                        " datasets; name one by its index, e.g. --set datasets.0" + key.substr(7) + "=...");
    }
    resolved = "datasets.0" + assignment.substr(7);
  }
  // `dataset: synthetic` is a name alone: a key set inside it needs a mapping {name: synthetic}.
  std::size_t index = 0;
  char dot = 0;
  std::istringstream path(resolved.substr(0, resolved.find('=')));
  std::string head(9, ' ');
  if (path.read(&head[0], 9) && head == "datasets." && path >> index >> dot && dot == '.' && index < datasets.size() &&
      datasets[index].IsScalar()) {
    YAML::Node entry(YAML::NodeType::Map);
    entry["name"] = datasets[index].Scalar();
    datasets[index] = entry;
  }
  return resolved;
}

void validate_spectrum(const SpectrumSpec& s, const ConfigFail& fail) {
  if (s.n_train < 0) fail("spectrum.n_train", "must be >= 0 (0 = the whole pool)");
  try {
    parse_eigen_solver(s.solver);
  } catch (const std::invalid_argument& e) {
    fail("spectrum.solver", e.what());
  }
  validate_choice(s.route, {"auto", "covariance", "gram"}, "spectrum.route", fail);
  if (s.fit_range.size() != 2 || s.fit_range[0] < 1 || s.fit_range[1] < 0 ||
      (s.fit_range[1] != 0 && s.fit_range[1] <= s.fit_range[0])) {
    fail("spectrum.fit_range", "must be [first, last] with 1 <= first < last, or last = 0 (to the end)");
  }
  if (s.eigenvectors < 0) fail("spectrum.eigenvectors", "must be >= 0");
  if (s.examples < 0) fail("spectrum.examples", "must be >= 0");
  for (std::size_t i = 0; i < s.cov_error_n.size(); ++i) {
    if (s.cov_error_n[i] < 2) fail("spectrum.cov_error_n." + std::to_string(i), "must be >= 2");
  }
}

void validate_theory(const TheorySpec& t, const ConfigFail& fail) {
  if (t.steps < 1) fail("theory.steps", "must be >= 1");
  if (t.beta_min < 0 || t.beta_min >= 1) fail("theory.beta_min", "must lie in [0, 1) (0 = default)");
  if (t.beta_max < 0 || t.beta_max >= 1) fail("theory.beta_max", "must lie in [0, 1) (0 = default)");
  if (t.betas.empty() && t.beta_min > 0 && t.beta_max > 0 && t.beta_min > t.beta_max) {
    std::ostringstream values;
    values << "is " << t.beta_min << ", above theory.beta_max = " << t.beta_max << "; the noise schedule must not decrease";
    fail("theory.beta_min", values.str());
  }
  for (std::size_t i = 0; i < t.betas.size(); ++i) {
    if (!(t.betas[i] > 0 && t.betas[i] < 1)) fail("theory.betas." + std::to_string(i), "must lie in (0, 1)");
  }
  const int total = t.betas.empty() ? t.steps : static_cast<int>(t.betas.size());
  if (t.respace < 0 || t.respace > total) fail("theory.respace", "must lie in 0..T (0 = all steps)");
  for (std::size_t i = 0; i < t.n.size(); ++i) {
    if (t.n[i] < 2) fail("theory.n." + std::to_string(i), "N must be >= 2");
  }
  if (t.c.empty()) fail("theory.c", "give at least one value (0 = no regularisation)");
  for (std::size_t i = 0; i < t.c.size(); ++i) {
    if (!(t.c[i] >= 0) || !std::isfinite(t.c[i])) fail("theory.c." + std::to_string(i), "must be a finite number >= 0");
  }
  if (t.objectives.empty()) fail("theory.objectives", "give noise, data or both");
  for (std::size_t i = 0; i < t.gd_steps.size(); ++i) {
    // Step counts become 64-bit integers; 2^53 keeps every one exact.
    if (!(t.gd_steps[i] >= 0 && t.gd_steps[i] <= 9007199254740992.0)) {
      fail("theory.gd_steps." + std::to_string(i), "must lie in [0, 2^53]");
    }
  }
  if (!(t.learning_rate >= 0)) fail("theory.learning_rate", "must be >= 0 (0 = automatic)");
  if (t.mode_ranks < 0 || t.mode_ranks > 1000) fail("theory.mode_ranks", "must lie in 0 .. 1000 (one curve per rank)");
}

void validate_optimizer(const OptimizerSpec& m, const std::string& prefix, const ConfigFail& fail) {
  if (!(m.learning_rate >= 0) || !std::isfinite(m.learning_rate)) fail(prefix + "learning_rate", "must be >= 0 (0 = automatic)");
  if (!(m.weight_decay >= 0)) fail(prefix + "weight_decay", "must be >= 0");
  if (!m.steps.automatic && m.steps.value < 1) fail(prefix + "steps", "must be >= 1 or auto");
  if (m.max_steps < 1 || m.max_steps > 1000000000000) fail(prefix + "max_steps", "must lie in 1 .. 10^12");
  if (m.batch_size < 1) fail(prefix + "batch_size", "must be >= 1");
  // With auto, the warm-up must leave room in the longest run it may choose.
  const std::int64_t longest = m.steps.automatic ? m.max_steps : m.steps.value;
  if (m.rate.warmup_steps < 0 || m.rate.warmup_steps >= longest) {
    fail(prefix + "lr_warmup_steps", "must lie in 0 .. " + std::string(m.steps.automatic ? "max_steps" : "steps") +
                                         " - 1 (that is " + std::to_string(longest) + ")");
  }
  if (!(m.rate.final_share >= 0 && m.rate.final_share <= 1)) fail(prefix + "lr_final", "must lie in [0, 1] (a share of learning_rate)");
  if (m.rate.step_every < 0) fail(prefix + "lr_step_every", "must be >= 0 (0 = a third of the steps after the warm-up)");
  if (!(m.rate.step_factor > 0 && m.rate.step_factor <= 1)) fail(prefix + "lr_step_factor", "must lie in (0, 1]");
  if (!(m.ema_decay >= 0 && m.ema_decay < 1)) fail(prefix + "ema_decay", "must lie in [0, 1) (0 = no average)");
  if (m.ema_start < 0) fail(prefix + "ema_start", "must be >= 0");
}

void validate_linear_training(const LinearTrainingSpec& m, const ConfigFail& fail) {
  const std::string prefix = "training.linear.";
  validate_optimizer(m, prefix, fail);
  if (!(m.auto_tolerance > 0 && m.auto_tolerance < 1)) fail(prefix + "auto_tolerance", "must lie in (0, 1) (a share of the optimum's held-out loss)");
}

void validate_unet_training(const UNetTrainingSpec& m, const ConfigFail& fail) {
  const std::string prefix = "training.unet.";
  validate_optimizer(m, prefix, fail);
  if (m.base_channels < 1) fail(prefix + "base_channels", "must be >= 1");
  if (m.depth < 0) fail(prefix + "depth", "must be >= 0");
  if (m.groups < 1) fail(prefix + "groups", "must be >= 1");
  if (m.time_dim < 2 || m.time_dim % 2) fail(prefix + "time_dim", "must be even and >= 2");
}

void validate_training(const TrainingSpec& t, const ConfigFail& fail) {
  // Model names are the denoiser registry's to check (src/denoisers/registry.h, check_model_names).
  if (!t.models.empty() && t.objectives.empty()) fail("training.objectives", "give noise, data or both");
  for (std::size_t i = 0; i < t.n.size(); ++i) {
    if (t.n[i] < 1) fail("training.n." + std::to_string(i), "N must be >= 1");
  }
  if (t.c.empty()) fail("training.c", "give at least one value (0 = no regularisation)");
  for (std::size_t i = 0; i < t.c.size(); ++i) {
    if (!(t.c[i] >= 0) || !std::isfinite(t.c[i])) fail("training.c." + std::to_string(i), "must be a finite number >= 0");
  }
  if (t.seeds.empty()) fail("training.seeds", "give at least one seed");
  for (std::size_t i = 0; i < t.seeds.size(); ++i) {
    if (t.seeds[i] < 0) fail("training.seeds." + std::to_string(i), "must be >= 0");
  }
  // Each checkpoint evaluates the model and writes a file; 1e9 of them once ran minutes doing neither.
  if (t.checkpoints < 2 || t.checkpoints > 10000) {
    fail("training.checkpoints", "must lie in 2 .. 10000 (step 0 and the last step included)");
  }
  if (t.patience < 0) fail("training.patience", "must be >= 0 (0 = no early stopping)");
  if (!(t.patience_from >= 0 && t.patience_from <= 1)) fail("training.patience_from", "must lie in [0, 1]");
  if (t.eval_samples < 1) fail("training.eval_samples", "must be >= 1");
  if (t.samples < 0) fail("training.samples", "must be >= 0 (0 = max(2 d, 256))");
  if (!(t.duplicate_ratio > 0 && t.duplicate_ratio <= 1)) fail("training.duplicate_ratio", "must lie in (0, 1]");
  validate_linear_training(t.linear, fail);
  validate_unet_training(t.unet, fail);
}

// `one_step.preset: ldm` writes the conventions of Halder's LDM.py into every one_step key the
// file (and --set) left out, before the keys are read: explicit keys win, and the resolved
// config shows every value. Presets other than '' and ldm are refused by validate_one_step.
void apply_one_step_preset(YAML::Node& root) {
  YAML::Node one_step = root["one_step"];
  if (!one_step || !one_step.IsMap() || !one_step["preset"] || !one_step["preset"].IsScalar() ||
      one_step["preset"].Scalar() != "ldm") {
    return;
  }
  double time = OneStepSweepSpec{}.time;
  if (one_step["time"] && one_step["time"].IsScalar()) {
    try {
      time = one_step["time"].as<double>();
    } catch (const YAML::Exception&) {
      return;  // reading the keys names the bad value
    }
  }
  const auto fill = [&](const char* key, const YAML::Node& value) {
    if (!one_step[key]) one_step[key] = value;
  };
  fill("level", YAML::Node(std::exp(-2.0 * time)));  // LDM.py: l = e^{-2T}, "generalization parameter" l e^{2T} = 1
  fill("prior", YAML::Node("fitted"));
  fill("covariance", YAML::Node("transposed"));
  fill("delta", YAML::Node("kde_l2"));
  if (one_step["delta"].IsScalar() && one_step["delta"].Scalar() == "kde_l2") fill("fresh", YAML::Node(10000));
}

void validate_one_step(const OneStepSweepSpec& o, const ConfigFail& fail) {
  for (std::size_t i = 0; i < o.n.size(); ++i) {
    if (o.n[i] < 2) fail("one_step.n." + std::to_string(i), "N must be >= 2");
  }
  if (o.draws < 1) fail("one_step.draws", "must be >= 1");
  if (o.draws > 1000000) fail("one_step.draws", "must be <= 1000000");
  if (!o.preset.empty() && o.preset != "ldm") fail("one_step.preset", "'" + o.preset + "' is not a preset (valid: ldm, or leave the key out)");
  if (!(o.time > 0) || !std::isfinite(o.time)) fail("one_step.time", "must be a finite number > 0");
  if (!(o.level > 0) || !std::isfinite(o.level)) fail("one_step.level", "must be a finite number > 0");
  validate_choice(o.prior, {"stationary", "fitted"}, "one_step.prior", fail);
  validate_choice(o.covariance, {"pushforward", "transposed"}, "one_step.covariance", fail);
  validate_choice(o.delta, {"mmd", "kde_l2"}, "one_step.delta", fail);
  if (o.fresh < 0) fail("one_step.fresh", "must be >= 0 (0 = N)");
  if (o.fresh > 0 && o.delta == "mmd") {
    // Each MMD^2 to an empirical measure of K rows carries a (1 - E k)/K bias (its i = j
    // terms); with K = N on both sides it cancels in Delta, with other sizes it would not.
    fail("one_step.fresh", "applies to delta: kde_l2 only; with delta: mmd leave it 0 (Delta compares with N fresh rows, "
                           "so that the two MMD^2 carry the same finite-sample bias)");
  }
  if (!(o.bandwidth >= 0) || !std::isfinite(o.bandwidth)) fail("one_step.bandwidth", "must be >= 0 (0 = sqrt(Tr Sigma))");
  if (!(o.kde_sigma >= 0) || !std::isfinite(o.kde_sigma)) {
    fail("one_step.kde_sigma", "must be >= 0 (0 = sqrt(Tr Sigma / d))");
  }
}

// The comparison's t grid lies in the (respaced) chain; an empty grid resolves to 8 log-spaced
// timesteps, so that config.yaml shows the ones used.
void validate_denoise(DenoiseSpec& d, const TheorySpec& theory, const ConfigFail& fail) {
  if (d.queries < 1 || d.queries > 1000000) fail("denoise.queries", "must lie in 1 .. 1000000");
  if (d.samples < 0 || d.samples > 100000) fail("denoise.samples", "must lie in 0 .. 100000 (0 = no shared-noise samples)");
  if (!(d.wiener_threshold >= 0 && d.wiener_threshold < 1)) {
    fail("denoise.wiener_threshold", "must lie in [0, 1) (0 = the dataset's default)");
  }
  if (d.patch_size < 1 || d.patch_size % 2 == 0 || d.patch_size > 255) {
    fail("denoise.patch_size", std::to_string(d.patch_size) + " is not an odd size in 1 .. 255");
  }
  if (!(d.max_minutes >= 0) || !std::isfinite(d.max_minutes)) fail("denoise.max_minutes", "must be a finite number >= 0 (0 = no limit)");
  for (std::size_t i = 0; i < d.calibrate_patch_sizes.size(); ++i) {
    const int p = d.calibrate_patch_sizes[i];
    if (p < 1 || p % 2 == 0 || p > 255) {
      fail("denoise.calibrate_patch_sizes." + std::to_string(i), std::to_string(p) + " is not an odd size in 1 .. 255");
    }
  }
  for (std::size_t i = 0; i < d.calibrate_thresholds.size(); ++i) {
    const double h = d.calibrate_thresholds[i];
    if (!(h > 0 && h < 1)) {
      std::ostringstream value;
      value << h;
      fail("denoise.calibrate_thresholds." + std::to_string(i), value.str() + " does not lie in (0, 1)");
    }
  }
  const std::int64_t total = theory.betas.empty() ? theory.steps : static_cast<std::int64_t>(theory.betas.size());
  const std::int64_t steps = theory.respace > 0 ? theory.respace : total;
  if (d.t.empty() && !d.references.empty()) d.t = log_spaced_integers(1, steps, 8);
  for (std::size_t i = 0; i < d.t.size(); ++i) {
    if (d.t[i] < 1 || d.t[i] > steps) {
      fail("denoise.t." + std::to_string(i), std::to_string(d.t[i]) + " is not a timestep of the chain (valid: 1 .. " +
                                                 std::to_string(steps) + ", theory.respace or theory.steps)");
    }
  }
  std::set<std::string> seen;
  for (std::size_t i = 0; i < d.references.size(); ++i) {
    if (!seen.insert(d.references[i]).second) fail("denoise.references." + std::to_string(i), "'" + d.references[i] + "' is listed twice");
  }
}

// denoise.calibrate_against names a network of the run: a trained model or a networks: entry.
void validate_calibration_target(const ExperimentConfig& config, const ConfigFail& fail) {
  const std::string& target = config.denoise.calibrate_against;
  if (target.empty()) return;
  std::vector<std::string> valid = config.training.models;
  for (const NetworkSpec& net : config.networks) valid.push_back(net.name);
  if (std::find(valid.begin(), valid.end(), target) != valid.end()) {
    const DenoiseSpec& d = config.denoise;
    if (d.calibrate_patch_sizes.empty()) fail("denoise.calibrate_patch_sizes", "is empty: list the patch sizes calibration tries");
    if (d.calibrate_thresholds.empty()) fail("denoise.calibrate_thresholds", "is empty: list the thresholds calibration tries");
    return;
  }
  std::string names;
  for (const std::string& name : valid) names += (names.empty() ? "" : ", ") + name;
  fail("denoise.calibrate_against", "'" + target + "' is not a network of this run (valid: " + (names.empty() ? "none" : names) +
                                        ": a model of training.models or a networks: name)");
}

// Each network has a name, a file, a training size and one dataset it belongs to.
void validate_networks(const std::vector<NetworkSpec>& networks, const std::set<std::string>& labels,
                       const ConfigFail& fail) {
  std::set<std::string> names;
  for (std::size_t i = 0; i < networks.size(); ++i) {
    const NetworkSpec& net = networks[i];
    const std::string prefix = "networks." + std::to_string(i) + ".";
    if (const std::string problem = name_problem(net.name); !problem.empty()) {
      fail(prefix + "name", "'" + net.name + "' " + problem + "; a name is " + kNameRule + " (it names the network's cells)");
    }
    if (!names.insert(net.name).second) fail(prefix + "name", "'" + net.name + "' is used twice; give each network its own name");
    if (net.file.empty()) fail(prefix + "file", "give the TorchScript file (torch.jit.save in Python)");
    if (net.n < 1) fail(prefix + "n", "give the size N >= 1 of the training set the network saw");
    if (net.steps < 0) fail(prefix + "steps", "must be >= 0 (0 = unknown)");
    if (net.dataset.empty() && labels.size() > 1) {
      fail(prefix + "dataset", "this config has " + std::to_string(labels.size()) + " datasets: name the one the network was trained on");
    }
    if (!net.dataset.empty() && labels.count(net.dataset) == 0) {
      std::string valid;
      for (const std::string& label : labels) valid += (valid.empty() ? "" : ", ") + label;
      fail(prefix + "dataset", "'" + net.dataset + "' is not a dataset label of this config (valid: " + valid + ")");
    }
  }
}

void validate(ExperimentConfig& config, const ConfigContext& context) {
  const ConfigFail fail = context.as_fail();
  if (const std::string problem = name_problem(config.name); !problem.empty()) {
    fail("name", "'" + config.name + "' " + problem + "; a name is " + kNameRule + " (it names the run folder runs/<name>)");
  }
  if (config.threads < 0) fail("threads", "must be >= 0 (0 = every core)");
  if (config.datasets.empty()) fail("datasets", "name at least one dataset (e.g. dataset: synthetic)");
  std::set<std::string> labels;
  for (std::size_t i = 0; i < config.datasets.size(); ++i) {
    const std::string prefix = "datasets." + std::to_string(i) + ".";
    resolve_dataset_spec(config.datasets[i], prefix, fail);
    if (const std::string problem = name_problem(config.datasets[i].label); !problem.empty()) {
      fail(prefix + "label", "'" + config.datasets[i].label + "' " + problem + "; a label is " + kNameRule +
                                 " (it names the dataset's cells, checkpoints and figures)");
    }
    if (!labels.insert(config.datasets[i].label).second) {
      fail(prefix + "label", "'" + config.datasets[i].label + "' is used twice; give each dataset its own label");
    }
  }
  validate_spectrum(config.spectrum, fail);
  validate_theory(config.theory, fail);
  validate_training(config.training, fail);
  validate_one_step(config.one_step, fail);
  validate_denoise(config.denoise, config.theory, fail);
  validate_networks(config.networks, labels, fail);
  validate_calibration_target(config, fail);
  if (config.output_dir.empty()) config.output_dir = "runs/" + config.name;
}

ExperimentConfig config_from_node(YAML::Node root, const std::string& path, const std::vector<std::string>& overrides) {
  ConfigContext context(path);
  reject_duplicate_keys(root, "", context);  // before folding `dataset:` (which removes only one)
  fold_dataset_alias(root, path);             // first: --set datasets.0.x works on a `dataset:` file
  for (const std::string& given : overrides) {
    const std::string assignment = with_dataset_alias_resolved(root, given);
    apply_override(root, assignment);
    context.mark_overridden(assignment.substr(0, assignment.find('=')));
  }
  fold_dataset_alias(root, path);  // a `--set dataset=...` on a file without datasets
  apply_one_step_preset(root);
  ExperimentConfig config;
  ConfigReader::read_struct(root, "", context, config);
  validate(config, context);
  return config;
}

}  // namespace

TrainingSpec TrainingSpec::without_model_sections() const {
  TrainingSpec copy = *this;
  copy.linear = LinearTrainingSpec{};
  copy.unet = UNetTrainingSpec{};
  return copy;
}

ExperimentConfig load_config(const std::string& path, const std::vector<std::string>& overrides) {
  return config_from_node(parse_file(path), path, overrides);
}

ExperimentConfig load_config_text(const std::string& text, const std::string& origin) {
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::ParserException& e) {
    throw ConfigError(origin + ":" + std::to_string(e.mark.line + 1) + ": malformed YAML: " + e.msg);
  }
  if (!root.IsMap()) throw ConfigError(origin + ": the config must be a mapping of keys to values");
  return config_from_node(root, origin, {});
}


std::string to_yaml(const ExperimentConfig& config) {
  YAML::Emitter out;
  ConfigWriter(out).write_struct(config);
  return std::string(out.c_str()) + "\n";
}

std::string describe_keys() {
  std::ostringstream out;
  ExperimentConfig defaults;
  ConfigKeyLister lister(out, "");
  defaults.fields(lister);
  return out.str();
}

}  // namespace lindiff
