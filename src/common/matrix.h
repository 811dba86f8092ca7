// Owns the Eigen matrix types shared by datasets, theory and evaluation.
#pragma once

#include <Eigen/Dense>

namespace lindiff {

// Data rows (N x d), float, row-major so a row is one contiguous image and the
// whole block maps onto an N x d torch tensor without a copy.
using DataMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
// Double-precision matrix used for all statistics and theory.
using Matrix = Eigen::MatrixXd;
// Double-precision row-major matrix: per-timestep tables (T x G) whose row t is contiguous,
// so that per-t updates over all mode groups vectorise.
using RowMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
// Double-precision column vector.
using Vector = Eigen::VectorXd;
// Index type of the matrices above.
using Index = Eigen::Index;

}  // namespace lindiff
