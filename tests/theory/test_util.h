// Helpers shared by the theory tests: seeded random matrices in double precision.
#pragma once

#include <random>

#include "src/common/matrix.h"

namespace lindiff::testing {

// An n x m matrix of independent N(0, 1) entries from `rng`.
inline Matrix gaussian_matrix(Index n, Index m, std::mt19937_64& rng) {
  std::normal_distribution<double> normal;
  Matrix a(n, m);
  for (Index j = 0; j < m; ++j)
    for (Index i = 0; i < n; ++i) a(i, j) = normal(rng);
  return a;
}

// A random d x d orthogonal matrix (Q of a Gaussian matrix).
inline Matrix random_orthogonal(Index d, std::mt19937_64& rng) {
  Eigen::HouseholderQR<Matrix> qr(gaussian_matrix(d, d, rng));
  return qr.householderQ();
}

// N samples (rows, float) of N(0, U diag(values) U^T).
inline DataMatrix gaussian_rows(const Matrix& basis, const Vector& values, Index n, std::mt19937_64& rng) {
  Matrix z = gaussian_matrix(n, values.size(), rng);
  Matrix x = z * values.cwiseSqrt().asDiagonal() * basis.transpose();
  return x.cast<float>();
}

}  // namespace lindiff::testing
