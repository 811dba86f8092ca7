// Owns the one place where LibTorch tensors and Eigen matrices meet: zero-copy views of
// contiguous double CPU tensors and copies of Eigen data into tensors.
#pragma once

#include <filesystem>

#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>

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

// A copy of data rows [N, d] as a float tensor on `device`.
at::Tensor rows_to_tensor(const Eigen::Ref<const DataMatrix>& rows, c10::Device device);

// A copy of a 2-D tensor (any device and floating type) as float data rows.
DataMatrix to_data_matrix(const at::Tensor& rows);

// Writes `tensor` (moved to the CPU) as a torch::load-able file through write_file_atomically:
// LibTorch's own file writer aborts the process on a full disk, this throws ResourceError
// (exit 6) naming the file. O(bytes).
void save_tensor(const at::Tensor& tensor, const std::filesystem::path& path);

// Writes `tensor` (moved to the CPU, made contiguous; float32, float64, int64 or uint8; other
// floating types as float32) as NumPy's .npy (src/common/npy.h), readable with np.load.
void save_npy(const at::Tensor& tensor, const std::filesystem::path& path);

// The array of an .npy file as a CPU tensor of its own type; throws DataError naming the file.
at::Tensor load_npy(const std::filesystem::path& path);

}  // namespace lindiff
