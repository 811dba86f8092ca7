#include "src/report/metrics.h"
#include "src/analysis/theory_curves.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <set>

#include "src/analysis/kl_metrics.h"
#include "src/common/error.h"
#include "src/common/log_spaced.h"
#include "src/common/progress.h"
#include "src/config/settings.h"
#include "src/theory/diagonal_model.h"
#include "src/theory/expected_loss.h"
#include "src/theory/gaussian_kl.h"
#include "src/theory/mode_space.h"
#include "src/theory/model_evaluation.h"
#include "src/theory/sampling_distribution.h"
#include "src/theory/training_set_average.h"

namespace lindiff {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// Everything fixed for one training set while c, objective and step vary.
struct TrainingView {
  Index n = 0;
  const Vector& mu0;
  const ModeSpace& modes;
  const PopulationView& population;
  const ModeMoments& train;
  const ModeMoments& test;
};

// Row factory for one dataset.
class RowWriter {
 public:
  RowWriter(const Dataset& dataset, std::uint64_t seed, ResultsTable& table)
      : label_(dataset.label), d_(dataset.dim()), seed_(seed), table_(table) {}

  // A number about the linear model.
  void add(std::optional<std::int64_t> n, const std::string& objective, std::optional<double> c,
           std::optional<std::int64_t> step, const std::string& t, const std::string& metric, double value,
           const std::string& source) {
    table_.add(ResultRow{label_, d_, n, kLinearModelName, objective, c, seed_, step, t, metric, value, source});
  }
  // A statistic of the training set itself.
  void add_data(std::int64_t n, const std::string& metric, double value) {
    table_.add(ResultRow{label_, d_, n, "", "", std::nullopt, seed_, std::nullopt, "", metric, value, "data"});
  }

