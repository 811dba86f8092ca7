#include "models/unet.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <stdexcept>

#include <torch/torch.h>

#include "src/diffusion/forward_process.h"
#include "src/training/training_loop.h"

namespace lindiff {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::ThrowsMessage;

TEST(UNet, FlattenedImagesInAndOutForTwoLevelsAt28) {
  UNet model(UNetOptions{1, 28, 28, 16, 2, 8, 32});
  const torch::Tensor x = torch::randn({3, 784});
  const torch::Tensor out = model->forward(x, torch::tensor({1, 500, 1000}, torch::kLong));
  EXPECT_EQ(out.sizes(), (std::vector<std::int64_t>{3, 784}));
  EXPECT_TRUE(torch::isfinite(out).all().item<bool>());
  UNet colour(UNetOptions{3, 8, 8, 8, 3, 4, 16});
  EXPECT_EQ(colour->forward(torch::randn({2, 192}), torch::tensor({3, 4}, torch::kLong)).size(1), 192);
}

// The fused normalisation and the float path of LibTorch's own operators give one function.
TEST(UNet, FusedNormalisationEqualsGroupNormThenSilu) {
  torch::manual_seed(11);
  UNet model(UNetOptions{1, 8, 8, 8, 1, 4, 16});
  const torch::Tensor x = torch::randn({4, 64}), t = torch::tensor({1, 10, 100, 1000}, torch::kLong);
  const torch::Tensor fused = model->forward(x, t);
  // The same block by hand with LibTorch's operators: GroupNorm, SiLU, convolution.
  ResidualBlockImpl& block = *model->middle;
  const torch::Tensor h = torch::randn({2, 16, 4, 4}), embedding = torch::randn({2, 32});
  const torch::Tensor by_hand =
      block.conv2(torch::silu(block.norm2(block.conv1(torch::silu(block.norm1(h))) +
                                          block.time(embedding).unsqueeze(-1).unsqueeze(-1)))) + h;
  EXPECT_TRUE(torch::allclose(block.forward(h, embedding), by_hand, 1e-5, 1e-5));
  EXPECT_TRUE(torch::isfinite(fused).all().item<bool>());
}

// bfloat16 convolutions (a model option; parameters and gradients stay float) give the float
// model's output to bfloat16's rounding, and train.
TEST(UNet, BFloat16ConvolutionsFollowTheFloatModel) {
  torch::manual_seed(12);
  UNetOptions options{1, 8, 8, 8, 1, 4, 16};
  UNet reference(options);
  options.compute_type = torch::kBFloat16;
  UNet reduced(options);
  torch::NoGradGuard no_grad;
  for (std::size_t i = 0; i < reference->parameters().size(); ++i) reduced->parameters()[i].copy_(reference->parameters()[i]);
  const torch::Tensor x = torch::randn({4, 64}), t = torch::tensor({1, 10, 100, 1000}, torch::kLong);
  const torch::Tensor want = reference->forward(x, t), got = reduced->forward(x, t);
  EXPECT_EQ(got.scalar_type(), torch::kFloat);
  // 8 significant bits per rounding, a few roundings deep: within 5% of the output's scale.
  EXPECT_LT((got - want).abs().max().item<double>(), 0.05 * want.abs().max().item<double>());
  EXPECT_GT((got - want).abs().max().item<double>(), 0.0);  // the convolutions did run in bfloat16
  torch::GradMode::set_enabled(true);
  reduced->forward(x, t).pow(2).mean().backward();
  for (const torch::Tensor& p : reduced->parameters()) EXPECT_EQ(p.grad().scalar_type(), torch::kFloat);
}

// The formula behind the memory estimate against the modules' own parameters.
TEST(UNet, ParameterCountFormulaMatchesTheBuiltModule) {
  for (const UNetOptions& options : {UNetOptions{1, 28, 28, 32, 2, 8, 64}, UNetOptions{3, 8, 8, 8, 1, 4, 8},
                                     UNetOptions{1, 4, 4, 6, 0, 3, 16}, UNetOptions{2, 16, 16, 5, 3, 1, 2}}) {
    UNet model(options);
    std::int64_t built = 0;
    for (const torch::Tensor& p : model->parameters()) built += p.numel();
    EXPECT_EQ(unet_parameter_count(options), static_cast<double>(built)) << options.base_channels << " " << options.depth;
  }
}

TEST(UNet, DepthThatDoesNotHalveTheImageIsAClearError) {
  EXPECT_THAT([] { UNet model(UNetOptions{1, 28, 28, 16, 3, 8, 32}); },
              ThrowsMessage<std::invalid_argument>(
                  AllOf(HasSubstr("depth 3 does not fit 28x28"), HasSubstr("allows depth <= 2"))));
  EXPECT_THROW(validate_unet_options(UNetOptions{1, 8, 8, 16, 1, 8, 31}), std::invalid_argument);
}

TEST(UNet, TimeEmbeddingDistinguishesTimesteps) {
  const torch::Tensor e = timestep_embedding(torch::tensor({1, 2, 1000}, torch::kLong), 32);
  EXPECT_EQ(e.sizes(), (std::vector<std::int64_t>{3, 32}));
  EXPECT_GT((e[0] - e[1]).abs().max().item<float>(), 0.1f);
  EXPECT_FLOAT_EQ(e[0][16].item<float>(), std::cos(1.0f));  // cos half, lowest frequency 1
}

// The shared loop trains the U-Net too: on 8x8 images of a few fixed patterns the training
// loss falls well below its starting value (1 per dimension for a zero noise prediction).
TEST(UNet, SharedTrainingLoopReducesTheLoss) {
  torch::manual_seed(0);
  UNet model(UNetOptions{1, 8, 8, 16, 2, 8, 32});
  const torch::Tensor data = torch::rand({16, 64}) * 2 - 1;
  const Schedule schedule = Schedule::linear(100, 1e-3, 0.1);
  TrainOptions options;
  options.optimizer = Optimizer::kAdam;
  options.learning_rate = 2e-3;
  options.steps = 150;
  options.batch_size = 64;
  options.checkpoints = {0, 150};
  const ScheduleTensors coefficients = schedule_tensors(schedule);
  auto held_out_loss = [&] {
    torch::NoGradGuard no_grad;
    torch::manual_seed(1);
    const torch::Tensor t = torch::randint(1, 101, {512}, torch::kLong);
    const torch::Tensor x0 = data.index_select(0, torch::randint(16, {512}, torch::kLong));
    const torch::Tensor eps = torch::randn({512, 64});
    return denoising_loss(model->forward(noised(coefficients, x0, eps, t), t), x0, eps, Objective::kNoise).item<double>();
  };
  std::vector<double> losses;
  TrainingTarget target{[&](const at::Tensor& x, const at::Tensor& t) { return model->forward(x, t); }, nullptr,
                        model->parameters(), nullptr};
  train(target, data, schedule, options, [&](std::int64_t) { losses.push_back(held_out_loss()); });
  ASSERT_EQ(losses.size(), 2u);
  EXPECT_LT(losses[1], 0.5 * losses[0]) << "loss " << losses[0] << " -> " << losses[1];
}

}  // namespace
}  // namespace lindiff
