// Owns empirical moments of data rows: the mean and the 1/N covariance that the
// training loss sees (docs/theory.md#notation).
#pragma once

#include "src/common/matrix.h"

namespace lindiff {

// Mean and covariance of a set of samples, with the sample count they came from.
struct Moments {
  Vector mean;
  Matrix covariance;
  Index count = 0;
};

// Empirical moments of the rows of `rows` (N x d):
//   \mu_0 = \frac{1}{N} \sum_i x_i,   \Sigma_0 = \frac{1}{N} \sum_i (x_i - \mu_0)(x_i - \mu_0)^T.
// Accumulated in double in blocks of rows (memory O(d^2 + B d)); cost O(N d^2) in BLAS syrk.
// Throws std::invalid_argument for N = 0.
Moments empirical_moments(const Eigen::Ref<const DataMatrix>& rows);

}  // namespace lindiff
