#include "src/report/metrics.h"
#include "src/evaluation/cell_evaluation.h"

#include <algorithm>
#include <map>

#include <torch/torch.h>

#include "src/analysis/kl_metrics.h"
#include "src/analysis/sample_statistics.h"
#include "src/common/error.h"
#include "src/common/log_spaced.h"
#include "src/denoisers/diagonal_denoiser.h"
#include "src/diffusion/sampler.h"
#include "src/evaluation/linear_exact.h"
#include "src/tensors/device.h"
#include "src/tensors/tensor_bridge.h"
#include "src/figures/image_grid.h"
#include "src/theory/model_evaluation.h"
#include "src/theory/training_set_average.h"

namespace lindiff {

namespace {

constexpr int kBootstrapResamples = 1000;
constexpr Index kGridSamples = 64;
constexpr Index kNeighbourPairs = 16;
constexpr std::uint64_t kProbeSeed = 0x5eed;

}  // namespace

std::string TrainingCell::id() const {
  return dataset + "_" + model() + "_" + enum_name(objective) + "_N" + std::to_string(n) + "_c" + format_number(c) + "_s" +
         std::to_string(seed);
}

void CellRows::add(std::optional<std::int64_t> step, const std::string& t, const std::string& metric, double value,
                   const std::string& source) {
  table_.add(ResultRow{cell_.dataset, d_, cell_.n, cell_.model(), enum_name(cell_.objective), cell_.c,
                       static_cast<std::uint64_t>(cell_.seed), step, t, metric, value, source});
}

void CellRows::add_kl(std::int64_t step, const KlPair& kl, const std::string& source) {
  for (const KlMetric& m : kl_metrics(kl, static_cast<double>(d_))) add(step, "", m.metric, m.value, source);
}

TrainingSetProbe::TrainingSetProbe(const DatasetContext& context, Index n_)
    : n(n_),
      rows(context.training_rows(n_)),
      set(context.training_set(n_)),
      modes(context.training_modes(n_)),
      train{set.moments.mean, set.moments.covariance},
      data(rows_to_tensor(rows, torch_device(context.config().training.device))),
      probe(data, context.schedule(), context.config().training.eval_samples, kProbeSeed),
      mode_ranks(log_spaced_integers(1, modes.modes.basis().cols(), context.config().theory.mode_ranks)) {}

std::optional<HeldOutProbe> held_out_probe(const DatasetContext& context) {
  const TrainingSpec& spec = context.config().training;
  if (context.dataset().test.rows() == 0) return std::nullopt;
  HeldOutProbe held_out{LossProbe(rows_to_tensor(context.dataset().test, torch_device(spec.device)), context.schedule(),
                                  spec.eval_samples, kProbeSeed + 1),
                        {}};
  if (!context.has_bayes_loss()) return held_out;
  for (const Objective objective : spec.objectives) {
    const auto bayes = bayes_denoiser(context.population(), context.schedule(), objective, torch_device(spec.device));
    held_out.bayes_losses.emplace(objective, held_out.probe.per_draw_losses(*bayes, objective));
  }
  return held_out;
}

CellEvaluator::CellEvaluator(const DatasetContext& context, const TrainingSetProbe& set, const HeldOutProbe* held_out,
                             const TrainingCell& cell, const TrainableModel& model, RateSchedule rate, bool gd_theory)
    : context_(context),
      set_(set),
      held_out_(held_out),
      cell_(cell),
      model_(model),
      rate_(rate),
      gd_theory_(gd_theory) {}

void CellEvaluator::add_raw_held_out(std::int64_t step, CellRows& rows) {
  if (!held_out_) return;
  const LossEstimate raw = held_out_->probe.estimate(*model_.denoiser, cell_.objective);
  rows.add(step, "all", metric::kRawTestLoss, raw.mean, source::kMonteCarlo);
  rows.add(step, "all", metric::kRawTestLossSe, raw.standard_error, source::kMonteCarlo);
}

CheckpointLosses CellEvaluator::at_checkpoint(std::int64_t step, CellRows& rows) {
  CheckpointLosses losses;
  losses.step = step;
  const LossEstimate train = set_.probe.estimate(*model_.denoiser, cell_.objective);
  rows.add(step, "all", metric::kTrainLoss, train.mean, source::kMonteCarlo);
  rows.add(step, "all", metric::kTrainLossSe, train.standard_error, source::kMonteCarlo);
  losses.verdict = LossPoint{step, train.mean, train.standard_error, {}};
  if (held_out_) {
    held_out_draws_ = held_out_->probe.per_draw_losses(*model_.denoiser, cell_.objective);
    const LossEstimate test = summarize_draws(held_out_draws_);
    rows.add(step, "all", metric::kTestLoss, test.mean, source::kMonteCarlo);
    rows.add(step, "all", metric::kTestLossSe, test.standard_error, source::kMonteCarlo);
    losses.held_out = test.mean;
    losses.verdict = LossPoint{step, test.mean, test.standard_error, {}};
    const auto bayes = held_out_->bayes_losses.find(cell_.objective);
    if (bayes != held_out_->bayes_losses.end()) {
      // The excess differs from the test loss by a constant, so its (paired, much smaller)
      // standard error is the one of the test loss's changes.
      const LossEstimate excess = summarize_draws(held_out_draws_ - bayes->second);
      rows.add(step, "all", metric::kExcessTestLoss, excess.mean, source::kMonteCarlo);
      rows.add(step, "all", metric::kExcessTestLossSe, excess.standard_error, source::kMonteCarlo);
      losses.verdict.standard_error = excess.standard_error;
    }
  }
  if (cell_.kind->exact_evaluation) {
    losses.verdict = LossPoint{step, add_exact_rows(step, rows), 0.0, {}};
    losses.monte_carlo = false;
    if (held_out_) losses.held_out = losses.verdict.loss;  // exact beats a Monte Carlo estimate
  }
  return losses;
}

double CellEvaluator::add_exact_rows(std::int64_t step, CellRows& rows) {
  const at::Tensor weights = model_.weights();
  if (!torch::isfinite(weights).all().item<bool>()) {
    throw NumericError("weights of " + cell_.id() + " are not finite at step " + std::to_string(step) +
                       ": training diverged (lower training." + cell_.kind->name +
                       ".learning_rate); earlier cells and checkpoints are intact");
  }
  const Objective objective = cell_.objective;
  const bool final_noise = context_.config().theory.final_noise;
  const ExactLinearEvaluation exact = evaluate_linear_weights(weights, model_.biases(), objective, context_.schedule(),
                                                              set_.train, context_.population(), final_noise);
  exact_step_ = step;
  exact_sampled_ = exact.sampled;
  rows.add(step, "all", metric::kTrainLoss, exact.train_loss.mean(), source::kExact);
  rows.add(step, "all", metric::kTestLoss, exact.test_loss.mean(), source::kExact);
  add_excess_rows(rows, step, exact.test_loss.mean(), source::kExact);
  rows.add_kl(step, exact.kl, source::kExact);
  if (gd_theory_) {
    const ModeSpace& modes = set_.modes.modes;
    const ModelRows theory(context_.schedule(), objective, modes.eigenvalues(), cell_.c, rate_,
                           static_cast<double>(step), modes.dim());
    const EvaluationContext evaluation{context_.schedule(), modes,       set_.modes.population_view, set_.modes.train,
                                       set_.modes.test,     set_.train.mean, final_noise};
    const ModelEvaluation e = evaluate_model(evaluation, theory);
    rows.add(step, "all", metric::kTrainLoss, e.train_loss.mean(), source::kTheoryGd);
    rows.add(step, "all", metric::kTestLoss, e.test_loss.mean(), source::kTheoryGd);
    add_excess_rows(rows, step, e.test_loss.mean(), source::kTheoryGd);
    rows.add_kl(step, e.kl, source::kTheoryGd);
  }
  return exact.test_loss.mean();
}

void CellEvaluator::add_excess_rows(CellRows& rows, std::int64_t step, double test_loss, const std::string& source) const {
  if (!context_.has_bayes_loss()) return;
  rows.add(step, "all", metric::kExcessTestLoss, test_loss - context_.bayes_test_loss(cell_.objective).mean(), source);
}

void CellEvaluator::add_mode_variance_rows(CellRows& rows, std::int64_t step, const Vector& variance,
                                           const std::string& source) const {
  for (std::size_t i = 0; i < set_.mode_ranks.size(); ++i) {
    rows.add(step, "", metric::ranked(metric::kModeVariancePrefix, set_.mode_ranks[i]), variance(static_cast<Index>(i)), source);
  }
}

void CellEvaluator::final_samples(std::int64_t step, const std::filesystem::path& samples_dir, CellRows& rows) {
  const ExperimentConfig& config = context_.config();
  const ModeSpace& modes = set_.modes.modes;
  const Index d = modes.dim();
  const Index m = config.training.samples > 0 ? config.training.samples : std::max<Index>(2 * d, 256);
  const SamplerOptions sampler{config.theory.final_noise, 1024, static_cast<std::uint64_t>(cell_.seed) * 7919 + 104729};
  const at::Tensor samples = ddpm_sample(*model_.denoiser, context_.schedule(), m, d, sampler);
  save_tensor(samples, samples_dir / "samples.pt");
  const DataMatrix x = to_data_matrix(samples);
  if (!x.allFinite()) throw NumericError("samples of " + cell_.id() + " contain NaN or inf");

  rows.add(step, "", metric::kSamples, static_cast<double>(m), source::kMonteCarlo);
  rows.add_kl(step, kl_pair(fit_gaussian(x), context_.population()), source::kMonteCarlo);
  if (m > d + 2) {  // the expected KLs of a perfect sampler's M-sample fit (docs/theory.md#training-set-averages with N = M)
    const double md = wishart_kl_model_data(d, m), dm = wishart_kl_data_model(d, m);
    rows.add(step, "", metric::kKlModelDataFiniteM, md, source::kTheory);
    rows.add(step, "", metric::kKlDataModelFiniteM, dm, source::kTheory);
    rows.add(step, "", metric::kKlModelDataFiniteMPerDim, md / static_cast<double>(d), source::kTheory);
    rows.add(step, "", metric::kKlDataModelFiniteMPerDim, dm / static_cast<double>(d), source::kTheory);
  }
  Matrix directions(d, static_cast<Index>(set_.mode_ranks.size()));
  for (std::size_t i = 0; i < set_.mode_ranks.size(); ++i) {
    directions.col(static_cast<Index>(i)) = modes.basis().col(set_.mode_ranks[i] - 1);
  }
  add_mode_variance_rows(rows, step, variance_along(x, directions), source::kMonteCarlo);
  if (cell_.kind->exact_evaluation) {
    if (exact_step_ != step) {  // early stopping went back to an earlier checkpoint
      exact_sampled_ = evaluate_linear_weights(model_.weights(), model_.biases(), cell_.objective,
                                               context_.schedule(), set_.train, context_.population(),
                                               config.theory.final_noise)
                           .sampled;
    }
    const Vector variance = (directions.transpose() * exact_sampled_.covariance * directions).diagonal();
    add_mode_variance_rows(rows, step, variance, source::kExact);
  }

  const auto [lo, hi] = display_range(context_.spec(), context_.dataset());
  const ImageShape& shape = context_.dataset().shape;
  const int zoom = default_zoom(shape);
  write_grid(tile_images(rows_as_images(x.topRows(std::min(m, kGridSamples)), shape, lo, hi), 8, zoom),
            samples_dir / "grid.png");
  if (set_.n < 2) return;
  const NearestTwo nearest = nearest_two(x, set_.rows);
  const MemorisationEstimate copies = memorisation(nearest, config.training.duplicate_ratio, kBootstrapResamples,
                                                   static_cast<std::uint64_t>(cell_.seed));
  rows.add(step, "", metric::kMemorizedFraction, copies.fraction, source::kMonteCarlo);
  rows.add(step, "", metric::kMemorizedFractionLower, copies.lower, source::kMonteCarlo);
  rows.add(step, "", metric::kMemorizedFractionUpper, copies.upper, source::kMonteCarlo);
  rows.add(step, "", metric::kNnRatioMedian, copies.median_ratio, source::kMonteCarlo);
  const Index pairs = std::min(m, kNeighbourPairs);
  DataMatrix shown(2 * pairs, d);
  for (Index i = 0; i < pairs; ++i) {
    shown.row(i) = x.row(i);
    shown.row(pairs + i) = set_.rows.row(nearest.nearest[static_cast<std::size_t>(i)]);
  }
  write_grid(tile_images(rows_as_images(shown, shape, lo, hi), static_cast<int>(pairs), zoom),
            samples_dir / "neighbours.png");
}

}  // namespace lindiff
