#include "models/group_norm_silu.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <torch/torch.h>

namespace lindiff {
namespace {

using ::testing::HasSubstr;

// 3 images, 12 channels in 4 groups, 5 x 7 planes (35 values: a whole 16-lane block and a tail),
// shifted away from 0 so that the mean matters; gamma and beta away from 1 and 0.
struct NormInputs {
  torch::Tensor x = torch::randn({3, 12, 5, 7}, torch::dtype(torch::kDouble)) * 1.7 + 0.6;
  torch::Tensor gamma = torch::rand({12}, torch::dtype(torch::kDouble)) + 0.5;
  torch::Tensor beta = torch::randn({12}, torch::dtype(torch::kDouble)) * 0.3;
  torch::Tensor upstream = torch::randn({3, 12, 5, 7}, torch::dtype(torch::kDouble));
};
constexpr std::int64_t kGroups = 4;
constexpr double kEps = 1e-5;

struct NormResult {
  torch::Tensor y, dx, dgamma, dbeta;
};

// The reference: LibTorch's group_norm then silu in double, differentiated by its autograd.
NormResult reference(const NormInputs& in) {
  torch::Tensor x = in.x.clone().requires_grad_(), gamma = in.gamma.clone().requires_grad_(),
                beta = in.beta.clone().requires_grad_();
  torch::Tensor y = torch::silu(torch::group_norm(x, kGroups, gamma, beta, kEps));
  (y * in.upstream).sum().backward();
  return {y.detach(), x.grad(), gamma.grad(), beta.grad()};
}

// The kernel with x (and the upstream gradient) in `in_type` laid out as `format`, y in
// `out_type`, read back in double.
NormResult fused(const NormInputs& in, torch::ScalarType in_type, torch::ScalarType out_type,
                 at::MemoryFormat format = at::MemoryFormat::Contiguous) {
  torch::Tensor x = in.x.to(in_type).contiguous(format).requires_grad_(),
                gamma = in.gamma.to(torch::kFloat).requires_grad_(), beta = in.beta.to(torch::kFloat).requires_grad_();
  torch::Tensor y = group_norm_silu(x, gamma, beta, kGroups, kEps, out_type);
  EXPECT_EQ(y.scalar_type(), out_type);
  EXPECT_TRUE(y.is_contiguous(format));
  y.backward(in.upstream.to(out_type).contiguous(format));
  EXPECT_EQ(x.grad().scalar_type(), in_type);
  EXPECT_TRUE(x.grad().is_contiguous(format));
  return {y.detach().to(torch::kDouble), x.grad().to(torch::kDouble), gamma.grad().to(torch::kDouble),
          beta.grad().to(torch::kDouble)};
}

double largest_relative_error(const torch::Tensor& a, const torch::Tensor& b) {
  return (a - b).abs().max().item<double>() / b.abs().max().item<double>();
}

TEST(GroupNormSilu, FloatValuesAndGradientsMatchGroupNormThenSiluInDouble) {
  torch::manual_seed(3);
  const NormInputs in;
  const NormResult want = reference(in), got = fused(in, torch::kFloat, torch::kFloat);
  // Float rounding over sums of 105 values, and the polynomial exponential (2 ulp).
  EXPECT_LT(largest_relative_error(got.y, want.y), 2e-6);
  EXPECT_LT(largest_relative_error(got.dx, want.dx), 1e-5);
  EXPECT_LT(largest_relative_error(got.dgamma, want.dgamma), 1e-5);
  EXPECT_LT(largest_relative_error(got.dbeta, want.dbeta), 1e-5);
}

TEST(GroupNormSilu, BFloat16InputsAndOutputsStayWithinTheirRounding) {
  torch::manual_seed(4);
  const NormInputs in;
  const NormResult want = reference(in);
  for (const auto& [in_type, out_type] : {std::pair{torch::kBFloat16, torch::kBFloat16}, std::pair{torch::kFloat, torch::kBFloat16},
                                           std::pair{torch::kBFloat16, torch::kFloat}}) {
    const NormResult got = fused(in, in_type, out_type);
    // bfloat16 keeps 8 significant bits (relative rounding 2^-9 = 0.002 per value): x, y and
    // dy are rounded once each, and dx sums terms that cancel, so a few roundings' worth.
    EXPECT_LT(largest_relative_error(got.y, want.y), 0.01);
    EXPECT_LT(largest_relative_error(got.dx, want.dx), 0.03);
    EXPECT_LT(largest_relative_error(got.dgamma, want.dgamma), 0.02);
    EXPECT_LT(largest_relative_error(got.dbeta, want.dbeta), 0.02);
  }
}

// Channels-last inputs (the U-Net's bfloat16 layout) take their own per-image kernels: the same
// values as the reference to the same bounds, the layout kept for y and dx.
TEST(GroupNormSilu, ChannelsLastInputsMatchTheReferenceAndKeepTheirLayout) {
  torch::manual_seed(6);
  const NormInputs in;
  const NormResult want = reference(in), got = fused(in, torch::kFloat, torch::kFloat, at::MemoryFormat::ChannelsLast);
  EXPECT_LT(largest_relative_error(got.y, want.y), 2e-6);
  EXPECT_LT(largest_relative_error(got.dx, want.dx), 1e-5);
  EXPECT_LT(largest_relative_error(got.dgamma, want.dgamma), 1e-5);
  EXPECT_LT(largest_relative_error(got.dbeta, want.dbeta), 1e-5);
  const NormResult rounded = fused(in, torch::kBFloat16, torch::kBFloat16, at::MemoryFormat::ChannelsLast);
  EXPECT_LT(largest_relative_error(rounded.y, want.y), 0.01);  // the bounds of the test above
  EXPECT_LT(largest_relative_error(rounded.dx, want.dx), 0.03);
  EXPECT_LT(largest_relative_error(rounded.dgamma, want.dgamma), 0.02);
}

// More rows than one float block of the channels-last sums (64): 3 images of 9 x 11 positions.
TEST(GroupNormSilu, ChannelsLastSumsOverSeveralBlocksMatchTheReference) {
  torch::manual_seed(7);
  NormInputs in;
  in.x = torch::randn({3, 12, 9, 11}, torch::dtype(torch::kDouble)) * 1.7 + 0.6;
  in.upstream = torch::randn({3, 12, 9, 11}, torch::dtype(torch::kDouble));
  const NormResult want = reference(in), got = fused(in, torch::kFloat, torch::kFloat, at::MemoryFormat::ChannelsLast);
  EXPECT_LT(largest_relative_error(got.y, want.y), 2e-6);
  EXPECT_LT(largest_relative_error(got.dx, want.dx), 1e-5);
  EXPECT_LT(largest_relative_error(got.dgamma, want.dgamma), 1e-5);
}

// Large enough to be split over threads (more than LibTorch's grain of 32768 values per task).
TEST(GroupNormSilu, ResultsDoNotDependOnTheThreadCount) {
  torch::manual_seed(5);
  NormInputs in;
  in.x = torch::randn({8, 12, 64, 64}, torch::dtype(torch::kDouble));
  in.upstream = torch::randn({8, 12, 64, 64}, torch::dtype(torch::kDouble));
  const int threads = at::get_num_threads();
  at::set_num_threads(1);
  const NormResult one = fused(in, torch::kFloat, torch::kFloat);
  at::set_num_threads(3);
  const NormResult three = fused(in, torch::kFloat, torch::kFloat);
  at::set_num_threads(threads);
  EXPECT_TRUE(torch::equal(one.y, three.y));
  EXPECT_TRUE(torch::equal(one.dx, three.dx));
  EXPECT_TRUE(torch::equal(one.dgamma, three.dgamma));
  at::set_num_threads(1);
  const NormResult one_last = fused(in, torch::kFloat, torch::kFloat, at::MemoryFormat::ChannelsLast);
  at::set_num_threads(3);
  const NormResult three_last = fused(in, torch::kFloat, torch::kFloat, at::MemoryFormat::ChannelsLast);
  at::set_num_threads(threads);
  EXPECT_TRUE(torch::equal(one_last.y, three_last.y));
  EXPECT_TRUE(torch::equal(one_last.dx, three_last.dx));
  EXPECT_TRUE(torch::equal(one_last.dgamma, three_last.dgamma));
}

TEST(GroupNormSilu, LargeInputsSaturateInsteadOfOverflowing) {
  // z = +-200 lies outside the exponential's range: silu(z) is z or 0, its gradient 1 or 0.
  torch::Tensor x = torch::tensor({-1.0f, 1.0f}).view({1, 2, 1, 1}).repeat({1, 1, 1, 4}).requires_grad_();
  const torch::Tensor gamma = torch::full({2}, 200.0f), beta = torch::zeros({2});
  const torch::Tensor y = group_norm_silu(x, gamma, beta, 1, 0.0, torch::kFloat);
  EXPECT_TRUE(torch::isfinite(y).all().item<bool>());
  EXPECT_NEAR(y[0][0][0][0].item<float>(), 0.0f, 1e-30f);
  EXPECT_NEAR(y[0][1][0][0].item<float>(), 200.0f, 1e-3f);
}

TEST(GroupNormSilu, BadArgumentsAreRefusedByName) {
  const torch::Tensor x = torch::randn({2, 6, 3, 3}), gamma = torch::ones({6}), beta = torch::zeros({6});
  EXPECT_THAT([&] { group_norm_silu(x, gamma, beta, 4, kEps, torch::kFloat); },
              ::testing::ThrowsMessage<std::invalid_argument>(HasSubstr("groups 4 must divide the 6 channels")));
  EXPECT_THAT([&] { group_norm_silu(x.view({2, 6, 9}), gamma, beta, 2, kEps, torch::kFloat); },
              ::testing::ThrowsMessage<std::invalid_argument>(HasSubstr("[B, C, H, W]")));
  EXPECT_THAT([&] { group_norm_silu(x.to(torch::kDouble), gamma, beta, 2, kEps, torch::kFloat); },
              ::testing::ThrowsMessage<std::invalid_argument>(HasSubstr("float or bfloat16")));
  EXPECT_THAT([&] { group_norm_silu(x, torch::ones({5}), beta, 2, kEps, torch::kFloat); },
              ::testing::ThrowsMessage<std::invalid_argument>(HasSubstr("gamma and beta")));
  EXPECT_THAT([&] { group_norm_silu(x, gamma, beta, 2, kEps, torch::kHalf); },
              ::testing::ThrowsMessage<std::invalid_argument>(HasSubstr("output type")));
}

}  // namespace
}  // namespace lindiff
