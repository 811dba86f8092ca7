#include "src/denoisers/per_timestep_denoiser.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <vector>

#include <torch/torch.h>

namespace lindiff {
namespace {

using ::testing::HasSubstr;
using ::testing::ThrowsMessage;

// Parts that scale x by their setting, recording the setting of each part built.
struct ScalingParts {
  Schedule schedule = Schedule::linear(4);
  std::vector<double> built;
  DenoiserForSetting make() {
    return [this](double setting) {
      built.push_back(setting);
      return std::make_shared<FunctionDenoiser>(schedule, Objective::kData, torch::kCPU,
                                                [setting](const at::Tensor& x, const at::Tensor&) { return x * setting; });
    };
  }
};

TEST(PerTimestepDenoiser, EachRowIsPredictedByThePartOfItsTimestep) {
  ScalingParts parts;
  const auto denoiser = per_timestep_denoiser(parts.schedule, torch::kCPU, {1, 2, 2, 3}, parts.make());
  const at::Tensor x = torch::arange(1, 11, torch::kDouble).view({5, 2});
  const at::Tensor t = torch::tensor({4, 1, 2, 3, 2}, torch::kLong);
  const at::Tensor expected = x * torch::tensor({3.0, 1.0, 2.0, 2.0, 2.0}, torch::kDouble).unsqueeze(1);
  EXPECT_TRUE(torch::equal(denoiser->predict(x, t, Objective::kData), expected));
  EXPECT_EQ(parts.built, (std::vector<double>{3, 1, 2}));  // one part per setting in the batch, in the order of first appearance
}

// A sampler asks for one t at a time: the part is kept while the setting holds and rebuilt when it changes.
TEST(PerTimestepDenoiser, APartIsKeptWhileTheSettingHolds) {
  ScalingParts parts;
  const auto denoiser = per_timestep_denoiser(parts.schedule, torch::kCPU, {1, 2, 2, 3}, parts.make());
  const at::Tensor x = torch::ones({3, 2}, torch::kDouble);
  for (const std::int64_t step : {4, 3, 2, 1}) denoiser->predict(x, torch::full({3}, step, torch::kLong), Objective::kData);
  EXPECT_EQ(parts.built, (std::vector<double>{3, 2, 1}));  // t = 3 and 2 share the setting 2
}

TEST(PerTimestepDenoiser, RefusesSettingsOfAnotherLengthNaNAndNoFactory) {
  ScalingParts parts;
  EXPECT_THAT([&] { per_timestep_denoiser(parts.schedule, torch::kCPU, {1, 2}, parts.make()); },
              ThrowsMessage<std::invalid_argument>(HasSubstr("2 settings for 4 timesteps")));
  EXPECT_THAT([&] { per_timestep_denoiser(parts.schedule, torch::kCPU, {1, 2, std::nan(""), 4}, parts.make()); },
              ThrowsMessage<std::invalid_argument>(HasSubstr("finite")));
  EXPECT_THAT([&] { per_timestep_denoiser(parts.schedule, torch::kCPU, {1, 2, 3, 4}, nullptr); },
              ThrowsMessage<std::invalid_argument>(HasSubstr("no factory")));
}

TEST(PerTimestepDenoiser, ATimestepOutsideTheChainIsRefused) {
  ScalingParts parts;
  const auto denoiser = per_timestep_denoiser(parts.schedule, torch::kCPU, {1, 2, 2, 3}, parts.make());
  EXPECT_THAT([&] { denoiser->predict(torch::ones({1, 2}), torch::full({1}, 5, torch::kLong), Objective::kData); },
              ThrowsMessage<std::invalid_argument>(HasSubstr("timestep 5 outside 1..4")));
  EXPECT_TRUE(parts.built.empty());
}

}  // namespace
}  // namespace lindiff
