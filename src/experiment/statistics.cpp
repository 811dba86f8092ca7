#include "src/experiment/statistics.h"

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

DataMatrix permuted_pool(const Dataset& dataset, std::uint64_t seed) {
  return select_rows(dataset.pool, seeded_permutation(dataset.pool.rows(), seed));
}

}  // namespace lindiff
