// Owns symmetric eigendecompositions: LAPACK divide-and-conquer (dsyevd), Eigen's
// own solver, and the N x N Gram route for covariances of N < d samples.
#pragma once

#include <string>
#include <utility>

#include "src/common/enum_names.h"
#include "src/common/matrix.h"

namespace lindiff {

// Eigenvalues in descending order with orthonormal eigenvectors as columns.
// `values` always has `dim` entries. `vectors` has `values.size()` columns, or fewer when
// built by the Gram route: then the missing columns span the orthogonal complement of the
// given ones, where every eigenvalue is exactly 0.
struct EigenSystem {
  Vector values;
  Matrix vectors;

  // Dimension d of the decomposed matrix.
  Index dim() const { return values.size(); }
  // Number of eigenvectors stored explicitly.
  Index explicit_count() const { return vectors.cols(); }
};

// Eigenvalues of a covariance at or below this fraction of the largest are round-off of exact
// zeros (rank-deficient covariances: N <= d, constant pixels) and are treated as 0.
constexpr double kEigenvalueFloor = 1e-12;

// Which algorithm decomposes a dense symmetric matrix.
enum class EigenSolver {
  kLapackDivideAndConquer,  // LAPACK dsyevd through the system LAPACK (OpenBLAS)
  kEigen,                   // Eigen::SelfAdjointEigenSolver (Householder + QR, single thread)
};

template <>
struct EnumNames<EigenSolver> {
  static constexpr std::pair<EigenSolver, const char*> kNames[] = {{EigenSolver::kLapackDivideAndConquer, "dsyevd"},
                                                                   {EigenSolver::kEigen, "eigen"}};
};

// Whether this build links the system LAPACK (LINDIFF_WITH_LAPACK), so that dsyevd is available.
bool lapack_available();

// The fastest solver of this build: dsyevd where LAPACK is linked, else Eigen's.
EigenSolver default_eigen_solver();

// Parses "auto" (default_eigen_solver()), "dsyevd" or "eigen"; throws std::invalid_argument
// naming the valid choices, or saying that dsyevd needs LAPACK in a build without it.
EigenSolver parse_eigen_solver(const std::string& name);

// Eigendecomposition S = U diag(\lambda) U^T of a symmetric d x d matrix, eigenvalues
// descending. Cost O(d^3). Throws std::invalid_argument if S is not square and
// NumericError if S holds NaN or inf or the solver fails to converge.
EigenSystem symmetric_eigen(const Matrix& symmetric, EigenSolver solver);

// Eigensystem of the 1/N covariance of the rows of `centered` (N x d, already mean-free)
// through the N x N Gram matrix G = X X^T / N: for G u = \lambda u the covariance has
// eigenvector v = X^T u / \sqrt{N \lambda}. Keeps eigenvalues above kEigenvalueFloor \lambda_max; all
// others are exactly 0. Cost O(N^2 d + N^3) instead of O(N d^2 + d^3).
EigenSystem gram_eigen(const Matrix& centered, EigenSolver solver);

}  // namespace lindiff
