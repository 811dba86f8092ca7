#include "src/report/metrics.h"
#include "src/sweep/training_sweep.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include "src/common/atomic_file.h"
#include "src/common/progress.h"
#include "src/config/settings.h"
#include "src/denoisers/registry.h"
#include "src/sweep/cell_files.h"
#include "src/sweep/denoise_stage.h"
#include "src/tensors/device.h"
#include "src/tensors/tensor_bridge.h"
#include "src/training/early_stopping.h"
#include "src/training/training_loop.h"

namespace lindiff {

namespace {

// The cell being trained and its state between checkpoints.
struct CellRun {
  CellRun(const TrainingCell& cell_, const CellFiles& files_, TrainableModel model_, Index d)
      : cell(cell_), files(files_), model(std::move(model_)), rows(cell_, d) {}
  const TrainingCell& cell;
  const CellFiles& files;
  TrainableModel model;
  TrainOptions options;
  CellRows rows;
  std::vector<CheckpointLosses> checkpoints;  // what each evaluated checkpoint measured, in step order
  // Set where there is held-out data: it remembers the best checkpoint (the model the cell
  // reports) and, with patience > 0, stops training.
  std::optional<EarlyStopping> stopping;
};

// Records a checkpoint's losses and feeds early stopping; returns false to stop.
bool note_checkpoint(CellRun& run, const CheckpointLosses& losses) {
  run.checkpoints.push_back(losses);
  if (!run.stopping || !losses.held_out) return true;
  return run.stopping->observe(losses.step, *losses.held_out);
}

// The checkpoints' losses as JSON (the state a resumed cell needs besides latest.pt).
nlohmann::json checkpoints_json(const std::vector<CheckpointLosses>& checkpoints) {
  nlohmann::json list = nlohmann::json::array();
  for (const CheckpointLosses& c : checkpoints) {
    nlohmann::json entry{{"step", c.step}, {"loss", c.verdict.loss}, {"standard_error", c.verdict.standard_error},
                         {"monte_carlo", c.monte_carlo}};
    if (c.held_out) entry["held_out"] = *c.held_out;
    list.push_back(entry);
  }
  return list;
}

// Restores rows, checkpoint losses and early-stopping state up to the checkpoint a resumed cell
// starts from; returns false when early stopping had already ended the run there. Throws
// DataError naming the file when the losses file is missing or unreadable.
bool restore_progress(CellRun& run, std::int64_t step) {
  bool go_on = true;
  const ResultsTable saved = ResultsTable::read_csv(run.files.progress());
  for (const ResultRow& r : saved.rows()) {
    if (r.step && *r.step <= step) run.rows.table().add(r);
  }
  nlohmann::json list;
  try {
    std::ifstream in(run.files.checkpoint_losses());
    list = nlohmann::json::parse(in);
    for (const nlohmann::json& entry : list) {
      if (entry.at("step").get<std::int64_t>() > step) continue;
      CheckpointLosses losses;
      losses.step = entry.at("step").get<std::int64_t>();
      losses.verdict = LossPoint{losses.step, entry.at("loss").get<double>(), entry.at("standard_error").get<double>(), {}};
      losses.monte_carlo = entry.at("monte_carlo").get<bool>();
      if (entry.contains("held_out")) losses.held_out = entry.at("held_out").get<double>();
      go_on = note_checkpoint(run, losses);
    }
  } catch (const nlohmann::json::exception& e) {
    throw DataError("'" + run.files.checkpoint_losses().string() + "' cannot be read (" + e.what() +
                    "): delete the cell's folder " + run.files.checkpoint_losses().parent_path().string() +
                    " to train it again");
  }
  return go_on;
}

// Evaluates a checkpoint: the average of the weights where the run keeps one (and the weights'
// own held-out loss beside it), else the weights.
// With a denoise stage, the evaluated model's comparison rows too.
CheckpointLosses evaluate_checkpoint(Trainer& trainer, CellEvaluator& evaluator, std::int64_t step, CellRun& run,
                                     DenoiseStage* denoise) {
  const auto evaluate = [&] {
    CheckpointLosses losses = evaluator.at_checkpoint(step, run.rows);
    if (denoise) denoise->add_cell_rows(run.cell, *run.model.denoiser, step, run.rows);
    return losses;
  };
  if (!trainer.averaging()) return evaluate();
  evaluator.add_raw_held_out(step, run.rows);
  trainer.swap_average();
  CheckpointLosses losses = evaluate();
  trainer.swap_average();
  return losses;
}

// Loads the best held-out checkpoint (weights and their average) when it is not the last one;
// returns the step of the model the cell reports (docs/convergence.md#the-reported-model).
std::int64_t restore_best_model(CellRun& run, Trainer& trainer, std::int64_t reached) {
  if (!run.stopping || run.stopping->best_step() < 0 || run.stopping->best_step() == reached) return reached;
  std::error_code ec;
  if (!std::filesystem::exists(run.files.best(), ec)) {
    // A cell resumed from a lindiff that kept best.pt only under early stopping.
    std::fprintf(stderr, "%s: no best.pt for step %lld (interrupted under an earlier lindiff); reporting step %lld\n",
                 run.cell.id().c_str(), static_cast<long long>(run.stopping->best_step()), static_cast<long long>(reached));
    return reached;
  }
  trainer.load(run.files.best().string());
  return run.stopping->best_step();
}

// The steps `steps: auto` stands for in this cell (docs/convergence.md#steps-auto), said on stderr.
StepPlan automatic_steps(const DatasetContext& context, const TrainingSetProbe& set, const TrainingCell& cell,
                         double learning_rate) {
  const TrainingModes& modes = set.modes;
  const EvaluationContext evaluation{context.schedule(), modes.modes, modes.population_view, modes.train,
                                     modes.test,         set.train.mean, context.config().theory.final_noise};
  const StepPlan plan =
      cell.kind->automatic_steps(StepInputs{context.config().training, evaluation, cell.objective, cell.c, learning_rate});
  std::fprintf(stderr, "%s: steps: auto chose %s\n", cell.id().c_str(), plan.why.c_str());
  return plan;
}

// The plan of a cell: its kind's choice under `steps: auto`, else the configured steps.
StepPlan cell_plan(const DatasetContext& context, const TrainingSetProbe& set, const TrainingCell& cell,
                   const TrainOptions& options) {
  if (!cell.kind->optimizer(context.config().training).steps.automatic) return StepPlan{options.steps, true, "", false};
  return automatic_steps(context, set, cell, options.learning_rate);
}

// The checkpoints of a cell: log-spaced over its steps, or the 1-2-5 grid of an open-ended plan;
// under a planned `auto`, S / 10 joins them so that the verdict compares exactly the decade the
// plan assumed.
std::vector<std::int64_t> cell_checkpoints(const StepPlan& plan, bool automatic, int count) {
  if (plan.until_converged) return decade_checkpoint_steps(plan.steps);
  std::vector<std::int64_t> at = checkpoint_steps(plan.steps, count);
  if (automatic && plan.steps >= 10) {
    at.insert(std::upper_bound(at.begin(), at.end(), plan.steps / 10), plan.steps / 10);
    at.erase(std::unique(at.begin(), at.end()), at.end());
  }
  return at;
}


// Whether the GD theory applies to a cell: its kind is trained as docs/theory.md#gradient-descent-dynamics
// assumes, at a learning rate below the full-batch stability limit.
bool gd_theory_applies(const TrainingCell& cell, const TrainingSpec& spec, const TrainingSetProbe& set,
                       const Schedule& schedule, double learning_rate) {
  const ModeSpace& modes = set.modes.modes;
  return cell.kind->follows_gradient_descent_theory && cell.kind->follows_gradient_descent_theory(spec) &&
         learning_rate < gd_stability_limit(schedule, modes.eigenvalues().maxCoeff(), cell.c, modes.dim());
}

// The convergence verdict's curve: every checkpoint's point, with the per-draw values kept
// beside Monte Carlo points (runs resumed from folders written before these files existed fall
// back to unpaired errors).
std::vector<LossPoint> verdict_curve(const std::vector<CheckpointLosses>& checkpoints, const CellFiles& files) {
  std::vector<LossPoint> curve;
  for (const CheckpointLosses& c : checkpoints) {
    LossPoint point = c.verdict;
    std::error_code ec;
    const std::filesystem::path path = files.held_out_draws(point.step);
    if (c.monte_carlo && std::filesystem::exists(path, ec)) {
      at::Tensor draws;
      torch::load(draws, path.string());
      draws = draws.to(torch::kDouble).contiguous();
      point.draws.assign(draws.data_ptr<double>(), draws.data_ptr<double>() + draws.numel());
    }
    curve.push_back(std::move(point));
  }
  return curve;
}

// Whether an open-ended cell may stop at `step`: the verdict holds on its checkpoints so far.
bool verdict_holds(const CellRun& run, std::int64_t step) {
  return step >= kFirstOpenEndedVerdict && judge_convergence(verdict_curve(run.checkpoints, run.files), false).converged;
}

// A cell resumed under another thread count would give numbers that match neither
// uninterrupted run (parallel sums add in another order), so the resume is refused by name.
void check_resume_threads(const CellFiles& files, const TrainingCell& cell) {
  nlohmann::json meta;
  try {
    std::ifstream in(files.meta());
    meta = nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    throw DataError("'" + files.meta().string() + "' cannot be read (" + e.what() + "): delete the cell's folder " +
                    files.meta().parent_path().string() + " to train it again");
  }
  if (!meta.contains("threads") || !meta["threads"].is_number_integer()) return;  // written before threads were kept
  const int started_with = meta["threads"].get<int>();
  if (started_with == at::get_num_threads()) return;
  throw ConfigError("cell " + cell.id() + " was interrupted under --threads " + std::to_string(started_with) +
                    " and this run has " + std::to_string(at::get_num_threads()) +
                    ": resumed under another thread count its numbers would match neither uninterrupted run (parallel "
                    "sums add up in another order); run again with --threads " + std::to_string(started_with) +
                    ", or delete " + files.meta().parent_path().string() + " to train the cell again");
}

ResultsTable run_cell(const DatasetContext& context, const TrainingSetProbe& set, const HeldOutProbe* held_out,
                      const TrainingCell& cell, const CellFiles& files, bool resume, DenoiseStage* denoise) {
  const TrainingSpec& spec = context.config().training;
  const Schedule& schedule = context.schedule();
  const DenoiserKind& kind = *cell.kind;
  const Index d = set.modes.modes.dim();
  const ModelInputs inputs{spec, cell.objective, cell.c, cell.seed, context.dataset().shape, schedule,
                           to_tensor(set.train.mean)};
  const RateInputs rate{spec, schedule, set.modes.modes.eigenvalues().maxCoeff(), set.train.covariance.trace(), cell.c, d};
  const double automatic_rate = kind.automatic_learning_rate ? kind.automatic_learning_rate(rate) : 0.0;
  CellRun run(cell, files, kind.build(inputs), d);
  run.options = train_options(kind, spec, cell.objective, cell.c, cell.seed, automatic_rate, cell.id());
  const StepPlan plan = cell_plan(context, set, cell, run.options);
  const std::int64_t steps = plan.steps;
  run.options.steps = steps;
  run.options.checkpoints = cell_checkpoints(plan, kind.optimizer(spec).steps.automatic, spec.checkpoints);
  run.options.identity = files.meta().parent_path().filename().string() + ", d = " + std::to_string(d) + ", " +
                         (plan.until_converged ? "at most " : "") + std::to_string(steps) + " steps";
  if (held_out) run.stopping.emplace(spec.patience, spec.patience_from * static_cast<double>(steps));
  CellEvaluator evaluator(context, set, held_out, cell, run.model, run.options.rate_schedule(),
                          gd_theory_applies(cell, spec, set, schedule, run.options.learning_rate));
  Trainer trainer(run.model.target, set.data, schedule, run.options);
  // A cell interrupted after its last checkpoint had stopped it (early stopping, or the verdict
  // of an open-ended plan) ends there on resume, as the uninterrupted run did.
  bool stopped = false;
  if (resume) {
    trainer.load(files.latest().string());
    stopped = !restore_progress(run, trainer.step()) || (plan.until_converged && verdict_holds(run, trainer.step()));
    std::fprintf(stderr, "resuming %s from step %lld\n", cell.id().c_str(), static_cast<long long>(trainer.step()));
  }
  const std::int64_t reached = stopped ? trainer.step() : trainer.run([&](std::int64_t step) {
    const bool go_on = note_checkpoint(run, evaluate_checkpoint(trainer, evaluator, step, run, denoise));
    if (evaluator.held_out_draws().defined()) save_tensor(evaluator.held_out_draws(), files.held_out_draws(step));  // a few KiB beside the rows
    if (run.stopping && run.stopping->best_step() == step) trainer.save(files.best().string());
    // Rows and losses before latest.pt: a resume never lacks them.
    run.rows.table().write_csv_atomically(files.progress());
    write_file_atomically(files.checkpoint_losses(), checkpoints_json(run.checkpoints).dump(1) + "\n");
    trainer.save(files.latest().string());
    if (plan.until_converged && go_on && verdict_holds(run, step)) {
      std::fprintf(stderr, "%s: converged at step %lld (steps: auto)\n", cell.id().c_str(), static_cast<long long>(step));
      return false;
    }
    return go_on;
  });
  const std::int64_t final_step = restore_best_model(run, trainer, reached);
  trainer.swap_average();  // the reported model is the average where there is one
  run.rows.add(std::nullopt, "", metric::kFinalStep, static_cast<double>(final_step), source::kTraining);
  run.rows.add(std::nullopt, "", metric::kLearningRate, run.options.learning_rate, source::kTraining);
  // An open-ended cell records the steps it trained, not its cap.
  run.rows.add(std::nullopt, "", metric::kSteps, static_cast<double>(plan.until_converged ? reached : steps), source::kTraining);
  const ConvergenceVerdict verdict = judge_convergence(verdict_curve(run.checkpoints, files), reached < steps);
  run.rows.add(std::nullopt, "", metric::kHeldOutDropLastDecade, verdict.drop, source::kTraining);
  run.rows.add(std::nullopt, "", metric::kConverged, verdict.converged ? 1.0 : 0.0, source::kTraining);
  evaluator.final_samples(final_step, files.samples_dir(), run.rows);
  if (denoise) denoise->finish_cell(cell, *run.model.denoiser, final_step, files.samples_dir(), run.rows);
  return run.rows.table();
}

// Evaluates a loaded network's cell as a trained cell's reported model, at the step its entry
// records: Monte Carlo losses, samples and, with a denoise stage, every comparison row. Its
// training is not lindiff's to judge, so it has no convergence rows.
ResultsTable run_network_cell(const DatasetContext& context, const TrainingSetProbe& set, const HeldOutProbe* held_out,
                              const TrainingCell& cell, const CellFiles& files, std::shared_ptr<const Denoiser> denoiser,
                              DenoiseStage* denoise) {
  TrainableModel model;
  model.denoiser = std::move(denoiser);
  CellRows rows(cell, set.modes.modes.dim());
  CellEvaluator evaluator(context, set, held_out, cell, model, RateSchedule{}, false);
  const std::int64_t step = cell.network->steps;
  evaluator.at_checkpoint(step, rows);
  if (denoise) denoise->add_cell_rows(cell, *model.denoiser, step, rows);
  rows.add(std::nullopt, "", metric::kFinalStep, static_cast<double>(step), source::kTraining);
  evaluator.final_samples(step, files.samples_dir(), rows);
  if (denoise) denoise->finish_cell(cell, *model.denoiser, step, files.samples_dir(), rows);
  return rows.table();
}

// The loaded networks of the dataset, each called once on lindiff's inputs, so that a file that
// cannot be loaded or called is named before any cell runs.
std::map<const NetworkSpec*, std::shared_ptr<const Denoiser>> load_networks(const DatasetContext& context) {
  const ExperimentConfig& config = context.config();
  std::map<const NetworkSpec*, std::shared_ptr<const Denoiser>> loaded;
  for (std::size_t i = 0; i < config.networks.size(); ++i) {
    const NetworkSpec& network = config.networks[i];
    if (!network.belongs_to(context.dataset().label)) continue;
    const LoadInputs in{network, "networks." + std::to_string(i), context.schedule(), context.dataset().shape,
                        torch_device(config.training.device)};
    loaded[&network] = network_kind().load(in);
  }
  return loaded;
}

// The cell's meta.json: what it is, where, and under which settings.
nlohmann::json cell_meta(const TrainingCell& cell, const std::string& fingerprint, const ExperimentConfig& config,
                         const Dataset& dataset) {
  nlohmann::json meta{{"fingerprint", fingerprint},
                      {"threads", at::get_num_threads()},
                      {"cell", {{"dataset", cell.dataset}, {"model", cell.model()}, {"objective", enum_name(cell.objective)},
                                {"n", cell.n}, {"c", cell.c}, {"seed", cell.seed}}},
                      {"shape", {dataset.shape.channels, dataset.shape.height, dataset.shape.width}},
                      {"config", to_yaml(config)}};
  if (cell.network) {
    meta["cell"]["kind"] = cell.kind->name;
    meta["network"] = {{"file", std::filesystem::absolute(cell.network->file).string()},
                       {"input", enum_name(cell.network->input)},
                       {"timestep", enum_name(cell.network->timestep)},
                       {"steps", cell.network->steps}};
  }
  return meta;
}

}  // namespace

std::vector<TrainingCell> network_cells(const ExperimentConfig& config, const std::string& dataset) {
  std::vector<TrainingCell> cells;
  for (const NetworkSpec& network : config.networks) {
    if (network.belongs_to(dataset)) cells.push_back({dataset, &network_kind(), network.objective, network.n, 0, 0, &network});
  }
  return cells;
}

std::vector<TrainingCell> training_cells(const TrainingSpec& spec, const std::string& dataset,
                                         const std::vector<Index>& n_values) {
  std::vector<TrainingCell> cells;
  for (Index n : n_values) {
    for (std::size_t m = 0; m < spec.models.size(); ++m) {
      const DenoiserKind& kind = find_denoiser_kind(spec.models[m], "training.models." + std::to_string(m));
      for (const Objective objective : spec.objectives) {
        for (double c : spec.c) {
          for (std::int64_t seed : spec.seeds) cells.push_back({dataset, &kind, objective, n, c, seed, nullptr});
        }
      }
    }
  }
  return cells;
}

void check_training_plan(const ExperimentConfig& config, const Dataset& dataset) {
  check_denoise_plan(config, dataset);
  for (std::size_t i = 0; i < config.networks.size(); ++i) {
    const NetworkSpec& network = config.networks[i];
    if (!network.belongs_to(dataset.label)) continue;
    const std::string key = "networks." + std::to_string(i);
    for (const DenoiserKind* kind : denoiser_kinds()) {
      if (kind->name == network.name) {
        throw ConfigError(key + ".name: '" + network.name + "' is the name of a denoiser kind; give the network its own");
      }
    }
    std::error_code ec;
    if (!std::filesystem::is_regular_file(network.file, ec)) {
      throw ConfigError(key + ".file: '" + network.file + "' does not exist or is not a file");
    }
    check_subset_size(dataset, network.n);
    check_device(config.training.device);
  }
  if (config.training.models.empty()) return;
  check_model_names(config.training);
  check_device(config.training.device);
  for (Index n : training_sizes(config, dataset.dim(), dataset.pool.rows())) check_subset_size(dataset, n);
  for (const std::string& model : config.training.models) {
    const DenoiserKind& kind = find_denoiser_kind(model);
    if (kind.check) kind.check(config.training, dataset.shape);
  }
}

void run_training_sweep(const SweepContext& sweep, const DatasetContext& context, ResultsTable& table) {
  const ExperimentConfig& config = context.config();
  const Dataset& dataset = context.dataset();
  check_training_plan(config, dataset);
  const std::vector<Index> sizes = training_sizes(config, dataset.dim(), dataset.pool.rows());
  DenoiseStage denoise(context, sweep.dir);
  std::vector<TrainingCell> cells = config.training.models.empty()
                                        ? std::vector<TrainingCell>{}
                                        : training_cells(config.training, dataset.label, sizes);
  const std::vector<TrainingCell> networks = network_cells(config, dataset.label);
  cells.insert(cells.end(), networks.begin(), networks.end());
  // N outermost, a network after the trained cells of its N: one training set at a time.
  std::stable_sort(cells.begin(), cells.end(), [](const TrainingCell& a, const TrainingCell& b) { return a.n < b.n; });
  if (cells.empty()) {
    // References alone: shard 0 compares them at every training size.
    if (!denoise.active() || sweep.shard.index != 0) return;
    for (Index n : sizes) table.append(denoise.reference_rows(n));
    denoise.write_index();
    return;
  }
  std::vector<std::size_t> mine;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (static_cast<int>(i % static_cast<std::size_t>(sweep.shard.count)) == sweep.shard.index) mine.push_back(i);
  }
  if (mine.empty()) return;

