#include "src/tensors/device.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <ATen/detail/CUDAHooksInterface.h>
#include <torch/torch.h>
#include <torch/version.h>

#include "models/unet.h"
#include "src/common/crash_report.h"
#include "src/common/error.h"
#include "src/diffusion/sampler.h"
#include "src/evaluation/linear_exact.h"
#include "src/jobs/resource_estimate.h"
#include "src/denoisers/registry.h"
#include "src/training/training_loop.h"
#include "tests/support/random_tensors.h"
#include "tests/support/synthetic_data.h"
#include "tests/support/temp_dir.h"

namespace lindiff {
namespace {

// A crash on a GPU node (no gdb there) still reports where it happened.
const bool kCrashReportInstalled = (install_crash_report(), true);

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::ThrowsMessage;
using testing::TempDir;

// The CUDA cases run where LibTorch sees a GPU and are skipped (not passed) elsewhere.
#define LINDIFF_SKIP_WITHOUT_CUDA()                                                                  \
  if (!torch::cuda::is_available()) GTEST_SKIP() << "no CUDA device visible to LibTorch " TORCH_VERSION

// Float32 on both devices, no TF32 (cuDNN uses it for convolutions by default): the tolerances
// below are float rounding, not TF32's 10-bit mantissa.
void use_strict_float32() {
  at::globalContext().setAllowTF32CuBLAS(false);
  at::globalContext().setAllowTF32CuDNN(false);
}

// The largest |a - b| relative to the largest |b| (both moved to the CPU).
double relative_difference(const torch::Tensor& a, const torch::Tensor& b) {
  const torch::Tensor x = a.detach().cpu().to(torch::kDouble), y = b.detach().cpu().to(torch::kDouble);
  return ((x - y).abs().max() / y.abs().max().clamp_min(1e-30)).item<double>();
}

TrainingSpec small_training_spec(DeviceKind device) {
  TrainingSpec spec;
  spec.device = device;
  spec.linear.init = LinearInit::kNormal;
  spec.linear.train_bias = true;
  spec.unet.base_channels = 8;
  spec.unet.depth = 2;
  spec.unet.groups = 4;
  spec.unet.time_dim = 16;
  return spec;
}

const ImageShape kShape{1, 8, 8};

TrainableModel small_model(const std::string& model, DeviceKind device, const Schedule& schedule) {
  const TrainingSpec spec = small_training_spec(device);
  return find_denoiser_kind(model).build(
      ModelInputs{spec, Objective::kNoise, 0.0, 3, kShape, schedule, torch::full({kShape.size()}, 0.2)});
}

TrainOptions small_run(std::int64_t steps) {
  TrainOptions options;
  options.optimizer = Optimizer::kSgd;  // Adam's first step ~ lr sign(g) would turn rounding of a ~0 gradient into 2 lr
  options.learning_rate = 1e-2;
  options.steps = steps;
  options.batch_size = 16;
  options.seed = 11;
  options.checkpoints = {steps};
  return options;
}

// The CPU has no GPU facts; a CPU build names the CUDA runtime "".
TEST(Device, DescribesTheCpuWithoutGpuFacts) {
  const DeviceFacts facts = describe_device(DeviceKind::kCpu);
  EXPECT_EQ(facts.device, "cpu");
  EXPECT_EQ(facts.gpu, "");
  if (!at::detail::getCUDAHooks().hasCUDART()) {
    EXPECT_EQ(facts.cuda_runtime, "");
  }
}

// Asking for cuda where LibTorch sees none names the key, says why and what to use instead.
TEST(Device, CudaWithoutAGpuIsAConfigErrorNamingTheKey) {
  if (torch::cuda::is_available()) GTEST_SKIP() << "a GPU is visible: cuda is valid here";
  EXPECT_THAT([] { check_device(DeviceKind::kCuda); },
              ThrowsMessage<ConfigError>(AllOf(HasSubstr("training.device"), HasSubstr("use device: cpu"))));
  EXPECT_NO_THROW(check_device(DeviceKind::kCpu));
}

// The sinusoidal frequencies are built where the timesteps live (they were always on the CPU).
TEST(Device, TimestepEmbeddingFollowsItsTimesteps) {
  const torch::Tensor t = torch::arange(1, 5, torch::kLong);
  EXPECT_TRUE(timestep_embedding(t, 8).device().is_cpu());
  LINDIFF_SKIP_WITHOUT_CUDA();
  const torch::Tensor on_gpu = timestep_embedding(t.cuda(), 8);
  EXPECT_TRUE(on_gpu.device().is_cuda());
  EXPECT_LT(relative_difference(on_gpu, timestep_embedding(t, 8)), 1e-6);
}

// The same weights give the same prediction on both devices: float rounding only
// (relative 1e-5 for the linear product, 1e-4 through the U-Net's convolutions and norms).
TEST(Device, LinearAndUNetForwardAgreeOnCpuAndCuda) {
  LINDIFF_SKIP_WITHOUT_CUDA();
  use_strict_float32();
  torch::NoGradGuard no_grad;
  const Schedule schedule = Schedule::linear(20);
  const torch::Tensor x = testing::random_rows(32, kShape.size(), 2);
  const torch::Tensor t = torch::randint(1, 21, {32}, at::detail::createCPUGenerator(3), torch::kLong);
  for (const auto& [model, tolerance] : {std::pair<std::string, double>{"linear", 1e-5}, {"unet", 1e-4}}) {
    const TrainableModel cpu = small_model(model, DeviceKind::kCpu, schedule);
    const TrainableModel gpu = small_model(model, DeviceKind::kCuda, schedule);
    EXPECT_LT(relative_difference(gpu.denoiser->predict(x.cuda(), t.cuda(), Objective::kNoise),
                                  cpu.denoiser->predict(x, t, Objective::kNoise)),
              tolerance)
        << model;
  }
}

// Train -> checkpoint on the GPU -> resume on the CPU (and the reverse) -> sample -> exact
// evaluation: the random streams are CPU streams, so both devices see the same minibatches
// and noise, and every result agrees with the all-CPU run within float tolerance.
TEST(Device, TrainResumeSampleAndEvaluateOnCudaMatchTheCpu) {
  LINDIFF_SKIP_WITHOUT_CUDA();
  use_strict_float32();
  TempDir dir;
  const Schedule schedule = Schedule::linear(20);
  const torch::Tensor data = testing::random_rows(64, kShape.size(), 1);
  const auto train_then_resume = [&](DeviceKind first, DeviceKind second) {
    TrainableModel before = small_model("linear", first, schedule);
    Trainer trainer(before.target, data.to(torch_device(first)), schedule, small_run(10));
    trainer.run([](std::int64_t) { return true; });
    trainer.save((dir / ("latest_" + enum_name(first) + ".pt")).string());
    TrainableModel after = small_model("linear", second, schedule);
    Trainer resumed(after.target, data.to(torch_device(second)), schedule, small_run(20));
    resumed.load((dir / ("latest_" + enum_name(first) + ".pt")).string());
    EXPECT_EQ(resumed.step(), 10);
    resumed.run([](std::int64_t) { return true; });
    return after;
  };
  const TrainableModel reference = train_then_resume(DeviceKind::kCpu, DeviceKind::kCpu);
  for (const auto& [first, second] : {std::pair{DeviceKind::kCuda, DeviceKind::kCpu}, std::pair{DeviceKind::kCpu, DeviceKind::kCuda},
                                      std::pair{DeviceKind::kCuda, DeviceKind::kCuda}}) {
    const TrainableModel model = train_then_resume(first, second);
    EXPECT_LT(relative_difference(model.weights(), reference.weights()), 1e-4) << enum_name(first) << " -> " << enum_name(second);
    const SamplerOptions sampling{false, 64, 5};  // each model samples on its own device
    const torch::Tensor expected = ddpm_sample(*reference.denoiser, schedule, 64, kShape.size(), sampling);
    const torch::Tensor samples = ddpm_sample(*model.denoiser, schedule, 64, kShape.size(), sampling);
    EXPECT_TRUE(samples.device().is_cpu());
    EXPECT_LT(relative_difference(samples, expected), 1e-3) << enum_name(first) << " -> " << enum_name(second);
    const Gaussian population{Vector::Constant(kShape.size(), 0.2), 0.25 * Matrix::Identity(kShape.size(), kShape.size())};
    const ExactLinearEvaluation exact = evaluate_linear_weights(model.weights(), model.biases(), Objective::kNoise,
                                                                schedule, population, population, false);
    const ExactLinearEvaluation expected_exact = evaluate_linear_weights(
        reference.weights(), reference.biases(), Objective::kNoise, schedule, population, population, false);
    EXPECT_NEAR(exact.test_loss.mean(), expected_exact.test_loss.mean(), 1e-4 * expected_exact.test_loss.mean());
  }
}

// The CUDA runtime's free and total memory and the allocator's peak exist exactly where a GPU is.
TEST(Device, GpuMemoryIsKnownOnAGpuAndAbsentElsewhere) {
  if (!torch::cuda::is_available()) {
    EXPECT_FALSE(gpu_memory().has_value());
    EXPECT_EQ(gpu_peak_allocated_bytes(), 0u);
    return;
  }
  const std::optional<GpuMemory> before = gpu_memory();
  ASSERT_TRUE(before.has_value());
  EXPECT_GT(before->total, 1ull << 30);
  EXPECT_LE(before->free, before->total);
  const torch::Tensor block = torch::ones({64, 1024, 1024}, torch::TensorOptions().device(torch::kCUDA));  // 256 MiB
  EXPECT_GE(gpu_peak_allocated_bytes(), 256ull << 20);
  EXPECT_LT(gpu_memory()->free, before->free);
}

// With training.device: cuda the model's parts are held against the GPU's free memory, and a
// refusal says so; host memory still bounds the rest.
TEST(Device, AModelLargerThanTheGpuIsRefusedNamingGpuMemoryAndTheKey) {
  LINDIFF_SKIP_WITHOUT_CUDA();
  ExperimentConfig config;
  config.training.device = DeviceKind::kCuda;
  config.training.models = {"linear"};
  const double free_bytes = static_cast<double>(gpu_memory()->free);
  // T x 8^2 weights x 21 bytes: twice the free GPU memory, below the 2^31 steps a config may give.
  config.theory.steps = static_cast<int>(std::min(2.0 * free_bytes / (64 * 21), 2.0e9));
  const Dataset data = testing::synthetic_d8(64);
  if (static_cast<double>(config.theory.steps) * 64 * 21 < free_bytes) GTEST_SKIP() << "the GPU is too large for this test";
  EXPECT_THAT([&] { check_memory("train", config, data); },
              ThrowsMessage<ResourceError>(AllOf(HasSubstr("GPU memory"), HasSubstr("training.device: cuda"),
                                                 HasSubstr("the linear model"), HasSubstr("theory.respace"))));
  config.theory.respace = 100;
  check_memory("train", config, data);
}

}  // namespace
}  // namespace lindiff