 private:
  std::string label_;
  std::int64_t d_;
  std::uint64_t seed_;
  ResultsTable& table_;
};


// Mean over t and the per-t values at the requested timesteps.
void add_loss_rows(RowWriter& rows, std::optional<std::int64_t> n, const TheorySpec& spec, const std::string& objective,
                   std::optional<double> c, std::optional<std::int64_t> step, const std::string& metric,
                   const Vector& loss, const std::string& source) {
  rows.add(n, objective, c, step, "all", metric, loss.mean(), source);
  if (step) return;  // per-t rows only at the optimum, to keep the table readable
  for (int t : spec.loss_timesteps) {
    if (t >= 1 && t <= loss.size()) rows.add(n, objective, c, step, std::to_string(t), metric, loss(t - 1), source);
  }
}

void add_kl_rows(RowWriter& rows, Index n, const std::string& objective, std::optional<double> c,
                 std::optional<std::int64_t> step, const KlPair& kl, double d, const std::string& source) {
  for (const KlMetric& m : kl_metrics(kl, d)) rows.add(n, objective, c, step, "", m.metric, m.value, source);
}

// One model of the grid and where its rows go.
struct GridCell {
  Objective objective;
  double c = 0;
  std::optional<std::int64_t> step;  // none: the optimum
};

void add_model_rows(RowWriter& rows, const TrainingView& view, const TheorySpec& spec, const GridCell& cell,
                    const ModelEvaluation& e) {
  const std::string objective = enum_name(cell.objective);
  add_loss_rows(rows, view.n, spec, objective, cell.c, cell.step, metric::kTrainLoss, e.train_loss, source::kTheory);
  add_loss_rows(rows, view.n, spec, objective, cell.c, cell.step, metric::kTestLoss, e.test_loss, source::kTheory);
  add_kl_rows(rows, view.n, objective, cell.c, cell.step, e.kl, static_cast<double>(view.modes.dim()), source::kTheory);
  if (cell.step) return;
  for (Index rank : log_spaced_integers(1, view.modes.basis().cols(), spec.mode_ranks)) {
    rows.add(view.n, objective, cell.c, cell.step, "", metric::ranked(metric::kModeVariancePrefix, rank),
             e.sampling.variance(rank - 1), source::kTheory);
  }
}

// The optimum and the gradient-descent trajectory for every (objective, c), evaluated in parallel.
void add_grid_rows(RowWriter& rows, const TrainingView& view, const Schedule& schedule, const TheorySpec& spec,
                   double learning_rate) {
  std::vector<GridCell> cells;
  std::vector<ModelRows> models;
  const Vector& lambda = view.modes.eigenvalues();
  const Index d = view.modes.dim();
  for (const Objective objective : spec.objectives) {
    for (double c : spec.c) {
      cells.push_back({objective, c, std::nullopt});
      models.emplace_back(objective, lambda, c);
      for (double steps : spec.gd_steps) {
        cells.push_back({objective, c, static_cast<std::int64_t>(steps)});
        models.emplace_back(schedule, objective, lambda, c, learning_rate, steps, d);
      }
    }
  }
  const EvaluationContext context{schedule, view.modes, view.population, view.train, view.test, view.mu0,
                                  spec.final_noise};
  const std::vector<ModelEvaluation> results = evaluate_models(context, models);
  for (std::size_t i = 0; i < cells.size(); ++i) add_model_rows(rows, view, spec, cells[i], results[i]);
}

// The c minimising each criterion over a log grid (49 values over 6 decades of the mean
// eigenvalue) plus c = 0.
void add_best_c_rows(RowWriter& rows, const TrainingView& view, const Schedule& schedule, const TheorySpec& spec,
                     double mean_eigenvalue) {
  std::vector<double> grid = {0.0};
  for (int i = 0; i < 49; ++i) grid.push_back(mean_eigenvalue * std::pow(10.0, -5.0 + 6.0 * i / 48.0));
  const std::size_t objectives = spec.objectives.size();
  std::vector<ModelRows> models;  // grid-major: model i is c = grid[i / objectives]
  for (double c : grid) {
    for (const Objective objective : spec.objectives) models.emplace_back(objective, view.modes.eigenvalues(), c);
  }
  const EvaluationContext context{schedule, view.modes, view.population, view.train, view.test, view.mu0,
                                  spec.final_noise};
  const std::vector<ModelEvaluation> results = evaluate_models(context, models);
  // Both objectives' optima sample the same distribution, so the first objective's KL stands for both.
  double best_kl_dm = kInf, best_kl_md = kInf, c_kl_dm = 0, c_kl_md = 0;
  std::vector<double> best_loss(objectives, kInf), c_loss(objectives, 0);
  for (std::size_t i = 0; i < results.size(); ++i) {
    const double c = grid[i / objectives];
    const std::size_t o = i % objectives;
    if (o == 0 && results[i].kl.data_model < best_kl_dm) best_kl_dm = results[i].kl.data_model, c_kl_dm = c;
    if (o == 0 && results[i].kl.model_data < best_kl_md) best_kl_md = results[i].kl.model_data, c_kl_md = c;
    const double loss = results[i].test_loss.mean();
    if (loss < best_loss[o]) best_loss[o] = loss, c_loss[o] = c;
  }
  rows.add(view.n, "", std::nullopt, std::nullopt, "", metric::kBestCKlDataModel, c_kl_dm, source::kTheory);
  rows.add(view.n, "", std::nullopt, std::nullopt, "", metric::kBestCKlModelData, c_kl_md, source::kTheory);
  for (std::size_t o = 0; o < objectives; ++o) {
    rows.add(view.n, enum_name(spec.objectives[o]), std::nullopt, std::nullopt, "all", metric::kBestCTestLoss, c_loss[o], source::kTheory);
  }
}

void add_average_rows(RowWriter& rows, const Population& population, const Schedule& schedule, const TheorySpec& spec,
                      Index n, Index d) {
  const Vector& lambda = population.eigen.values;
  const bool positive = lambda.minCoeff() > kEigenvalueFloor * lambda.maxCoeff();
  std::optional<DeterministicEquivalent> equivalent;  // needs a positive-definite population
  if (positive) equivalent.emplace(lambda, n);
  for (double c : spec.c) {
    KlPair kl{kInf, kInf};
    bool have_kl = true;
    if (c == 0) {
      if (n > d + 2) {
        kl = KlPair{wishart_kl_model_data(d, n), wishart_kl_data_model(d, n)};
      } else if (n > d) {
        have_kl = false;  // E KL(data || model) diverges for d < N <= d + 2
      }
    } else if (equivalent) {
      kl = KlPair{equivalent->kl_model_data(c), equivalent->kl_data_model(c)};
    } else {
      have_kl = false;
    }
    if (have_kl) add_kl_rows(rows, n, "", c, std::nullopt, kl, static_cast<double>(d), source::kTheoryAvg);
    if (!equivalent) continue;
    for (const Objective objective : spec.objectives) {
      const Vector loss = average_optimal_test_loss(*equivalent, schedule, c, objective);
      rows.add(n, enum_name(objective), c, std::nullopt, "all", metric::kTestLoss, loss.mean(), source::kTheoryAvg);
    }
  }
}

double resolve_learning_rate(const TheorySpec& spec, const Schedule& schedule, double max_eigenvalue, Index d) {
  const double largest_c = *std::max_element(spec.c.begin(), spec.c.end());
  const double automatic = default_learning_rate(schedule, max_eigenvalue, largest_c, d);
  if (spec.learning_rate <= 0) return automatic;
  // Say so by key before any model is evaluated.
  const double limit = gd_stability_limit(schedule, max_eigenvalue, largest_c, d);
  if (spec.learning_rate >= limit) {
    throw ConfigError("key 'theory.learning_rate' is " + std::to_string(spec.learning_rate) +
                      ": gradient descent diverges at or above " + std::to_string(limit) +
                      " on this data (T d / max(lambda_max + c, 1)); use a smaller rate or 0 (automatic, " +
                      std::to_string(automatic) + ")");
  }
  return spec.learning_rate;
}

}  // namespace

