#include "src/training/training_loop.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <torch/torch.h>

#include "datasets/registry.h"
#include "models/linear_denoiser.h"
#include "src/common/error.h"
#include "src/diffusion/forward_process.h"
#include "tests/support/synthetic_data.h"

namespace lindiff {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::ThrowsMessage;

TEST(TrainingLoop, DivergenceNamesStepTimestepsAndModel) {
  const Schedule schedule = Schedule::linear(5);
  const Dataset data = testing::synthetic_d8(16);
  LinearDenoiser model(LinearDenoiserOptions{8, Objective::kNoise, LinearInit::kZero, true, 0}, schedule_tensors(schedule).sqrt_abar);
  TrainOptions options;
  options.learning_rate = 1e6;
  options.steps = 50;
  options.batch_size = 16;
  options.model_name = "linear N=16";
  const torch::Tensor rows = torch::from_blob(const_cast<float*>(data.pool.data()), {16, 8}, torch::kFloat);
  TrainingTarget target{[&](const at::Tensor& x, const at::Tensor& t) { return model->forward(x, t); }, nullptr,
                        model->parameters(), nullptr};
  EXPECT_THAT([&] { train(target, rows, schedule, options, [](std::int64_t) {}); },
              ThrowsMessage<NumericError>(AllOf(HasSubstr("linear N=16"), HasSubstr("step"), HasSubstr("timesteps"))));
}

TEST(TrainingLoop, SameSeedSameWeights) {
  const Schedule schedule = Schedule::linear(5);
  const Dataset data = testing::synthetic_d8(32);
  const torch::Tensor rows = torch::from_blob(const_cast<float*>(data.pool.data()), {32, 8}, torch::kFloat);
  std::vector<torch::Tensor> results;
  for (int run = 0; run < 2; ++run) {
    LinearDenoiser model(LinearDenoiserOptions{8, Objective::kNoise, LinearInit::kNormal, true, 1}, schedule_tensors(schedule).sqrt_abar);
    TrainOptions options;
    options.optimizer = Optimizer::kAdam;
    options.learning_rate = 1e-2;
    options.steps = 20;
    options.batch_size = 8;
    TrainingTarget target{[&](const at::Tensor& x, const at::Tensor& t) { return model->forward(x, t); },
                          [&](const at::Tensor& t) { return model->penalty(t, 0.1); }, model->parameters(), nullptr};
    train(target, rows, schedule, options, [](std::int64_t) {});
    results.push_back(model->stacked_weights());
  }
  EXPECT_TRUE(torch::equal(results[0], results[1]));
}

}  // namespace
}  // namespace lindiff
