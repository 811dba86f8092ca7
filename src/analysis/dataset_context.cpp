#include "src/analysis/dataset_context.h"

#include <stdexcept>

#include "src/config/settings.h"
#include "src/theory/model_evaluation.h"

namespace lindiff {

Population population_of(const Dataset& dataset, EigenSolver solver) {
  Population population;
  if (dataset.exact) {
    population.mean = dataset.exact->mean;
    population.covariance = dataset.exact->covariance;
    population.eigen = dataset.exact->eigen;
    return population;
  }
  Moments held_out = empirical_moments(dataset.test);
  population.count = held_out.count;
  population.mean = std::move(held_out.mean);
  population.eigen = symmetric_eigen(held_out.covariance, solver);
  population.covariance = std::move(held_out.covariance);
  return population;
}

TrainingSet training_set(const Eigen::Ref<const DataMatrix>& rows, const std::string& route, EigenSolver solver) {
  TrainingSet set;
  set.moments = empirical_moments(rows);
  set.route = route == "auto" ? (rows.rows() < rows.cols() ? "gram" : "covariance") : route;
  if (set.route == "covariance") {
    set.eigen = symmetric_eigen(set.moments.covariance, solver);
  } else {
    Matrix centered = rows.cast<double>();
    centered.rowwise() -= set.moments.mean.transpose();
    set.eigen = gram_eigen(centered, solver);
  }
  return set;
}

TrainingModes::TrainingModes(const TrainingSet& set, const Population& population)
    : modes(set.eigen),
      population_view(modes, population.mean, population.eigen),
      train(training_moments(modes)),
      test(population_view.moments(set.moments.mean)) {}

Vector population_optimal_loss(const Population& population, const Schedule& schedule, Objective objective,
                               bool final_noise) {
  const ModeSpace modes(population.eigen);
  const PopulationView view(modes, population.mean, population.eigen);
  const ModeMoments train = training_moments(modes);
  const ModeMoments test = view.moments(population.mean);
  const EvaluationContext context{schedule, modes, view, train, test, population.mean, final_noise};
  return evaluate_model(context, ModelRows(objective, modes.eigenvalues(), 0.0)).test_loss;
}

DatasetContext::DatasetContext(const DatasetSpec& spec, const Dataset& dataset, const ExperimentConfig& config)
    : spec_(spec),
      dataset_(dataset),
      config_(config),
      solver_(parse_eigen_solver(config.spectrum.solver)),
      population_(population_of(dataset, solver_)),
      schedule_(make_schedule(config.theory)),
      permuted_pool_(select_rows(dataset.pool, seeded_permutation(dataset.pool.rows(), config.seed))) {}

DatasetContext::~DatasetContext() = default;

Eigen::Ref<const DataMatrix> DatasetContext::training_rows(Index n) const {
  if (n < 1 || n > permuted_pool_.rows()) {
    throw std::invalid_argument("DatasetContext: N = " + std::to_string(n) + " outside 1.." +
                                std::to_string(permuted_pool_.rows()) + " (validate sizes with check_subset_size)");
  }
  return permuted_pool_.topRows(n);
}

const TrainingSet& DatasetContext::training_set(Index n) const {
  std::unique_ptr<TrainingSet>& set = sets_[n];
  if (!set) set = std::make_unique<TrainingSet>(lindiff::training_set(training_rows(n), config_.spectrum.route, solver_));
  return *set;
}

const TrainingModes& DatasetContext::training_modes(Index n) const {
  std::unique_ptr<TrainingModes>& modes = modes_[n];
  if (!modes) modes = std::make_unique<TrainingModes>(training_set(n), population_);
  return *modes;
}

const Vector& DatasetContext::bayes_test_loss(Objective objective) const {
  if (!has_bayes_loss()) {
    throw std::invalid_argument("bayes_test_loss: dataset '" + dataset_.label + "' has no exact population");
  }
  auto it = bayes_.find(objective);
  if (it == bayes_.end()) {
    it = bayes_.emplace(objective, population_optimal_loss(population_, schedule_, objective,
                                                           config_.theory.final_noise))
             .first;
  }
  return it->second;
}

}  // namespace lindiff
