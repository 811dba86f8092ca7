// Owns the statistics every job derives from a dataset: the population (exact or from the
// held-out split) and training sets (nested subsets) with their eigensystems.
#pragma once

#include <cstdint>
#include <string>

#include "datasets/dataset.h"
#include "src/theory/eigen_system.h"
#include "src/theory/moments.h"

namespace lindiff {

// The population N(mean, covariance) with its complete eigensystem; count = 0 when exact.
struct Population {
  Vector mean;
  Matrix covariance;
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

// The pool in the order of one seeded permutation: the training set of size N is its first N
// rows, so training sets are nested across N.
DataMatrix permuted_pool(const Dataset& dataset, std::uint64_t seed);

}  // namespace lindiff
