#include "src/tensors/tensor_bridge.h"

#include <cstring>
#include <sstream>
#include <utility>
#include <vector>
#include <stdexcept>

#include <torch/torch.h>

#include "src/common/atomic_file.h"
#include "src/common/npy.h"


namespace lindiff {

namespace {

void check_double_cpu(const at::Tensor& tensor, int64_t rank) {
  if (tensor.scalar_type() != at::kDouble) throw std::invalid_argument("tensor bridge: expected a double tensor");
  if (!tensor.device().is_cpu()) throw std::invalid_argument("tensor bridge: expected a CPU tensor");
  if (tensor.dim() != rank) {
    throw std::invalid_argument("tensor bridge: expected " + std::to_string(rank) + " dimensions, got " +
                                std::to_string(tensor.dim()));
  }
  if (!tensor.is_contiguous()) throw std::invalid_argument("tensor bridge: expected a contiguous tensor");
}

}  // namespace

Eigen::Map<const RowMatrix> as_eigen_matrix(const at::Tensor& tensor) {
  check_double_cpu(tensor, 2);
  return Eigen::Map<const RowMatrix>(tensor.data_ptr<double>(), tensor.size(0), tensor.size(1));
}

Eigen::Map<const Vector> as_eigen_vector(const at::Tensor& tensor) {
  check_double_cpu(tensor, 1);
  return Eigen::Map<const Vector>(tensor.data_ptr<double>(), tensor.size(0));
}

at::Tensor to_tensor(const Matrix& matrix, at::ScalarType type) {
  const RowMatrix rows = matrix;  // tensors are row-major
  return torch::from_blob(const_cast<double*>(rows.data()), {matrix.rows(), matrix.cols()}, torch::kDouble)
      .to(type)
      .clone();
}

at::Tensor to_tensor(const Vector& vector, at::ScalarType type) {
  return torch::from_blob(const_cast<double*>(vector.data()), {vector.size()}, torch::kDouble).to(type).clone();
}

at::Tensor rows_to_tensor(const Eigen::Ref<const DataMatrix>& rows, c10::Device device) {
  return torch::from_blob(const_cast<float*>(rows.data()), {rows.rows(), rows.cols()}, {rows.outerStride(), 1},
                          torch::kFloat)
      .clone(at::MemoryFormat::Contiguous)
      .to(device);
}

DataMatrix to_data_matrix(const at::Tensor& rows) {
  const torch::Tensor cpu = rows.detach().to(torch::kCPU, torch::kFloat).contiguous();
  return Eigen::Map<const DataMatrix>(cpu.data_ptr<float>(), cpu.size(0), cpu.size(1));
}

void save_tensor(const at::Tensor& tensor, const std::filesystem::path& path) {
  std::ostringstream bytes;
  torch::save(tensor.cpu(), bytes);
  write_file_atomically(path, bytes.str());
}

namespace {

// The .npy type of a tensor of `type` and the tensor type it is written as.
std::pair<NpyType, at::ScalarType> npy_type_of(at::ScalarType type) {
  switch (type) {
    case at::kDouble: return {NpyType::kFloat64, at::kDouble};
    case at::kLong: return {NpyType::kInt64, at::kLong};
    case at::kByte: return {NpyType::kUInt8, at::kByte};
    default:
      if (at::isFloatingType(type)) return {NpyType::kFloat32, at::kFloat};
      throw std::invalid_argument(std::string("save_npy: no .npy type for ") + c10::toString(type));
  }
}

at::ScalarType tensor_type_of(NpyType type) {
  switch (type) {
    case NpyType::kFloat32: return at::kFloat;
    case NpyType::kFloat64: return at::kDouble;
    case NpyType::kInt64: return at::kLong;
    case NpyType::kUInt8: return at::kByte;
  }
  throw std::logic_error("tensor_type_of: unknown type");
}

}  // namespace

void save_npy(const at::Tensor& tensor, const std::filesystem::path& path) {
  const auto [npy, type] = npy_type_of(tensor.scalar_type());
  const at::Tensor data = tensor.detach().to(at::kCPU, type).contiguous();
  write_npy(path, npy, std::vector<std::int64_t>(data.sizes().begin(), data.sizes().end()), data.data_ptr());
}

at::Tensor load_npy(const std::filesystem::path& path) {
  const NpyArray array = read_npy(path);
  at::Tensor tensor = torch::empty(array.shape, torch::TensorOptions().dtype(tensor_type_of(array.type)));
  std::memcpy(tensor.data_ptr(), array.bytes.data(), array.bytes.size());
  return tensor;
}

}  // namespace lindiff
