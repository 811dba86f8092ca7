// The reference every benchmark reports against: this machine's double-precision dgemm
// time at the benchmark's size, measured in the same process.
#pragma once

#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>

#include "src/common/matrix.h"

namespace lindiff {

// Seconds for one d x d x d double GEMM through Eigen (EIGEN_USE_BLAS: OpenBLAS), best of 3.
inline double gemm_seconds(Index d) {
  const Matrix a = Matrix::Random(d, d), b = Matrix::Random(d, d);
  Matrix c(d, d);
  double best = 1e300;
  for (int rep = 0; rep < 3; ++rep) {
    const auto start = std::chrono::steady_clock::now();
    c.noalias() = a * b;
    benchmark::DoNotOptimize(c.data());
    best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  return best;
}

}  // namespace lindiff
