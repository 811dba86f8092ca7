#include "src/sweep/denoise_stage.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <tuple>

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include "datasets/registry.h"
#include "src/common/atomic_file.h"
#include "src/common/error.h"
#include "src/common/npy.h"
#include "src/denoisers/per_timestep_denoiser.h"
#include "src/denoisers/registry.h"
#include "src/diffusion/sampler.h"
#include "src/evaluation/calibration.h"
#include "src/evaluation/linearisation.h"
#include "src/figures/image_grid.h"
#include "src/report/metrics.h"
#include "src/tensors/device.h"
#include "src/tensors/tensor_bridge.h"

namespace lindiff {

namespace {

// Noise seeds of the two splits: fixed offsets of the run's seed, apart from every other draw.
constexpr std::uint64_t kTrainNoiseSalt = 0x64656e6f69736531ull;
constexpr std::uint64_t kTestNoiseSalt = 0x64656e6f69736532ull;
constexpr std::uint64_t kSampleNoiseSalt = 0x64656e6f69736533ull;
// The pixel whose linearisation is compared: the centre, first channel (flat index).
std::int64_t centre_pixel(const ImageShape& shape) {
  return static_cast<std::int64_t>(shape.height / 2) * shape.width + shape.width / 2;
}

constexpr char kTrainSplit[] = "train";
constexpr char kTestSplit[] = "test";

// Array file names (index.json reads the role back from them).
std::string output_file(const std::string& denoiser, const std::string& split) { return "out_" + denoiser + "_" + split + ".npy"; }
std::string samples_file(const std::string& denoiser) { return "samples_" + denoiser + ".npy"; }

// The shared-noise samples of `denoiser` (every denoiser gets the same seed, so the same noise).
at::Tensor shared_noise_samples(const DatasetContext& context, const Denoiser& denoiser) {
  const DenoiseSpec& spec = context.config().denoise;
  const SamplerOptions options{false, 4096, context.config().seed ^ kSampleNoiseSalt};
  return draw_samples(spec.sampler, denoiser, context.schedule(), spec.samples, context.dataset().dim(), options);
}

ResultRow reference_row(const DatasetContext& context, Index n, const std::string& model, const std::string& t,
                        const std::string& metric, double value) {
  return ResultRow{context.dataset().label, static_cast<std::int64_t>(context.dataset().dim()), n, model, "", std::nullopt,
                   context.config().seed, std::nullopt, t, metric, value, source::kMonteCarlo};
}

}  // namespace

void check_denoise_plan(const ExperimentConfig& config, const Dataset& dataset) {
  const std::vector<std::string>& names = config.denoise.references;
  bool calibrates = false;  // a reference has a setting denoise.calibrate_against can tune
  for (std::size_t i = 0; i < names.size(); ++i) {
    const std::string key = "denoise.references." + std::to_string(i);
    const DenoiserKind& kind = find_denoiser_kind(names[i], key);
    if (kind.trainable()) {
      throw ConfigError(key + ": '" + names[i] + "' is a trained model (list it in training.models; its cells are compared "
                        "with every reference at each checkpoint); references are analytic denoisers");
    }
    if (kind.load) {
      throw ConfigError(key + ": '" + names[i] + "' is a loaded network (list its file under networks:; each is compared "
                        "with every reference); references are analytic denoisers");
    }
    calibrates = calibrates || kind.calibration.has_value();
    try {  // the cost walks the kind's plan for these images: a patch size they cannot take throws
      if (kind.query_cost) kind.query_cost(CostInputs{config.denoise, dataset.shape, 1, config.denoise.patch_size});
    } catch (const std::invalid_argument& e) {
      throw ConfigError("denoise.patch_size: " + std::to_string(config.denoise.patch_size) + " does not suit " + kind.name +
                        " on dataset '" + dataset.label + "' (" + dataset.shape.to_string() + "): " + e.what());
    }
    if (kind.needs_population && !dataset.exact) {
      throw ConfigError(key + ": " + kind.name + " needs a dataset with an exact Gaussian population (synthetic); dataset '" +
                        dataset.label + "' has none (use wiener, the optimal linear denoiser of the training set)");
    }
  }
  if (!config.denoise.calibrate_against.empty() && !calibrates) {
    throw ConfigError("denoise.calibrate_against: '" + config.denoise.calibrate_against + "' is named, but denoise.references "
                      "lists no denoiser with a setting to calibrate (ls, els, bbels: the patch size; wiener_local: the threshold)");
  }
}

DenoiseStage::DenoiseStage(const DatasetContext& context, const std::filesystem::path& run_dir)
    : context_(context), dir_(run_dir / "denoise" / context.dataset().label),
      active_(!context.config().denoise.references.empty()) {}

std::filesystem::path DenoiseStage::n_dir(Index n) const { return dir_ / ("N" + std::to_string(n)); }

const DenoiseComparison& DenoiseStage::comparison(Index n) {
  if (comparison_ && n_ == n) return *comparison_;
  const ExperimentConfig& config = context_.config();
  const DenoiseSpec& spec = config.denoise;
  const c10::Device device = torch_device(config.training.device);
  const Dataset& dataset = context_.dataset();
  const torch::Tensor rows = rows_to_tensor(context_.training_rows(n), device);
  std::vector<DenoiseSplit> splits;
  const std::int64_t train_m = std::min<std::int64_t>(spec.queries, n);
  splits.push_back(shared_inputs(kTrainSplit, rows.slice(0, 0, train_m).cpu(), spec.t, context_.schedule(),
                                 config.seed ^ kTrainNoiseSalt, spec.queries));
  if (dataset.test.rows() > 0) {
    const std::int64_t test_m = std::min<std::int64_t>(spec.queries, dataset.test.rows());
    splits.push_back(shared_inputs(kTestSplit, rows_to_tensor(dataset.test.topRows(test_m), torch::kCPU), spec.t,
                                   context_.schedule(), config.seed ^ kTestNoiseSalt, spec.queries));
  }
  comparison_.reset();
  auto built = std::make_unique<DenoiseComparison>(context_.schedule(), spec.t, std::move(splits));
  n_ = n;  // analytic_inputs() reads the moments of training size n
  const AnalyticInputs inputs = analytic_inputs(rows);
  std::int64_t inputs_count = 0;
  for (const DenoiseSplit& split : built->splits()) inputs_count += split.noisy.size(0) * split.noisy.size(1);
  std::fprintf(stderr, "denoise %s N = %lld: %lld shared inputs; the empirical optimum costs 2 N d = %.3g multiply-adds each\n",
               dataset.label.c_str(), static_cast<long long>(n), static_cast<long long>(inputs_count),
               2.0 * static_cast<double>(n) * static_cast<double>(dataset.dim()));
  reference_samples_.clear();
  for (std::size_t i = 0; i < spec.references.size(); ++i) {
    const DenoiserKind& kind = find_denoiser_kind(spec.references[i], "denoise.references." + std::to_string(i));
    const std::shared_ptr<const Denoiser> reference = kind.make(inputs);
    built->add_reference(kind.name, *reference);
    if (spec.samples > 0) reference_samples_.push_back(shared_noise_samples(context_, *reference));
  }
  training_rows_ = rows.cpu();
  {
    const at::Tensor exact = training_rows_.to(torch::kDouble);
    const at::Tensor centred = exact - exact.mean(0);
    std::tie(covariance_values_, covariance_vectors_) =
        torch::linalg_eigh(centred.t().mm(centred) / static_cast<double>(exact.size(0)));
    covariance_values_.clamp_min_(0);
  }
  if (spec.arrays) {
    std::filesystem::create_directories(n_dir(n));
    if (context_.has_bayes_loss()) {
      // The exact Gaussian population the bayes reference is the posterior mean of, in double.
      save_npy(to_tensor(context_.population().mean, torch::kDouble), dir_ / "population_mean.npy");
      save_npy(to_tensor(context_.population().covariance, torch::kDouble), dir_ / "population_covariance.npy");
    }
    save_npy(rows, n_dir(n) / "training_set.npy");
    for (std::size_t s = 0; s < built->splits().size(); ++s) {
      const DenoiseSplit& split = built->splits()[s];
      save_npy(split.clean, n_dir(n) / ("clean_" + split.name + ".npy"));
      save_npy(split.noisy, n_dir(n) / ("noisy_" + split.name + ".npy"));
      for (std::size_t r = 0; r < built->reference_names().size(); ++r) {
        save_npy(built->reference_outputs(r)[s], n_dir(n) / output_file(built->reference_names()[r], split.name));
      }
    }
    for (std::size_t r = 0; r < reference_samples_.size(); ++r) {
      save_npy(reference_samples_[r], n_dir(n) / samples_file(built->reference_names()[r]));
    }
  }
  comparison_ = std::move(built);
  return *comparison_;
}

AnalyticInputs DenoiseStage::analytic_inputs(const at::Tensor& rows) const {
  const DenoiseSpec& spec = context_.config().denoise;
  const Dataset& dataset = context_.dataset();
  return AnalyticInputs{context_.schedule(),
                        Objective::kData,
                        rows.device(),
                        context_.has_bayes_loss() ? &context_.population() : nullptr,
                        &context_.training_set(n_),
                        &context_.training_modes(n_).modes,
                        0.0,
                        std::nullopt,
                        rows,
                        dataset.shape,
                        spec.patch_size,
                        spec.els_padding,
                        spec.wiener_threshold > 0 ? spec.wiener_threshold : find_dataset_kind(dataset.name).wiener_threshold};
}

ResultsTable DenoiseStage::reference_rows(Index n) {
  const std::filesystem::path saved = n_dir(n) / "reference_rows.csv";
  std::error_code ec;
  if (std::filesystem::exists(saved, ec)) return ResultsTable::read_csv(saved);
  const DenoiseComparison& c = comparison(n);
  ResultsTable table;
  for (std::size_t r = 0; r < c.reference_names().size(); ++r) {
    const std::string& name = c.reference_names()[r];
    const DenoiseRowSink sink = [&](const std::string& t, const std::string& metric, double value) {
      table.add(reference_row(context_, n, name, t, metric, value));
    };
    c.add_rows(name, c.reference_outputs(r), sink);
    for (std::size_t other = 0; other < reference_samples_.size(); ++other) {
      if (other != r) add_sample_rows(reference_samples_[r], c.reference_names()[other], reference_samples_[other], sink);
    }
  }
  std::filesystem::create_directories(n_dir(n));
  table.write_csv_atomically(saved);
  return table;
}

void DenoiseStage::add_cell_rows(const TrainingCell& cell, const Denoiser& denoiser, std::int64_t step, CellRows& rows) {
  const DenoiseComparison& c = comparison(cell.n);
  c.add_rows(cell.model(), c.outputs(denoiser), [&](const std::string& t, const std::string& metric, double value) {
    rows.add(step, t, metric, value, source::kMonteCarlo);
  });
}

void DenoiseStage::finish_cell(const TrainingCell& cell, const Denoiser& denoiser, std::int64_t step,
                               const std::filesystem::path& samples_dir, CellRows& rows) {
  const DenoiseSpec& spec = context_.config().denoise;
  const DenoiseComparison& c = comparison(cell.n);
  std::filesystem::create_directories(n_dir(cell.n));
  at::Tensor samples;
  if (spec.samples > 0) {
    samples = shared_noise_samples(context_, denoiser);
    for (std::size_t r = 0; r < reference_samples_.size(); ++r) {
      add_sample_rows(samples, c.reference_names()[r], reference_samples_[r],
                      [&](const std::string& t, const std::string& metric, double value) {
                        rows.add(step, t, metric, value, source::kMonteCarlo);
                      });
    }
    if (spec.arrays) save_npy(samples, n_dir(cell.n) / samples_file(cell.id()));
  }
  add_linearisation_rows(cell, denoiser, step, samples_dir, rows);
  std::vector<at::Tensor> calibrated_samples;
  if (cell.model() == spec.calibrate_against) calibrated_samples = add_calibration_rows(cell, denoiser, step, samples, rows);
  if (samples.defined()) {
    std::filesystem::create_directories(samples_dir);
    write_sample_grid(samples, calibrated_samples, samples_dir / "shared_noise.png");
  }
  if (!spec.arrays) return;
  const std::vector<at::Tensor> outputs = c.outputs(denoiser);
  for (std::size_t s = 0; s < outputs.size(); ++s) {
    save_npy(outputs[s], n_dir(cell.n) / output_file(cell.id(), c.splits()[s].name));
  }
}

at::Tensor DenoiseStage::wiener_row(std::int64_t t, std::int64_t p) const {
  const double a = context_.schedule().abar(static_cast<int>(t));
  const at::Tensor gains = std::sqrt(a) * covariance_values_ / (a * covariance_values_ + (1 - a));
  return (covariance_vectors_[p] * gains).matmul(covariance_vectors_.t());
}

void DenoiseStage::add_linearisation_rows(const TrainingCell& cell, const Denoiser& denoiser, std::int64_t step,
                                          const std::filesystem::path& samples_dir, CellRows& rows) {
  const DenoiseComparison& c = comparison(cell.n);
  const DenoiseSplit& split = c.splits().back();  // held-out where there is one
  const ImageShape& shape = context_.dataset().shape;
  const std::int64_t p = centre_pixel(shape);
  const std::vector<std::int64_t>& grid = context_.config().denoise.t;
  const std::int64_t count = std::min<std::int64_t>(kJacobianQueries, split.noisy.size(1));
  std::vector<at::Tensor> jacobians, wiener_rows;
  for (std::size_t g = 0; g < grid.size(); ++g) {
    const at::Tensor x = split.noisy[static_cast<std::int64_t>(g)].narrow(0, 0, count).to(denoiser.device());
    const at::Tensor t = torch::full({count}, grid[g], torch::TensorOptions().dtype(torch::kLong).device(denoiser.device()));
    at::Tensor jacobian;
    try {
      jacobian = jacobian_rows(denoiser, x, t, p).to(torch::kCPU, torch::kDouble);
    } catch (const std::invalid_argument&) {
      return;  // no gradient: not a network
    }
    const at::Tensor wiener = wiener_row(grid[g], p);
    double cosine = 0, radius = 0;
    for (std::int64_t b = 0; b < count; ++b) {
      cosine += row_cosine(jacobian[b], wiener) / static_cast<double>(count);
      radius += mass_radius(jacobian[b], shape, p) / static_cast<double>(count);
    }
    const std::string t_text = std::to_string(grid[g]);
    rows.add(step, t_text, metric::kJacobianCosineWiener, cosine, source::kMonteCarlo);
    rows.add(step, t_text, metric::kJacobianRadius90, radius, source::kMonteCarlo);
    rows.add(step, t_text, metric::kWienerRadius90, mass_radius(wiener, shape, p), source::kTheory);
    jacobians.push_back(jacobian);
    wiener_rows.push_back(wiener);
  }
  std::filesystem::create_directories(samples_dir);
  write_jacobian_grid(jacobians, wiener_rows, samples_dir / "jacobian_wiener.png");
  if (!context_.config().denoise.arrays) return;
  save_npy(torch::stack(jacobians).to(torch::kFloat), n_dir(cell.n) / ("jacobian_" + cell.id() + ".npy"));
  save_npy(torch::stack(wiener_rows).to(torch::kFloat), n_dir(cell.n) / "wiener_rows.npy");
}

std::vector<at::Tensor> DenoiseStage::add_calibration_rows(const TrainingCell& cell, const Denoiser& denoiser,
                                                           std::int64_t step, const at::Tensor& samples, CellRows& rows) {
  const DenoiseComparison& c = comparison(cell.n);
  const std::size_t split = c.splits().size() - 1;  // held-out where there is one
  const at::Tensor network = c.split_outputs(denoiser, split);
  const DenoiseSpec& spec = context_.config().denoise;
  const c10::Device device = torch_device(context_.config().training.device);
  AnalyticInputs inputs = analytic_inputs(training_rows_.to(device));
  std::vector<at::Tensor> calibrated;
  for (std::size_t r = 0; r < spec.references.size(); ++r) {
    const DenoiserKind& kind = find_denoiser_kind(spec.references[r], "denoise.references." + std::to_string(r));
    if (!kind.calibration) continue;
    const CalibrationKnob& knob = *kind.calibration;
    const std::vector<double> candidates = knob.candidates(spec, context_.dataset().shape);
    std::fprintf(stderr, "calibrating %s against %s (N = %lld): %zu candidate %s values\n", kind.name.c_str(),
                 cell.model().c_str(), static_cast<long long>(cell.n), candidates.size(), knob.setting.c_str());
    const Calibration calibration = calibrate(candidates, [&](double value) {
      knob.apply(value, inputs);
      return c.split_outputs(*kind.make(inputs), split);
    }, network);
    for (std::size_t g = 0; g < c.grid().size(); ++g) {
      const std::string t = std::to_string(c.grid()[g]);
      rows.add(step, t, metric::calibrated_setting(knob.setting, kind.name), calibration.best[g], source::kMonteCarlo);
      rows.add(step, t, metric::calibrated_r2(kind.name), calibration.check_r2[g], source::kMonteCarlo);
    }
    std::vector<double> settings = settings_per_timestep(c.grid(), calibration.best, context_.schedule().steps());
    if (!samples.defined() || settings.empty()) continue;
    const std::shared_ptr<const Denoiser> machine =
        per_timestep_denoiser(context_.schedule(), device, std::move(settings), [&](double value) {
          knob.apply(value, inputs);
          return kind.make(inputs);
        });
    const std::string name = kind.name + "_calibrated";
    calibrated.push_back(shared_noise_samples(context_, *machine));
    add_sample_rows(samples, name, calibrated.back(), [&](const std::string& t, const std::string& metric, double value) {
      rows.add(step, t, metric, value, source::kMonteCarlo);
    });
    if (spec.arrays) save_npy(calibrated.back(), n_dir(cell.n) / samples_file(name + "_" + cell.id()));
  }
  return calibrated;
}

void DenoiseStage::write_jacobian_grid(const std::vector<at::Tensor>& jacobians, const std::vector<at::Tensor>& wiener_rows,
                                       const std::filesystem::path& path) const {
  std::vector<at::Tensor> columns;  // row g of the grid: first input's row | mean row | Wiener row
  for (std::size_t g = 0; g < jacobians.size(); ++g) {
    columns.insert(columns.end(), {jacobians[g][0], jacobians[g].mean(0), wiener_rows[g]});
  }
  const at::Tensor stacked = torch::stack(columns).to(torch::kDouble).contiguous();
  const Matrix vectors = as_eigen_matrix(stacked).transpose();
  const ImageShape& shape = context_.dataset().shape;
  write_grid(tile_images(vectors_as_images(vectors, shape), 3, default_zoom(shape)), path);
}

void DenoiseStage::write_sample_grid(const at::Tensor& samples, const std::vector<at::Tensor>& more,
                                     const std::filesystem::path& path) const {
  const std::int64_t shown = std::min<std::int64_t>(samples.size(0), kGridSamples);
  std::vector<at::Tensor> columns{samples.slice(0, 0, shown)};
  for (const at::Tensor& reference : reference_samples_) columns.push_back(reference.slice(0, 0, shown));
  for (const at::Tensor& other : more) columns.push_back(other.slice(0, 0, shown).to(samples.device(), samples.scalar_type()));
  const at::Tensor nearest = torch::cdist(columns.front(), training_rows_).argmin(1);
  columns.push_back(training_rows_.index_select(0, nearest));
  // Row i: network | each reference | each calibrated machine | the training image nearest to the network's sample.
  const at::Tensor tiles = torch::stack(columns, 1).reshape({-1, samples.size(1)});
  const double lo = training_rows_.min().item<double>(), hi = training_rows_.max().item<double>();
  const ImageShape& shape = context_.dataset().shape;
  write_grid(tile_images(rows_as_images(to_data_matrix(tiles), shape, lo, hi), static_cast<int>(columns.size()),
                         default_zoom(shape)),
             path);
}

namespace {

// The role, split and denoiser an array's file name stands for ({} for files of other names).
std::optional<nlohmann::json> describe_array(const std::string& stem) {
  const std::size_t last = stem.rfind('_');
  if (stem == "training_set") return nlohmann::json{{"role", "training_set"}};
  if (stem == "population_mean" || stem == "population_covariance") return nlohmann::json{{"role", stem}};
  if (stem.rfind("samples_", 0) == 0) return nlohmann::json{{"role", "samples"}, {"denoiser", stem.substr(8)}};
  if (stem.rfind("jacobian_", 0) == 0) return nlohmann::json{{"role", "jacobian"}, {"denoiser", stem.substr(9)}};
  if (stem == "wiener_rows") return nlohmann::json{{"role", "wiener_rows"}};
  if (last == std::string::npos) return std::nullopt;
  const std::string split = stem.substr(last + 1), head = stem.substr(0, last);
  if (head == "clean") return nlohmann::json{{"role", "clean"}, {"split", split}};
  if (head == "noisy") return nlohmann::json{{"role", "input"}, {"split", split}};
  if (head.rfind("out_", 0) == 0) return nlohmann::json{{"role", "output"}, {"split", split}, {"denoiser", head.substr(4)}};
  return std::nullopt;
}

}  // namespace

void DenoiseStage::write_index() const {
  std::error_code ec;
  if (!active_ || !std::filesystem::is_directory(dir_, ec)) return;
  const Schedule& schedule = context_.schedule();
  const std::vector<std::int64_t>& grid = context_.config().denoise.t;
  std::vector<double> abar;
  for (std::int64_t t : grid) abar.push_back(schedule.abar(static_cast<int>(t)));
  const ImageShape& shape = context_.dataset().shape;
  std::map<std::string, nlohmann::json> files;  // sorted by path
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir_)) {
    if (!entry.is_regular_file() || entry.path().extension() != ".npy") continue;
    std::optional<nlohmann::json> item = describe_array(entry.path().stem().string());
    if (!item) continue;
    const NpyArray array = read_npy(entry.path());
    const std::string relative = std::filesystem::relative(entry.path(), dir_).generic_string();
    (*item)["path"] = relative;
    if (entry.path().parent_path() != dir_) {  // N<n>/...; the population's arrays hold for every N
      (*item)["n"] = std::stoll(entry.path().parent_path().filename().string().substr(1));
    }
    (*item)["shape"] = array.shape;
    (*item)["dtype"] = npy_descr(array.type);
    if (item->at("role") == "samples") (*item)["sampler"] = enum_name(context_.config().denoise.sampler);
    const std::string role = item->at("role").get<std::string>();
    if (role == "jacobian" || role == "wiener_rows") (*item)["pixel"] = centre_pixel(shape);
    if (role == "input" || role == "output" || role == "jacobian" || role == "wiener_rows") {
      (*item)["t"] = grid;  // the first axis
      (*item)["alpha_bar"] = abar;
    }
    files[relative] = *item;
  }
  nlohmann::json index{{"dataset", context_.dataset().label},
                       {"image_shape", {shape.channels, shape.height, shape.width}},
                       {"t", grid},
                       {"alpha_bar", abar},
                       {"prediction", "x0"},
                       {"forward_process", "x_t = sqrt(alpha_bar_t) x0 + sqrt(1 - alpha_bar_t) eps"},
                       {"files", nlohmann::json::array()}};
  for (const auto& [path, item] : files) index["files"].push_back(item);
  write_file_atomically(dir_ / "index.json", index.dump(1) + "\n");
}

}  // namespace lindiff
