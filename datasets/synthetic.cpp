#include "datasets/synthetic.h"

#include <random>

#include "src/common/random_matrices.h"
#include "src/theory/spectrum_stats.h"

namespace lindiff {

namespace {

DataMatrix draw(const ExactPopulation& population, Index n, std::mt19937_64& rng) {
  const Index d = population.mean.size();
  const Matrix z = gaussian_matrix(d, n, rng);
  // x = mu + U diag(sqrt(lambda)) z
  Matrix x = population.eigen.vectors * (population.eigen.values.cwiseSqrt().asDiagonal() * z);
  x.colwise() += population.mean;
  return x.transpose().cast<float>();
}

}  // namespace

Dataset make_synthetic(const DatasetSpec& spec) {
  const SyntheticSpec synthetic = spec.synthetic.value_or(SyntheticSpec{});
  Dataset dataset;
  dataset.name = spec.name;
  dataset.label = spec.label;
  dataset.shape = ImageShape{synthetic.shape.size() == 3 ? synthetic.shape[2] : 1, synthetic.shape[0],
                             synthetic.shape[1]};
  const Index d = dataset.shape.size();
  std::mt19937_64 rng(spec.seed);

  ExactPopulation population;
  population.eigen.values = power_law_spectrum(d, synthetic.k);
  population.eigen.vectors =
      synthetic.basis == "identity" ? Matrix(Matrix::Identity(d, d)) : haar_orthogonal(d, rng);
  population.mean = Vector::Constant(d, synthetic.mean);
  population.covariance = population.eigen.vectors * population.eigen.values.asDiagonal() *
                          population.eigen.vectors.transpose();
  dataset.pool = draw(population, synthetic.n_train, rng);
  dataset.test = draw(population, synthetic.n_test, rng);
  dataset.exact = std::move(population);
  dataset.source = "synthetic N(mean, U diag(nu^-k) U^T), k = " + std::to_string(synthetic.k) +
                   ", basis " + synthetic.basis + ", seed " + std::to_string(spec.seed);
  return dataset;
}

}  // namespace lindiff
