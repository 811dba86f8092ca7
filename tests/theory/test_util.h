// Helpers shared by the theory tests: seeded Gaussian samples in double precision.
#pragma once

#include <random>

#include "src/common/matrix.h"
#include "src/common/random_matrices.h"

namespace lindiff::testing {

// N samples (rows, float) of N(0, U diag(values) U^T).
inline DataMatrix gaussian_rows(const Matrix& basis, const Vector& values, Index n, std::mt19937_64& rng) {
  Matrix z = gaussian_matrix(n, values.size(), rng);
  Matrix x = z * values.cwiseSqrt().asDiagonal() * basis.transpose();
  return x.cast<float>();
}

}  // namespace lindiff::testing
