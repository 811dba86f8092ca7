#include "src/sweep/training_sweep.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <memory>
#include <optional>
#include <set>

#include <torch/torch.h>

#include "src/common/error.h"
#include "src/common/progress.h"
#include "src/diffusion/sampler.h"
#include "src/evaluation/linear_exact.h"
#include "src/evaluation/monte_carlo_loss.h"
#include "src/evaluation/sample_statistics.h"
#include "src/evaluation/tensor_bridge.h"
#include "src/experiment/theory_curves.h"
#include "src/report/image_grid.h"
#include "src/sweep/cell_files.h"
#include "src/sweep/model_factory.h"
#include "src/theory/model_evaluation.h"
#include "src/theory/training_set_average.h"
#include "src/training/early_stopping.h"

namespace lindiff {

namespace {

constexpr int kBootstrapResamples = 1000;
constexpr Index kGridSamples = 64;
constexpr Index kNeighbourPairs = 16;
constexpr std::uint64_t kProbeSeed = 0x5eed;

// Everything fixed for one dataset while cells vary.
struct DatasetSetup {
  const SweepContext& context;
  const Dataset& dataset;
  const Population& population;
  Gaussian population_gaussian;
  Schedule schedule;
  std::unique_ptr<LossProbe> test_probe;  // held-out split; none when the dataset has none
};

// Everything fixed for one training set while model, objective, c and seed vary.
struct TrainingSetup {
  Index n = 0;
  DataMatrix rows;
  TrainingSet set;
  Gaussian train;  // (mu0, Sigma0)
  std::unique_ptr<ModeSpace> modes;
  std::unique_ptr<PopulationView> view;
  ModeMoments train_moments, test_moments;
  at::Tensor data;  // [N, d] on the training device
  std::unique_ptr<LossProbe> train_probe;
  std::vector<Index> mode_ranks;
};

// The rows of one cell.
class CellRows {
 public:
  CellRows(const TrainingCell& cell, std::int64_t d) : cell_(cell), d_(d) {}
  void add(std::optional<std::int64_t> step, const std::string& t, const std::string& metric, double value,
           const std::string& source) {
    table_.add(ResultRow{cell_.dataset, d_, cell_.n, cell_.model, cell_.objective, cell_.c,
                         static_cast<std::uint64_t>(cell_.seed), step, t, metric, value, source});
  }
  void add_kl(std::int64_t step, const KlPair& kl, const std::string& source) {
    add(step, "", "kl_model_data", kl.model_data, source);
    add(step, "", "kl_data_model", kl.data_model, source);
    add(step, "", "kl_model_data_per_dim", kl.model_data / static_cast<double>(d_), source);
    add(step, "", "kl_data_model_per_dim", kl.data_model / static_cast<double>(d_), source);
  }
  ResultsTable& table() { return table_; }

