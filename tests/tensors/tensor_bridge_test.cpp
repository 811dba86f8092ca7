#include "src/tensors/tensor_bridge.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include <torch/torch.h>

namespace lindiff {
namespace {

TEST(TensorBridge, RoundTripsAndRejectsWrongTensors) {
  Matrix m(2, 3);
  m << 1, 2, 3, 4, 5, 6;
  const torch::Tensor t = to_tensor(m, torch::kDouble);
  EXPECT_EQ(t[1][0].item<double>(), 4.0);
  EXPECT_TRUE(Matrix(as_eigen_matrix(t)) == m);
  EXPECT_THROW(as_eigen_matrix(t.to(torch::kFloat)), std::invalid_argument);
  EXPECT_THROW(as_eigen_matrix(t.t()), std::invalid_argument);  // not contiguous
  EXPECT_THROW(as_eigen_vector(t), std::invalid_argument);
}

}  // namespace
}  // namespace lindiff
