// Owns a loaded, preprocessed dataset: the training pool, the held-out split and,
// for synthetic data, the exact population; plus nested training subsets.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "datasets/dataset_spec.h"
#include "datasets/image_shape.h"
#include "src/common/matrix.h"
#include "src/theory/eigen_system.h"

namespace lindiff {

// The exact population of synthetic data: N(mean, covariance), covariance = U diag(lambda) U^T.
struct ExactPopulation {
  Vector mean;
  Matrix covariance;
  EigenSystem eigen;
};

// A dataset after preprocessing: rows are flattened images (d = shape.size()).
struct Dataset {
  std::string label;
  std::string name;
  std::string source;  // the files or generator it came from
  ImageShape shape;
  DataMatrix pool;     // training pool: training subsets are drawn from it
  DataMatrix test;     // held-out split: population statistics of image data
  std::optional<ExactPopulation> exact;  // synthetic data only

  // Data dimension d.
  Index dim() const { return pool.cols(); }
};

// Throws ConfigError unless 1 <= n <= the pool size, naming the dataset and the valid range.
void check_subset_size(const Dataset& dataset, Index n);

// Indices of a training subset of size n: the first n entries of one seeded permutation
// of the pool, so subsets are nested across n (the n = 100 subset lies inside n = 1000).
// Throws ConfigError when n exceeds the pool, naming the dataset and pool size.
std::vector<Index> nested_subset(const Dataset& dataset, Index n, std::uint64_t seed);

// The rows of `indices`, in that order.
DataMatrix select_rows(const DataMatrix& rows, const std::vector<Index>& indices);

// The pixel values drawn black and white in image grids: the scale's range for image data,
// the pool's range for synthetic data.
std::pair<double, double> display_range(const DatasetSpec& spec, const Dataset& dataset);

// A seeded permutation of 0..n-1 (std::mt19937_64 + Fisher-Yates; same seed, same order).
std::vector<Index> seeded_permutation(Index n, std::uint64_t seed);

}  // namespace lindiff
