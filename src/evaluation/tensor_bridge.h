// Owns the one place where LibTorch tensors and Eigen matrices meet: zero-copy views of
// contiguous double CPU tensors and copies of Eigen data into tensors.
#pragma once

#include <ATen/core/Tensor.h>

#include "src/common/matrix.h"

namespace lindiff {

// A zero-copy row-major view of a 2-D contiguous double CPU tensor; throws
// std::invalid_argument naming what is wrong (dtype, device, rank, layout).
Eigen::Map<const RowMatrix> as_eigen_matrix(const at::Tensor& tensor);

// A zero-copy view of a 1-D contiguous double CPU tensor; throws like as_eigen_matrix.
Eigen::Map<const Vector> as_eigen_vector(const at::Tensor& tensor);

// A new CPU tensor [rows, cols] with the values of `matrix`, of type `type`.
at::Tensor to_tensor(const Matrix& matrix, at::ScalarType type = at::kFloat);

// A new CPU tensor [size] with the values of `vector`, of type `type`.
at::Tensor to_tensor(const Vector& vector, at::ScalarType type = at::kFloat);

}  // namespace lindiff
