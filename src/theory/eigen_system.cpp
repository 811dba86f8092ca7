#include "src/theory/eigen_system.h"

#if LINDIFF_WITH_LAPACK
#include <lapacke.h>
#endif

#include <Eigen/Eigenvalues>
#include <optional>
#include <stdexcept>

#include "src/common/error.h"
#include "src/common/shape_check.h"

namespace lindiff {

namespace {

// Reorders an ascending decomposition (as LAPACK and Eigen return it) to descending.
EigenSystem descending(const Vector& ascending_values, const Matrix& ascending_vectors) {
  EigenSystem system;
  system.values = ascending_values.reverse();
  system.vectors = ascending_vectors.rowwise().reverse();
  return system;
}

constexpr const char* kNoLapack =
    "the dsyevd eigensolver needs LAPACK, which this build of lindiff lacks (configured with "
    "LINDIFF_WITH_LAPACK=OFF, as the lean GPU build is): use solver eigen or auto";

#if LINDIFF_WITH_LAPACK
EigenSystem lapack_dsyevd(const Matrix& symmetric) {
  const lapack_int d = static_cast<lapack_int>(symmetric.rows());
  Matrix vectors = symmetric;  // dsyevd overwrites its input with the eigenvectors
  Vector values(d);
  lapack_int info =
      LAPACKE_dsyevd(LAPACK_COL_MAJOR, 'V', 'L', d, vectors.data(), d, values.data());
  if (info != 0) {
    throw NumericError("LAPACK dsyevd failed (info = " + std::to_string(info) + ") on a " +
                       std::to_string(d) + " x " + std::to_string(d) +
                       " matrix; does it contain NaN or inf?");
  }
  return descending(values, vectors);
}
#else
EigenSystem lapack_dsyevd(const Matrix&) { throw std::invalid_argument(kNoLapack); }
#endif

EigenSystem eigen_solver(const Matrix& symmetric) {
  Eigen::SelfAdjointEigenSolver<Matrix> solver(symmetric);
  if (solver.info() != Eigen::Success) {
    throw NumericError("Eigen::SelfAdjointEigenSolver did not converge on a " +
                       std::to_string(symmetric.rows()) + " x " +
                       std::to_string(symmetric.rows()) + " matrix");
  }
  return descending(solver.eigenvalues(), solver.eigenvectors());
}

}  // namespace

#if LINDIFF_WITH_LAPACK
bool lapack_available() { return true; }
#else
bool lapack_available() { return false; }
#endif

EigenSolver default_eigen_solver() {
  return lapack_available() ? EigenSolver::kLapackDivideAndConquer : EigenSolver::kEigen;
}

EigenSolver parse_eigen_solver(const std::string& name) {
  if (name == "auto") return default_eigen_solver();
  const std::optional<EigenSolver> solver = parse_enum<EigenSolver>(name);
  if (!solver) throw std::invalid_argument("unknown eigen solver '" + name + "' (valid: auto, " + enum_choices<EigenSolver>() + ")");
  if (*solver == EigenSolver::kLapackDivideAndConquer && !lapack_available()) throw std::invalid_argument(kNoLapack);
  return *solver;
}

EigenSystem symmetric_eigen(const Matrix& symmetric, EigenSolver solver) {
  check_shape(symmetric, symmetric.rows(), symmetric.rows(), "symmetric_eigen", "the matrix");
  if (symmetric.rows() == 0) return EigenSystem{};
  if (!symmetric.allFinite()) {
    throw NumericError("cannot eigendecompose a " + std::to_string(symmetric.rows()) + " x " +
                       std::to_string(symmetric.rows()) + " matrix that contains NaN or inf");
  }
  return solver == EigenSolver::kEigen ? eigen_solver(symmetric) : lapack_dsyevd(symmetric);
}

EigenSystem gram_eigen(const Matrix& centered, EigenSolver solver) {
  const Index n = centered.rows();
  const Index d = centered.cols();
  if (n == 0) throw std::invalid_argument("gram_eigen: no samples (N = 0)");
  Matrix gram = Matrix::Zero(n, n);
  gram.selfadjointView<Eigen::Lower>().rankUpdate(centered, 1.0 / static_cast<double>(n));
  gram.triangularView<Eigen::StrictlyUpper>() = gram.transpose();
  EigenSystem small = symmetric_eigen(gram, solver);

  const double threshold = kEigenvalueFloor * std::max(small.values(0), 0.0);
  Index kept = 0;
  while (kept < std::min(n, d) && small.values(kept) > threshold) ++kept;

  EigenSystem system;
  system.values = Vector::Zero(d);
  system.values.head(kept) = small.values.head(kept);
  // v = X^T u / sqrt(N lambda): unit norm because u^T X X^T u = N lambda.
  Vector scale = (small.values.head(kept) * static_cast<double>(n)).cwiseSqrt().cwiseInverse();
  system.vectors = centered.transpose() * small.vectors.leftCols(kept);
  system.vectors *= scale.asDiagonal();
  return system;
}

}  // namespace lindiff