 private:
  const TrainingCell& cell_;
  std::int64_t d_;
  ResultsTable table_;
};

torch::Device device_of(const std::string& name) { return name == "cuda" ? torch::kCUDA : torch::kCPU; }

at::Tensor rows_tensor(const DataMatrix& rows, const std::string& device) {
  return torch::from_blob(const_cast<float*>(rows.data()), {rows.rows(), rows.cols()}, torch::kFloat)
      .clone()
      .to(device_of(device));
}

DataMatrix to_data_matrix(const at::Tensor& samples) {
  const torch::Tensor cpu = samples.detach().to(torch::kCPU, torch::kFloat).contiguous();
  return Eigen::Map<const DataMatrix>(cpu.data_ptr<float>(), cpu.size(0), cpu.size(1));
}

std::unique_ptr<TrainingSetup> make_training_setup(const DatasetSetup& ds, const DataMatrix& permuted, Index n) {
  const ExperimentConfig& config = ds.context.config;
  auto s = std::make_unique<TrainingSetup>();
  s->n = n;
  s->rows = permuted.topRows(n);
  s->set = training_set(s->rows, config.spectrum.route, parse_eigen_solver(config.spectrum.solver));
  s->train = Gaussian{s->set.moments.mean, s->set.moments.covariance};
  s->modes = std::make_unique<ModeSpace>(s->set.eigen);
  s->view = std::make_unique<PopulationView>(*s->modes, ds.population.mean, ds.population.eigen);
  s->train_moments = training_moments(*s->modes);
  s->test_moments = s->view->moments(s->train.mean);
  s->data = rows_tensor(s->rows, config.training.device);
  s->train_probe = std::make_unique<LossProbe>(s->data, ds.schedule, config.training.eval_samples, kProbeSeed);
  s->mode_ranks = log_spaced_ranks(s->modes->basis().cols(), config.theory.mode_ranks);
  return s;
}

// The cell being trained and its state between checkpoints.
struct CellRun {
  CellRun(const DatasetSetup& ds_, const TrainingSetup& ts_, const TrainingCell& cell_, const CellFiles& files_,
          BuiltModel model_, Index d)
      : ds(ds_), ts(ts_), cell(cell_), files(files_), model(std::move(model_)), rows(cell_, d) {}
  const DatasetSetup& ds;
  const TrainingSetup& ts;
  const TrainingCell& cell;
  const CellFiles& files;
  BuiltModel model;
  TrainOptions options;
  bool theory_rows = false;  // the GD theory applies (linear, plain SGD from zero, bias fixed)
  CellRows rows;
  std::optional<EarlyStopping> stopping;  // set when patience > 0 and there is held-out data
  std::int64_t exact_step = -1;  // the step `exact_sampled` belongs to (linear model)
  Gaussian exact_sampled;
};

// Monte Carlo losses for every model; exact losses and KLs (and GD theory) for the linear one.
void evaluate_checkpoint(CellRun& run, std::int64_t step) {
  const LossEstimate train = run.ts.train_probe->estimate(run.model.predict, run.cell.objective);
  run.rows.add(step, "all", "train_loss", train.mean, "monte_carlo");
  run.rows.add(step, "all", "train_loss_se", train.standard_error, "monte_carlo");
  if (run.ds.test_probe) {
    const LossEstimate test = run.ds.test_probe->estimate(run.model.predict, run.cell.objective);
    run.rows.add(step, "all", "test_loss", test.mean, "monte_carlo");
    run.rows.add(step, "all", "test_loss_se", test.standard_error, "monte_carlo");
  }
  if (run.cell.model != "linear") return;
  const at::Tensor weights = run.model.weights();
  if (!torch::isfinite(weights).all().item<bool>()) {
    throw NumericError("weights of " + run.cell.id() + " are not finite at step " + std::to_string(step) +
                       ": training diverged (lower training.linear.learning_rate); earlier cells and checkpoints are intact");
  }
  const Objective objective = parse_objective(run.cell.objective);
  const bool final_noise = run.ds.context.config.theory.final_noise;
  const ExactLinearEvaluation exact = evaluate_linear_weights(weights, run.model.biases(), objective,
                                                              run.ds.schedule, run.ts.train, run.ds.population_gaussian,
                                                              final_noise);
  run.exact_step = step;
  run.exact_sampled = exact.sampled;
  run.rows.add(step, "all", "train_loss", exact.train_loss.mean(), "exact");
  run.rows.add(step, "all", "test_loss", exact.test_loss.mean(), "exact");
  run.rows.add_kl(step, exact.kl, "exact");
  if (!run.theory_rows) return;
  const Index d = run.ts.modes->dim();
  const ModelRows theory(run.ds.schedule, objective, run.ts.modes->eigenvalues(), run.cell.c, run.options.learning_rate,
                         static_cast<double>(step), d);
  const EvaluationContext context{run.ds.schedule, *run.ts.modes, *run.ts.view, run.ts.train_moments,
                                  run.ts.test_moments, run.ts.train.mean, final_noise};
  const ModelEvaluation e = evaluate_model(context, theory);
  run.rows.add(step, "all", "train_loss", e.train_loss.mean(), "theory_gd");
  run.rows.add(step, "all", "test_loss", e.test_loss.mean(), "theory_gd");
  run.rows.add_kl(step, e.kl, "theory_gd");
}

// Early stopping on the held-out Monte Carlo loss; returns false to stop.
bool note_held_out_loss(CellRun& run, std::int64_t step) {
  if (!run.stopping) return true;
  for (const ResultRow& r : run.rows.table().rows()) {
    if (r.step == step && r.metric == "test_loss" && r.source == "monte_carlo") return run.stopping->observe(step, r.value);
  }
  return true;
}

// Restores rows and early-stopping state up to the checkpoint a resumed cell starts from.
void restore_progress(CellRun& run, std::int64_t step) {
  const ResultsTable saved = ResultsTable::read_csv(run.files.progress());
  std::set<std::int64_t> steps;
  for (const ResultRow& r : saved.rows()) {
    if (r.step && *r.step <= step) {
      run.rows.table().add(r);
      steps.insert(*r.step);
    }
  }
  for (std::int64_t s : steps) note_held_out_loss(run, s);
}

void add_mode_variance_rows(CellRun& run, std::int64_t step, const Vector& variance, const std::string& source) {
  for (std::size_t i = 0; i < run.ts.mode_ranks.size(); ++i) {
    run.rows.add(step, "", "mode_variance_" + std::to_string(run.ts.mode_ranks[i]), variance(static_cast<Index>(i)),
                 source);
  }
}

// The samples of the finished model: statistics, memorisation and image grids.
void evaluate_samples(CellRun& run, std::int64_t step) {
  const ExperimentConfig& config = run.ds.context.config;
  const Index d = run.ts.modes->dim();
  const Index m = config.training.samples > 0 ? config.training.samples : std::max<Index>(2 * d, 256);
  SamplerOptions sampler{run.cell.objective, config.theory.final_noise, 1024,
                         static_cast<std::uint64_t>(run.cell.seed) * 7919 + 104729};
  at::Tensor samples;
  {
    torch::NoGradGuard no_grad;
    samples = ddpm_sample(run.model.predict, run.ds.schedule, m, d, sampler);
  }
  torch::save(samples.cpu(), run.files.samples("samples.pt").string());
  const DataMatrix x = to_data_matrix(samples);
  if (!x.allFinite()) throw NumericError("samples of " + run.cell.id() + " contain NaN or inf");

  run.rows.add(step, "", "samples", static_cast<double>(m), "monte_carlo");
  run.rows.add_kl(step, kl_pair(fit_gaussian(x), run.ds.population_gaussian), "monte_carlo");
  if (m > d + 2) {  // the expected KLs of a perfect sampler's M-sample fit (THEORY.md 7 with N = M)
    const double md = wishart_kl_model_data(d, m), dm = wishart_kl_data_model(d, m);
    run.rows.add(step, "", "kl_model_data_finite_m", md, "theory");
    run.rows.add(step, "", "kl_data_model_finite_m", dm, "theory");
    run.rows.add(step, "", "kl_model_data_finite_m_per_dim", md / static_cast<double>(d), "theory");
    run.rows.add(step, "", "kl_data_model_finite_m_per_dim", dm / static_cast<double>(d), "theory");
  }
  Matrix directions(d, static_cast<Index>(run.ts.mode_ranks.size()));
  for (std::size_t i = 0; i < run.ts.mode_ranks.size(); ++i) {
    directions.col(static_cast<Index>(i)) = run.ts.modes->basis().col(run.ts.mode_ranks[i] - 1);
  }
  add_mode_variance_rows(run, step, variance_along(x, directions), "monte_carlo");
  if (run.cell.model == "linear") {
    if (run.exact_step != step) {  // early stopping went back to an earlier checkpoint
      run.exact_sampled = evaluate_linear_weights(run.model.weights(), run.model.biases(),
                                                  parse_objective(run.cell.objective), run.ds.schedule, run.ts.train,
                                                  run.ds.population_gaussian, config.theory.final_noise)
                              .sampled;
    }
    const Vector variance = (directions.transpose() * run.exact_sampled.covariance * directions).diagonal();
    add_mode_variance_rows(run, step, variance, "exact");
  }

  const auto [lo, hi] = display_range(run.ds.context.spec, run.ds.dataset);
  const ImageShape& shape = run.ds.dataset.shape;
  const int zoom = default_zoom(shape);
  write_png(tile_images(rows_as_images(x.topRows(std::min(m, kGridSamples)), shape, lo, hi), 8, zoom),
            run.files.samples("grid.png"));
  if (run.ts.n < 2) return;
  const NearestTwo nearest = nearest_two(x, run.ts.rows);
  const MemorisationEstimate copies =
      memorisation(nearest, config.training.duplicate_ratio, kBootstrapResamples, static_cast<std::uint64_t>(run.cell.seed));
  run.rows.add(step, "", "memorized_fraction", copies.fraction, "monte_carlo");
  run.rows.add(step, "", "memorized_fraction_lower", copies.lower, "monte_carlo");
  run.rows.add(step, "", "memorized_fraction_upper", copies.upper, "monte_carlo");
  run.rows.add(step, "", "nn_ratio_median", copies.median_ratio, "monte_carlo");
  const Index pairs = std::min(m, kNeighbourPairs);
  DataMatrix shown(2 * pairs, d);
  for (Index i = 0; i < pairs; ++i) {
    shown.row(i) = x.row(i);
    shown.row(pairs + i) = run.ts.rows.row(nearest.nearest[static_cast<std::size_t>(i)]);
  }
  write_png(tile_images(rows_as_images(shown, shape, lo, hi), static_cast<int>(pairs), zoom),
            run.files.samples("neighbours.png"));
}

ResultsTable run_cell(const DatasetSetup& ds, const TrainingSetup& ts, const TrainingCell& cell, const CellFiles& files,
                      bool resume) {
  const ExperimentConfig& config = ds.context.config;
  const TrainingSpec& spec = config.training;
  const Index d = ts.modes->dim();
  const CellModelSpec model_spec{cell.model, cell.objective, cell.c, cell.seed};
  const ModelTrainingSpec& m = cell.model == "linear" ? spec.linear : spec.unet;
  const double default_rate = default_linear_rate(ds.schedule, ts.modes->eigenvalues().maxCoeff(),
                                                  ts.train.covariance.trace(), cell.c, d, spec.linear);
  CellRun run(ds, ts, cell, files,
              build_model(model_spec, spec, ds.dataset.shape, ds.schedule, to_tensor(ts.train.mean), spec.device), d);
  run.options = train_options(model_spec, spec, m.steps, default_rate, cell.id());
  run.options.checkpoints = checkpoint_steps(m.steps, spec.checkpoints);
  if (spec.patience > 0 && ds.test_probe) run.stopping.emplace(spec.patience, spec.patience_from * static_cast<double>(m.steps));
  run.theory_rows = cell.model == "linear" && follows_gradient_descent_theory(spec.linear) &&
                    run.options.learning_rate * 2.0 * std::max(ts.modes->eigenvalues().maxCoeff() + cell.c, 1.0) <
                        2.0 * static_cast<double>(ds.schedule.steps() * d);
  Trainer trainer(run.model.target, ts.data, ds.schedule, run.options);
  if (resume) {
    trainer.load(files.latest().string());
    restore_progress(run, trainer.step());
    std::fprintf(stderr, "resuming %s from step %lld\n", cell.id().c_str(), static_cast<long long>(trainer.step()));
  }
  const std::int64_t reached = trainer.run([&](std::int64_t step) {
    evaluate_checkpoint(run, step);
    const bool go_on = note_held_out_loss(run, step);
    if (run.stopping && run.stopping->best_step() == step) trainer.save(files.best().string());
    run.rows.table().write_csv_atomically(files.progress());  // before latest.pt: a resume never lacks rows
    trainer.save(files.latest().string());
    return go_on;
  });
  std::int64_t final_step = reached;
  if (run.stopping && run.stopping->best_step() >= 0 && run.stopping->best_step() != reached) {
    load_module_state(*run.model.module, files.best().string());
    final_step = run.stopping->best_step();
  }
  run.rows.add(std::nullopt, "", "final_step", static_cast<double>(final_step), "training");
  run.rows.add(std::nullopt, "", "learning_rate", run.options.learning_rate, "training");
  evaluate_samples(run, final_step);
  return run.rows.table();
}

}  // namespace

std::string TrainingCell::id() const {
  return dataset + "_" + model + "_" + objective + "_N" + std::to_string(n) + "_c" + format_number(c) + "_s" +
         std::to_string(seed);
}

std::vector<TrainingCell> training_cells(const TrainingSpec& spec, const std::string& dataset,
                                         const std::vector<Index>& n_values) {
  std::vector<TrainingCell> cells;
  for (Index n : n_values) {
    for (const std::string& model : spec.models) {
      for (const std::string& objective : spec.objectives) {
        for (double c : spec.c) {
          for (std::int64_t seed : spec.seeds) cells.push_back({dataset, model, objective, n, c, seed});
        }
      }
    }
  }
  return cells;
}

std::vector<Index> training_sizes(const ExperimentConfig& config, Index dim, Index pool) {
  if (!config.training.n.empty()) return {config.training.n.begin(), config.training.n.end()};
  return theory_sizes(config.theory, dim, pool);
}

std::vector<std::int64_t> checkpoint_steps(std::int64_t steps, int count) {
  std::set<std::int64_t> chosen = {0, steps};
  for (int i = 0; i + 1 < count; ++i) {
    const double x = count <= 2 ? 1.0 : static_cast<double>(i) / (count - 2);
    chosen.insert(std::clamp<std::int64_t>(std::llround(std::pow(static_cast<double>(steps), x)), 1, steps));
  }
  return {chosen.begin(), chosen.end()};
}

void run_training_sweep(const SweepContext& context, const Dataset& dataset, const Population& population,
                        ResultsTable& table) {
  const ExperimentConfig& config = context.config;
  if (config.training.models.empty()) return;
  check_device(config.training.device);
  const std::vector<Index> sizes = training_sizes(config, dataset.dim(), dataset.pool.rows());
  for (Index n : sizes) nested_subset(dataset, n, config.seed);  // N above the pool fails before any training
  std::vector<TrainingCell> cells = training_cells(config.training, dataset.label, sizes);
  std::vector<std::size_t> mine;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (static_cast<int>(i % static_cast<std::size_t>(context.shard.count)) == context.shard.index) mine.push_back(i);
  }
  if (mine.empty()) return;