void add_theory_rows(const DatasetContext& context, ResultsTable& table) {
  const ExperimentConfig& config = context.config();
  const Dataset& dataset = context.dataset();
  const Population& population = context.population();
  const TheorySpec& spec = config.theory;
  const Schedule& schedule = context.schedule();
  const Index d = dataset.dim();
  const std::vector<Index> sizes = theory_sizes(spec, d, dataset.pool.rows());
  for (Index n : sizes) check_subset_size(dataset, n);  // validates every N up front

  double max_eigenvalue = population.eigen.values.maxCoeff();
  {
    Progress progress("training-set statistics " + dataset.label, static_cast<std::int64_t>(sizes.size()), "sets");
    for (Index n : sizes) {
      max_eigenvalue = std::max(max_eigenvalue, context.training_set(n).eigen.values.maxCoeff());
      progress.advance();
    }
  }
  const double learning_rate = resolve_learning_rate(spec, schedule, max_eigenvalue, d);
  RowWriter rows(dataset, config.seed, table);
  rows.add(std::nullopt, "", std::nullopt, std::nullopt, "", metric::kLearningRate, learning_rate, source::kTheory);
  const double mean_eigenvalue = population.eigen.values.sum() / static_cast<double>(d);
  if (context.has_bayes_loss()) {
    for (const Objective objective : spec.objectives) {
      const Vector& bayes = context.bayes_test_loss(objective);
      add_loss_rows(rows, std::nullopt, spec, enum_name(objective), std::nullopt, std::nullopt, metric::kBayesTestLoss,
                    bayes, source::kTheory);
    }
  }

  Progress progress("theory curves " + dataset.label, static_cast<std::int64_t>(sizes.size()), "sets");
  for (Index n : sizes) {
    const TrainingModes& set = context.training_modes(n);
    const TrainingView view{n, context.training_set(n).moments.mean, set.modes, set.population_view, set.train, set.test};
    for (Index rank : log_spaced_integers(1, set.modes.basis().cols(), spec.mode_ranks)) {
      rows.add_data(view.n, metric::ranked(metric::kEigenvaluePrefix, rank), set.modes.eigenvalues()(rank - 1));
    }
    add_grid_rows(rows, view, schedule, spec, learning_rate);
    add_best_c_rows(rows, view, schedule, spec, mean_eigenvalue);
    if (spec.averages) add_average_rows(rows, population, schedule, spec, view.n, d);
    progress.advance();
  }
}

}  // namespace lindiff
