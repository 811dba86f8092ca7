#include "models/grouped_product.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <torch/torch.h>

#include "models/linear_denoiser.h"
#include "tests/support/random_tensors.h"

namespace lindiff {
namespace {

// Groups of 1, 3, 17 and 40 rows: both the coefficient-wise (<= 16 rows) and the GEMM kernels.
const std::vector<std::int64_t> kOffsets{0, 1, 4, 21, 61};
constexpr std::int64_t kDim = 6;

std::vector<torch::Tensor> random_weights(std::uint64_t seed) {
  std::vector<torch::Tensor> weights;
  for (std::size_t g = 0; g + 1 < kOffsets.size(); ++g) {
    weights.push_back(testing::random_rows(kDim, kDim, seed + g).requires_grad_());
  }
  return weights;
}

// The reference: one torch::mm per group, differentiated by LibTorch's own autograd.
torch::Tensor reference_product(const torch::Tensor& rows, const std::vector<torch::Tensor>& weights) {
  std::vector<torch::Tensor> parts;
  for (std::size_t g = 0; g < weights.size(); ++g) {
    parts.push_back(torch::mm(rows.slice(0, kOffsets[g], kOffsets[g + 1]), weights[g].t()));
  }
  return torch::cat(parts);
}

torch::Tensor group_of_row() {
  std::vector<std::int64_t> groups;
  for (std::size_t g = 0; g + 1 < kOffsets.size(); ++g) groups.insert(groups.end(), kOffsets[g + 1] - kOffsets[g], g);
  return torch::tensor(groups, torch::kLong);
}

// Values, and gradients of a fixed scalar function of the output with respect to the rows and
// every weight, from `product`; float arithmetic, so relative 1e-5.
struct Result {
  torch::Tensor out, grad_rows;
  std::vector<torch::Tensor> grad_weights;
};

template <typename Product>
Result differentiate(const Product& product) {
  const torch::Tensor rows = testing::random_rows(kOffsets.back(), kDim, 7).requires_grad_();
  const std::vector<torch::Tensor> weights = random_weights(11);
  const torch::Tensor out = product(rows, weights);
  const torch::Tensor probe = testing::random_rows(kOffsets.back(), kDim, 13);
  (out * probe).sum().backward();
  Result result{out.detach(), rows.grad(), {}};
  for (const auto& w : weights) result.grad_weights.push_back(w.grad());
  return result;
}

void expect_same(const Result& a, const Result& b) {
  EXPECT_TRUE(torch::allclose(a.out, b.out, 1e-5, 1e-5));
  EXPECT_TRUE(torch::allclose(a.grad_rows, b.grad_rows, 1e-5, 1e-5));
  ASSERT_EQ(a.grad_weights.size(), b.grad_weights.size());
  for (std::size_t g = 0; g < a.grad_weights.size(); ++g) {
    EXPECT_TRUE(torch::allclose(a.grad_weights[g], b.grad_weights[g], 1e-5, 1e-5)) << "group " << g;
  }
}

TEST(GroupedProduct, ValuesAndGradientsMatchOneProductPerGroup) {
  const Result reference = differentiate(reference_product);
  expect_same(differentiate([](const torch::Tensor& r, const std::vector<torch::Tensor>& w) {
                return grouped_product(r, kOffsets, w);
              }),
              reference);
}

TEST(PaddedProduct, ValuesAndGradientsMatchOneProductPerGroup) {
  const Result reference = differentiate(reference_product);
  expect_same(differentiate([](const torch::Tensor& r, const std::vector<torch::Tensor>& w) {
                return padded_product(r, kOffsets, group_of_row(), w);
              }),
              reference);
}

TEST(GroupedProduct, RejectsOffsetsThatDoNotCoverTheRows) {
  const torch::Tensor rows = torch::zeros({5, kDim});
  const std::vector<torch::Tensor> weights{torch::zeros({kDim, kDim}), torch::zeros({kDim, kDim})};
  EXPECT_THAT([&] { grouped_product(rows, {0, 2, 4}, weights); },
              ::testing::ThrowsMessage<std::invalid_argument>(::testing::HasSubstr("offsets must run from 0 to B")));
  EXPECT_THAT([&] { grouped_product(rows, {0, 2, 5}, {torch::zeros({kDim, kDim + 1}), weights[1]}); },
              ::testing::ThrowsMessage<std::invalid_argument>(::testing::HasSubstr("contiguous [d, d]")));
}

}  // namespace
}  // namespace lindiff
