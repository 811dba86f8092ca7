// Training and inference throughput of the two models, next to the float GEMM rate measured
// in the same run (the reference for the linear model, whose step executes two [B,d]x[d,d]
// products: the forward pass and the weight gradient; x needs no gradient). Every benchmark
// runs one untimed warm-up iteration and reports wall time (LibTorch runs on every core):
//  - BM_FloatGemm: [B, d] x [d, d] through LibTorch (gflops);
//  - BM_LinearTrainStep: SGD steps, one timestep per minibatch (samples/s, gflops), at d = 784
//    for T = 10, 100 and 1000 (615 M parameters): with one parameter per timestep the step cost
//    should not depend on T; an iteration is 20 steps of one train() call (its set-up amortised);
//  - BM_UNetTrainStep / BM_UNetForward: 28x28 images, batch 128 (images/s); an iteration of
//    the training benchmark is 10 Adam steps of one train() call.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <thread>

#include <torch/torch.h>

#include "models/linear_denoiser.h"
#include "models/unet.h"
#include "src/diffusion/forward_process.h"
#include "src/training/training_loop.h"

namespace {

using namespace lindiff;

constexpr std::int64_t kDim = 784, kBatch = 1024;

void BM_FloatGemm(benchmark::State& state) {
  const torch::Tensor x = torch::randn({kBatch, kDim}), w = torch::randn({kDim, kDim});
  benchmark::DoNotOptimize(torch::matmul(x, w.t()).data_ptr());  // warm-up
  for (auto _ : state) benchmark::DoNotOptimize(torch::matmul(x, w.t()).data_ptr());
  state.counters["gflops"] = benchmark::Counter(2.0 * kBatch * kDim * kDim, benchmark::Counter::kIsIterationInvariantRate,
                                                benchmark::Counter::kIs1000);
}

void BM_LinearTrainStep(benchmark::State& state) {
  const int steps = static_cast<int>(state.range(0));
  const Schedule schedule = Schedule::linear(steps);
  LinearDenoiser model(LinearDenoiserOptions{kDim, "noise", "zero", false, 0}, schedule_tensors(schedule).sqrt_abar);
  const torch::Tensor data = torch::randn({4096, kDim});
  TrainingTarget target{[&](const at::Tensor& x, const at::Tensor& t) { return model->forward_at(x, t[0].item<std::int64_t>()); },
                        nullptr, model->parameters(), nullptr};
  TrainOptions options;
  options.optimizer = "sgd";
  options.learning_rate = 1e-3;
  options.batch_size = kBatch;
  options.one_t_per_batch = true;
  options.steps = 20;
  train(target, data, schedule, options, [](std::int64_t) {});  // warm-up
  for (auto _ : state) train(target, data, schedule, options, [](std::int64_t) {});
  state.counters["samples_per_s"] =
      benchmark::Counter(static_cast<double>(kBatch * options.steps), benchmark::Counter::kIsIterationInvariantRate);
  state.counters["gflops"] = benchmark::Counter(2.0 * 2.0 * kBatch * kDim * kDim * options.steps,
                                                benchmark::Counter::kIsIterationInvariantRate, benchmark::Counter::kIs1000);
}

void BM_UNetTrainStep(benchmark::State& state) {
  UNet model(UNetOptions{1, 28, 28, 32, 2, 8, 64});
  const Schedule schedule = Schedule::linear(1000);
  const torch::Tensor data = torch::randn({1024, 784});
  TrainingTarget target{[&](const at::Tensor& x, const at::Tensor& t) { return model->forward(x, t); }, nullptr,
                        model->parameters(), nullptr};
  TrainOptions options;
  options.optimizer = "adam";
  options.batch_size = 128;
  options.steps = 10;
  train(target, data, schedule, options, [](std::int64_t) {});  // warm-up
  for (auto _ : state) train(target, data, schedule, options, [](std::int64_t) {});
  state.counters["images_per_s"] = benchmark::Counter(128.0 * options.steps, benchmark::Counter::kIsIterationInvariantRate);
}

void BM_UNetForward(benchmark::State& state) {
  UNet model(UNetOptions{1, 28, 28, 32, 2, 8, 64});
  const torch::Tensor x = torch::randn({128, 784});
  const torch::Tensor t = torch::randint(1, 1001, {128}, torch::kLong);
  torch::NoGradGuard no_grad;
  benchmark::DoNotOptimize(model->forward(x, t).data_ptr());  // warm-up
  for (auto _ : state) benchmark::DoNotOptimize(model->forward(x, t).data_ptr());
  state.counters["images_per_s"] = benchmark::Counter(128.0, benchmark::Counter::kIsIterationInvariantRate);
}

BENCHMARK(BM_FloatGemm)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_LinearTrainStep)->Arg(10)->Arg(100)->Arg(1000)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_UNetTrainStep)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_UNetForward)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

int main(int argc, char** argv) {
  // Every core, set once (LibTorch reports 1 thread on these VMs unless told).
  at::set_num_threads(static_cast<int>(std::max(1u, std::thread::hardware_concurrency())));
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  return 0;
}