  const std::map<const NetworkSpec*, std::shared_ptr<const Denoiser>> loaded = load_networks(context);
  const std::optional<HeldOutProbe> held_out = held_out_probe(context);
  std::unique_ptr<TrainingSetProbe> set;  // one training set at a time: cells are sorted by N
  Progress progress("training cells " + dataset.label, static_cast<std::int64_t>(mine.size()), "cells");
  for (std::size_t index : mine) {
    const TrainingCell& cell = cells[index];
    // The references' rows belong to the shard of the first cell of their N.
    if (denoise.active() && (index == 0 || cells[index - 1].n != cell.n)) table.append(denoise.reference_rows(cell.n));
    const std::string fingerprint = cell_fingerprint(config, context.spec(), *cell.kind, cell.network);
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
    if (cell.network) {
      files.write_meta(cell_meta(cell, fingerprint, config, dataset));
      StageTimer timer(sweep.manifest, "evaluate:" + cell.id());
      const ResultsTable rows = run_network_cell(context, *set, held_out ? &*held_out : nullptr, cell, files,
                                                 loaded.at(cell.network), denoise.active() ? &denoise : nullptr);
      rows.write_csv_atomically(files.rows());
      table.append(rows);
      progress.advance();
      continue;
    }
    bool resume = started && std::filesystem::exists(files.latest(), ec);
    if (resume && !std::filesystem::exists(files.checkpoint_losses(), ec)) {
      // Interrupted under a lindiff that kept no checkpoint losses: the cell starts again.
      std::fprintf(stderr, "%s: interrupted by an earlier lindiff version (no checkpoint_losses.json); training it again\n",
                   cell.id().c_str());
      resume = false;
    }
    if (resume) check_resume_threads(files, cell);
    if (!resume) files.write_meta(cell_meta(cell, fingerprint, config, dataset));
    StageTimer timer(sweep.manifest, "train:" + cell.id());
    const ResultsTable rows =
        run_cell(context, *set, held_out ? &*held_out : nullptr, cell, files, resume, denoise.active() ? &denoise : nullptr);
    rows.write_csv_atomically(files.rows());
    table.append(rows);
    progress.advance();
  }
  denoise.write_index();
}

}  // namespace lindiff