  DatasetSetup ds{context, dataset, population, Gaussian{population.mean, population.covariance},
                  make_schedule(config.theory), nullptr};
  if (dataset.test.rows() > 0) {
    ds.test_probe = std::make_unique<LossProbe>(rows_tensor(dataset.test, config.training.device), ds.schedule,
                                                config.training.eval_samples, kProbeSeed + 1);
  }
  const DataMatrix permuted = permuted_pool(dataset, config.seed);
  std::unique_ptr<TrainingSetup> setup;
  Progress progress("training cells " + dataset.label, static_cast<std::int64_t>(mine.size()), "cells");
  for (std::size_t index : mine) {
    const TrainingCell& cell = cells[index];
    const std::string fingerprint = cell_fingerprint(config, context.spec, cell.model);
    const CellFiles files(context.dir, cell.id(), fingerprint);
    const bool started = files.started();
    std::error_code ec;
    if (started && std::filesystem::exists(files.rows(), ec)) {
      table.append(ResultsTable::read_csv(files.rows()));
      progress.advance();
      continue;
    }
    if (!setup || setup->n != cell.n) setup = make_training_setup(ds, permuted, cell.n);
    const bool resume = started && std::filesystem::exists(files.latest(), ec);
    if (!resume) {
      files.write_meta({{"fingerprint", fingerprint},
                        {"cell", {{"dataset", cell.dataset}, {"model", cell.model}, {"objective", cell.objective},
                                  {"n", cell.n}, {"c", cell.c}, {"seed", cell.seed}}},
                        {"shape", {dataset.shape.channels, dataset.shape.height, dataset.shape.width}},
                        {"config", to_yaml(config)}});
    }
    StageTimer timer(context.manifest, "train:" + cell.id());
    const ResultsTable rows = run_cell(ds, *setup, cell, files, resume);
    rows.write_csv_atomically(files.rows());
    table.append(rows);
    progress.advance();
  }
}

}  // namespace lindiff
