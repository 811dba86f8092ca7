// Owns what every stage derives from one loaded dataset, computed once and passed on: the
// population (exact, or the moments of the held-out split) with its eigensystem, the pool in
// one seeded order (a training set of size N is its first N rows, so sets are nested across
// N), and each training set's moments, eigensystem and view in Sigma0's eigenbasis.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "datasets/dataset.h"
#include "src/config/config.h"
#include "src/theory/diagonal_model.h"
#include "src/theory/eigen_system.h"
#include "src/theory/gaussian_kl.h"
#include "src/theory/mode_space.h"
#include "src/theory/moments.h"
#include "src/theory/schedule.h"

namespace lindiff {

// The population N(mean, covariance) (itself the Gaussian every KL compares with) and its
// complete eigensystem; count = 0 when exact.
struct Population : Gaussian {
  EigenSystem eigen;
  Index count = 0;
};

// The exact population of synthetic data, else the moments of the held-out split. O(M d^2 + d^3).
Population population_of(const Dataset& dataset, EigenSolver solver);

// A training set: its moments (1/N) and the eigensystem of Sigma0, computed by `route`
// ("covariance": O(N d^2 + d^3); "gram": O(N^2 d + N^3), complement implicit).
struct TrainingSet {
  Moments moments;
  EigenSystem eigen;
  std::string route;
};

// Statistics of `rows`; route "auto" picks the Gram matrix when N < d.
TrainingSet training_set(const Eigen::Ref<const DataMatrix>& rows, const std::string& route, EigenSolver solver);

// A training set seen in the eigenbasis of its Sigma0 (docs/theory.md#linear-denoisers-optimum): the mode groups, the
// population through them, and both sets of moments relative to the bias mu0.
struct TrainingModes {
  TrainingModes(const TrainingSet& set, const Population& population);
  TrainingModes(const TrainingModes&) = delete;  // `population_view` points into `modes`
  TrainingModes& operator=(const TrainingModes&) = delete;

  ModeSpace modes;
  PopulationView population_view;
  ModeMoments train;  // the training set's own moments
  ModeMoments test;   // the population's moments
};

// The population-optimal linear denoiser of `objective` evaluated on the population: L_t, t = 1..T.
Vector population_optimal_loss(const Population& population, const Schedule& schedule, Objective objective,
                               bool final_noise);

// One dataset with everything derived from it, each computed on first use and kept.
class DatasetContext {
 public:
  // The context of `dataset` (loaded from `spec`) under `config`: eigensystems use
  // spectrum.solver and spectrum.route, the pool order uses the top-level seed. O(M d^2 + d^3)
  // for the population, O(pool d) for the order.
  DatasetContext(const DatasetSpec& spec, const Dataset& dataset, const ExperimentConfig& config);
  DatasetContext(const DatasetContext&) = delete;
  DatasetContext& operator=(const DatasetContext&) = delete;
  ~DatasetContext();

  const DatasetSpec& spec() const { return spec_; }
  const Dataset& dataset() const { return dataset_; }
  const ExperimentConfig& config() const { return config_; }
  const Population& population() const { return population_; }
  // The schedule of theory.* (models are trained and sampled with it).
  const Schedule& schedule() const { return schedule_; }
  // The pool in the order of one seeded permutation.
  const DataMatrix& permuted_pool() const { return permuted_pool_; }
  // The training set of size n: the first n rows of permuted_pool().
  Eigen::Ref<const DataMatrix> training_rows(Index n) const;
  // Statistics of training_rows(n); computed once per n. Requires 1 <= n <= pool.
  const TrainingSet& training_set(Index n) const;
  // training_set(n) in its eigenbasis; computed once per n.
  const TrainingModes& training_modes(Index n) const;
  // Whether the population is exact (synthetic Gaussian data): then the population-optimal
  // linear denoiser is the Bayes-optimal denoiser and bayes_test_loss() exists.
  bool has_bayes_loss() const { return dataset_.exact.has_value(); }
  // L_t, t = 1..T, of the Bayes-optimal denoiser for `objective` (noise | data) on the
  // population (docs/theory.md#linear-denoisers-optimum with Sigma0 = Sigma, mu0 = mu): the least loss any model can
  // reach. Computed once per objective in O(T d + d^3). Requires has_bayes_loss().
  const Vector& bayes_test_loss(Objective objective) const;

 private:
  const DatasetSpec& spec_;
  const Dataset& dataset_;
  const ExperimentConfig& config_;
  EigenSolver solver_;
  Population population_;
  Schedule schedule_;
  DataMatrix permuted_pool_;
  mutable std::map<Index, std::unique_ptr<TrainingSet>> sets_;
  mutable std::map<Index, std::unique_ptr<TrainingModes>> modes_;
  mutable std::map<Objective, Vector> bayes_;
};

}  // namespace lindiff
