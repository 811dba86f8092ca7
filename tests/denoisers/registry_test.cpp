#include "src/denoisers/registry.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "models/unet.h"
#include "src/common/error.h"
#include "src/theory/diagonal_model.h"

namespace lindiff {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::ThrowsMessage;

// The linear model's automatic rate never exceeds the full-batch GD rate and is half the
// mean-square stability limit of one minibatch step on W_t, B d / (2 (m2 + (r + 1) k)): here
// m2 = 64, k = lambda_max = 5, r = max(3, 2B/T) = 3 rows, or r = B with one t per batch. With
// steps: auto it is also at most the noise limit auto_tolerance B d / mean_t Tr K_t, where
// Tr K_t = abar_t Tr Sigma0 + (1 - abar_t) d is 64 at every t for Tr Sigma0 = d = 64.
TEST(LinearKind, AutomaticRateRespectsTheStabilityAndNoiseLimits) {
  const Schedule schedule = Schedule::linear(1000);
  TrainingSpec training;
  training.linear.batch_size = 512;
  training.linear.steps = StepCount::fixed(1000);
  const DenoiserKind& linear = find_denoiser_kind(kLinearModelName);
  const double rate = linear.automatic_learning_rate(RateInputs{training, schedule, 5.0, 64.0, 0.0, 64});
  EXPECT_LE(rate, default_learning_rate(schedule, 5.0, 0.0, 64));
  EXPECT_NEAR(rate, 512.0 * 64 / (2.0 * (64 + 4 * 5.0)), 1e-9);
  training.linear.steps = StepCount::chosen();
  EXPECT_NEAR(linear.automatic_learning_rate(RateInputs{training, schedule, 5.0, 64.0, 0.0, 64}), 0.005 * 512 * 64 / 64.0, 1e-12);
  training.linear.steps = StepCount::fixed(1000);
  training.linear.one_t_per_batch = true;
  EXPECT_NEAR(linear.automatic_learning_rate(RateInputs{training, schedule, 5.0, 64.0, 0.0, 64}), 512.0 * 64 / (2.0 * (64 + 513 * 5.0)), 1e-12);
}

TEST(Registry, BuiltInKindsAndWhatEachTakes) {
  std::vector<std::string> names;
  for (const DenoiserKind* kind : denoiser_kinds()) names.push_back(kind->name);
  EXPECT_THAT(names, ::testing::IsSupersetOf({"linear", "unet", "bayes", "wiener"}));
  const DenoiserKind& linear = find_denoiser_kind("linear");
  EXPECT_TRUE(linear.trainable());
  EXPECT_TRUE(linear.exact_evaluation);
  EXPECT_EQ(linear.regulariser, RegulariserForm::kExactPenalty);
  const DenoiserKind& unet = find_denoiser_kind("unet");
  EXPECT_TRUE(unet.trainable());
  EXPECT_FALSE(unet.exact_evaluation);
  EXPECT_EQ(unet.regulariser, RegulariserForm::kNoiseAugmentation);
  EXPECT_EQ(unet.display_name, "U-Net");
  EXPECT_FALSE(find_denoiser_kind("bayes").trainable());
  EXPECT_FALSE(find_denoiser_kind("wiener").trainable());
}

// training.unet.precision reaches the built U-Net: bfloat16 convolutions, float32 parameters.
TEST(UNetKind, PrecisionKeySetsTheConvolutionsType) {
  TrainingSpec training;
  training.unet.base_channels = 8;
  training.unet.depth = 1;
  training.unet.groups = 4;
  training.unet.time_dim = 8;
  const Schedule schedule = Schedule::linear(10);
  for (const auto& [precision, type] : {std::pair{Precision::kFloat32, c10::ScalarType::Float},
                                        std::pair{Precision::kBFloat16, c10::ScalarType::BFloat16}}) {
    training.unet.precision = precision;
    const TrainableModel model = find_denoiser_kind("unet").build(
        ModelInputs{training, Objective::kNoise, 0, 0, ImageShape{1, 4, 4}, schedule, torch::zeros({16})});
    const auto* unet = dynamic_cast<const UNetImpl*>(model.module.get());
    ASSERT_NE(unet, nullptr);
    EXPECT_EQ(unet->options.compute_type, type);
    for (const at::Tensor& p : unet->parameters()) EXPECT_EQ(p.scalar_type(), c10::ScalarType::Float);
  }
}

// A model name is checked once, by the registry, naming the key and the valid names.
TEST(Registry, UnknownAndAnalyticModelsAreRefusedByKey) {
  TrainingSpec training;
  training.models = {"linear", "resnet"};
  EXPECT_THAT([&] { check_model_names(training); },
              ThrowsMessage<ConfigError>(AllOf(HasSubstr("training.models.1"), HasSubstr("'resnet'"),
                                               HasSubstr("linear, unet, bayes, wiener"))));
  training.models = {"bayes"};
  EXPECT_THAT([&] { check_model_names(training); },
              ThrowsMessage<ConfigError>(AllOf(HasSubstr("training.models.0"), HasSubstr("analytic"))));
  training.models = {"unet", "linear"};
  EXPECT_NO_THROW(check_model_names(training));
}

// c is an exact penalty for the linear model (no augmentation) and noise augmentation sqrt(c)
// for the U-Net; a section's learning rate of 0 stands for the kind's automatic rate.
TEST(Registry, TrainOptionsTakeEachKindsSectionRegulariserAndRate) {
  TrainingSpec training;
  training.unet.learning_rate = 0;
  training.unet.steps = StepCount::fixed(123);
  const TrainOptions unet = train_options(find_denoiser_kind("unet"), training, Objective::kData, 0.04, 5, 2e-3, "u");
  EXPECT_EQ(unet.optimizer, Optimizer::kAdam);
  EXPECT_EQ(unet.rate_shape.kind, LrSchedule::kCosine);
  EXPECT_EQ(unet.steps, 123);
  EXPECT_DOUBLE_EQ(unet.learning_rate, 2e-3);
  EXPECT_DOUBLE_EQ(unet.augment_std, 0.2);
  EXPECT_EQ(unet.objective, Objective::kData);
  training.linear.learning_rate = 7;
  const TrainOptions linear = train_options(find_denoiser_kind("linear"), training, Objective::kNoise, 0.04, 5, 99, "l");
  EXPECT_EQ(linear.optimizer, Optimizer::kSgd);
  EXPECT_DOUBLE_EQ(linear.learning_rate, 7);
  EXPECT_DOUBLE_EQ(linear.augment_std, 0.0);
}

TEST(Registry, ANameIsRegisteredOnce) {
  DenoiserKind twin;
  twin.name = "linear";
  EXPECT_THROW(register_denoiser_kind(twin), std::invalid_argument);
}

}  // namespace
}  // namespace lindiff
