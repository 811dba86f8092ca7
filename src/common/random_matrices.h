// Owns seeded random matrices in double precision: Gaussian matrices (filled column by
// column, so a seed always gives the same matrix) and Haar-random orthogonal matrices.
#pragma once

#include <random>

#include "src/common/matrix.h"

namespace lindiff {

// A rows x cols matrix of independent N(0, 1) entries drawn column by column from `rng`.
inline Matrix gaussian_matrix(Index rows, Index cols, std::mt19937_64& rng) {
  std::normal_distribution<double> normal;
  Matrix a(rows, cols);
  for (Index j = 0; j < cols; ++j)
    for (Index i = 0; i < rows; ++i) a(i, j) = normal(rng);
  return a;
}

// A Haar-random d x d orthogonal matrix: Q of the QR factorisation of a Gaussian matrix with
// column j multiplied by sign(R_jj) (without it the distribution is not exactly Haar). O(d^3).
inline Matrix haar_orthogonal(Index d, std::mt19937_64& rng) {
  Eigen::HouseholderQR<Matrix> qr(gaussian_matrix(d, d, rng));
  Matrix q = qr.householderQ();
  const Matrix& r = qr.matrixQR();
  for (Index j = 0; j < d; ++j) {
    if (r(j, j) < 0) q.col(j) *= -1;
  }
  return q;
}

}  // namespace lindiff
