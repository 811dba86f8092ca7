#include "src/tensors/tensor_bridge.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include <torch/torch.h>

#include "tests/support/temp_dir.h"

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

// .npy keeps each tensor's values and type; strided, bfloat16 and GPU-less inputs are handled.
TEST(TensorBridge, NpyRoundTripsEveryWrittenType) {
  testing::TempDir dir;
  torch::manual_seed(1);
  for (const at::Tensor& t : {torch::randn({3, 4}, torch::kDouble), torch::randn({2, 1, 3, 3}),
                              torch::randint(-5, 5, {7}, torch::kLong), torch::randint(0, 255, {2, 2}, torch::kByte)}) {
    save_npy(t, dir / "t.npy");
    const at::Tensor back = load_npy(dir / "t.npy");
    EXPECT_EQ(back.scalar_type(), t.scalar_type());
    EXPECT_TRUE(torch::equal(back, t));
  }
  const at::Tensor strided = torch::arange(12, torch::kFloat).reshape({3, 4}).t();
  save_npy(strided, dir / "s.npy");
  EXPECT_TRUE(torch::equal(load_npy(dir / "s.npy"), strided.contiguous()));
  save_npy(torch::tensor({1.5, 2.5}).to(torch::kBFloat16), dir / "b.npy");
  EXPECT_EQ(load_npy(dir / "b.npy").scalar_type(), torch::kFloat);
  EXPECT_THROW(save_npy(torch::zeros({2}, torch::kBool), dir / "bool.npy"), std::invalid_argument);
}

}  // namespace
}  // namespace lindiff
