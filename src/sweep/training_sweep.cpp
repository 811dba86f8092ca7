#include "src/sweep/training_sweep.h"

#include <algorithm>
#include <cstdio>
#include <memory>
#include <optional>
#include <set>
#include <sstream>

#include <torch/torch.h>

#include "src/common/atomic_file.h"
#include "src/common/progress.h"
#include "src/config/settings.h"
#include "src/tensors/tensor_bridge.h"
#include "src/sweep/cell_files.h"
#include "src/tensors/device.h"
#include "src/training/early_stopping.h"
#include "src/training/model_factory.h"
#include "src/training/training_loop.h"

namespace lindiff {

namespace {

// The cell being trained and its state between checkpoints.
struct CellRun {
  CellRun(const TrainingCell& cell_, const CellFiles& files_, BuiltModel model_, Index d)
      : cell(cell_), files(files_), model(std::move(model_)), rows(cell_, d) {}
  const TrainingCell& cell;
  const CellFiles& files;
  BuiltModel model;
  TrainOptions options;
  CellRows rows;
  std::optional<EarlyStopping> stopping;  // set when patience > 0 and there is held-out data
};

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

// Keeps a checkpoint's per-draw held-out losses (a few KiB) beside its rows.
void save_draws(const at::Tensor& draws, const std::filesystem::path& path) {
  std::ostringstream bytes;
  torch::save(draws.cpu(), bytes);
  write_file_atomically(path, bytes.str());
}

// Gives each Monte Carlo point of `curve` the per-draw losses its checkpoint kept (runs resumed
// from folders written before these files existed fall back to unpaired errors).
void attach_draws(std::vector<LossPoint>& curve, const CellFiles& files) {
  for (LossPoint& point : curve) {
    std::error_code ec;
    const std::filesystem::path path = files.held_out_draws(point.step);
    if (!std::filesystem::exists(path, ec)) continue;
    at::Tensor draws;
    torch::load(draws, path.string());
    draws = draws.to(torch::kDouble).contiguous();
    point.draws.assign(draws.data_ptr<double>(), draws.data_ptr<double>() + draws.numel());
  }
}

// Whether the GD theory applies to a linear cell: trained as docs/theory.md#gradient-descent-dynamics assumes, at a
// learning rate below the full-batch stability limit.
bool gd_theory_applies(const TrainingCell& cell, const TrainingSpec& spec, const TrainingSetProbe& set,
                       const Schedule& schedule, double learning_rate) {
  const Index d = set.modes.modes.dim();
  return cell.model == "linear" && follows_gradient_descent_theory(spec.linear) &&
         learning_rate * 2.0 * std::max(set.modes.modes.eigenvalues().maxCoeff() + cell.c, 1.0) <
             2.0 * static_cast<double>(schedule.steps() * d);
}

ResultsTable run_cell(const DatasetContext& context, const TrainingSetProbe& set, const HeldOutProbe* held_out,
                      const TrainingCell& cell, const CellFiles& files, bool resume) {
  const TrainingSpec& spec = context.config().training;
  const Schedule& schedule = context.schedule();
  const Index d = set.modes.modes.dim();
  const CellModelSpec model_spec{cell.model, cell.objective, cell.c, cell.seed};
  const std::int64_t steps = spec.optimizer_of(cell.model).steps;
  const double default_rate = default_linear_rate(schedule, set.modes.modes.eigenvalues().maxCoeff(),
                                                  set.train.covariance.trace(), cell.c, d, spec.linear);
  CellRun run(cell, files, build_model(model_spec, spec, context.dataset().shape, schedule, to_tensor(set.train.mean)), d);
  run.options = train_options(model_spec, spec, steps, default_rate, cell.id());
  run.options.checkpoints = checkpoint_steps(steps, spec.checkpoints);
  if (spec.patience > 0 && held_out) run.stopping.emplace(spec.patience, spec.patience_from * static_cast<double>(steps));
  CellEvaluator evaluator(context, set, held_out, cell, run.model, run.options.learning_rate,
                          gd_theory_applies(cell, spec, set, schedule, run.options.learning_rate));
  Trainer trainer(run.model.target, set.data, schedule, run.options);
  if (resume) {
    trainer.load(files.latest().string());
    restore_progress(run, trainer.step());
    std::fprintf(stderr, "resuming %s from step %lld\n", cell.id().c_str(), static_cast<long long>(trainer.step()));
  }
  const std::int64_t reached = trainer.run([&](std::int64_t step) {
    evaluator.at_checkpoint(step, run.rows);
    if (evaluator.held_out_draws().defined()) save_draws(evaluator.held_out_draws(), files.held_out_draws(step));
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
  std::vector<LossPoint> curve = held_out_curve(run.rows.table(), cell.model);
  if (cell.model != "linear") attach_draws(curve, files);
  const ConvergenceVerdict verdict = judge_convergence(std::move(curve), reached < steps);
  run.rows.add(std::nullopt, "", "held_out_drop_last_decade", verdict.drop, "training");
  run.rows.add(std::nullopt, "", "converged", verdict.converged ? 1.0 : 0.0, "training");
  evaluator.final_samples(final_step, files.samples_dir(), run.rows);
  return run.rows.table();
}

}  // namespace

std::vector<TrainingCell> training_cells(const TrainingSpec& spec, const std::string& dataset,
                                         const std::vector<Index>& n_values) {
  std::vector<TrainingCell> cells;
  for (Index n : n_values) {
    for (const std::string& model : spec.models) {
      for (const Objective objective : spec.objectives) {
        for (double c : spec.c) {
          for (std::int64_t seed : spec.seeds) cells.push_back({dataset, model, objective, n, c, seed});
        }
      }
    }
  }
  return cells;
}

void check_training_plan(const ExperimentConfig& config, const Dataset& dataset) {
  if (config.training.models.empty()) return;
  check_device(config.training.device);
  for (Index n : training_sizes(config, dataset.dim(), dataset.pool.rows())) check_subset_size(dataset, n);
  const auto& models = config.training.models;
  if (std::find(models.begin(), models.end(), "unet") != models.end()) {
    checked_unet_options(config.training.unet, dataset.shape);
  }
}

void run_training_sweep(const SweepContext& sweep, const DatasetContext& context, ResultsTable& table) {
  const ExperimentConfig& config = context.config();
  const Dataset& dataset = context.dataset();
  if (config.training.models.empty()) return;
  check_training_plan(config, dataset);
  const std::vector<Index> sizes = training_sizes(config, dataset.dim(), dataset.pool.rows());
  std::vector<TrainingCell> cells = training_cells(config.training, dataset.label, sizes);
  std::vector<std::size_t> mine;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (static_cast<int>(i % static_cast<std::size_t>(sweep.shard.count)) == sweep.shard.index) mine.push_back(i);
  }
  if (mine.empty()) return;

  const std::optional<HeldOutProbe> held_out = held_out_probe(context);
  std::unique_ptr<TrainingSetProbe> set;  // one training set at a time: cells are sorted by N
  Progress progress("training cells " + dataset.label, static_cast<std::int64_t>(mine.size()), "cells");
  for (std::size_t index : mine) {
    const TrainingCell& cell = cells[index];
    const std::string fingerprint = cell_fingerprint(config, context.spec(), cell.model);
    const CellFiles files(sweep.dir, cell.id(), fingerprint);
    const FileLock cell_lock = files.lock();  // a second run on this folder waits, then reuses the rows
    const bool started = files.started();
    std::error_code ec;
    if (started && std::filesystem::exists(files.rows(), ec)) {
      table.append(ResultsTable::read_csv(files.rows()));
      progress.advance();
      continue;
    }
    if (!set || set->n != cell.n) set = std::make_unique<TrainingSetProbe>(context, cell.n);
    const bool resume = started && std::filesystem::exists(files.latest(), ec);
    if (!resume) {
      files.write_meta({{"fingerprint", fingerprint},
                        {"cell", {{"dataset", cell.dataset}, {"model", cell.model}, {"objective", enum_name(cell.objective)},
                                  {"n", cell.n}, {"c", cell.c}, {"seed", cell.seed}}},
                        {"shape", {dataset.shape.channels, dataset.shape.height, dataset.shape.width}},
                        {"config", to_yaml(config)}});
    }
    StageTimer timer(sweep.manifest, "train:" + cell.id());
    const ResultsTable rows = run_cell(context, *set, held_out ? &*held_out : nullptr, cell, files, resume);
    rows.write_csv_atomically(files.rows());
    table.append(rows);
    progress.advance();
  }
}

}  // namespace lindiff
