// Training and inference throughput of the two models, next to the float GEMM rate measured
// in the same run (the reference for the linear model, whose step executes two [B,d]x[d,d]
// products: the forward pass and the weight gradient; x needs no gradient). Every benchmark
// runs one untimed warm-up iteration and reports wall time (LibTorch runs on every core):
//  - BM_FloatGemm: [B, d] x [d, d] through LibTorch (gflops); BM_MemoryCopy: memory bandwidth;
//  - BM_LinearTrainStep/d/T/one_t: SGD steps at B = 512 for d = 256, 784 and T (or respaced K)
//    = 100, 200, 1000 (615 M parameters at d = 784), one timestep per minibatch (one_t:1, one
//    [B, d] x [d, d] product, GEMM-bound: compare gflops with BM_FloatGemm) or one per row
//    (one_t:0, ~K (1 - e^{-B/K}) distinct timesteps, each W_t used by a few rows: bound by
//    weight memory, compare weight_gb_per_s with BM_MemoryCopy); an iteration is 10 steps of one
//    train() call (its set-up amortised);
//  - BM_UNetTrainStep / BM_UNetForward: 28x28 images, batch 128 (images/s); an iteration of
//    the training benchmark is 10 Adam steps of one train() call; BM_UNetTrainStepBf16 the same
//    with bfloat16 convolutions (training.unet.precision: bfloat16);
//  - BM_EmpiricalOptimum/N: the empirical optimum's posterior mean for 256 queries x_t at random
//    t of a 1000-step schedule against N training rows of d = 784, float32 (gflops: the two
//    [256, d] x [d, N]-sized products, 4 B N d flops; compare with BM_FloatGemm);
//  - BM_Els/N: Kamb & Ganguli's ELS patch machine, 4 queries of 28x28 at random t, P = 5, against
//    N training images (gflops: the distance products; images_per_s: one denoising step per image).
// LINDIFF_BENCH_PROFILE=DIR: after the timed iterations, the U-Net training and ELS benchmarks
// run one more iteration under LibTorch's profiler and write DIR/<name>.json (Chrome trace; summarise it
// with bench/profile_summary.py, as for bench/pytorch_peer.py --profile DIR).
// LINDIFF_BENCH_DEVICE=cuda runs everything on the GPU (a CUDA LibTorch); every timed region
// then ends with a device synchronisation, so only finished work is counted.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <string>
#include <thread>

#include <torch/csrc/autograd/profiler_legacy.h>
#include <torch/torch.h>

#include "models/linear_denoiser.h"
#include "models/unet.h"
#include "src/denoisers/empirical_denoiser.h"
#include "src/denoisers/patch_denoiser.h"
#include "src/diffusion/forward_process.h"
#include "src/training/training_loop.h"

namespace {

using namespace lindiff;

constexpr std::int64_t kDim = 784, kBatch = 1024, kLinearBatch = 512;

// The device of LINDIFF_BENCH_DEVICE (cpu | cuda; default cpu).
torch::Device bench_device() {
  const char* name = std::getenv("LINDIFF_BENCH_DEVICE");
  return name != nullptr && std::string(name) == "cuda" ? torch::Device(torch::kCUDA) : torch::Device(torch::kCPU);
}

const torch::Device kDevice = bench_device();
const torch::TensorOptions kOnDevice = torch::TensorOptions().device(kDevice);

// Products (and copies) queued per timed iteration: one GEMM of the sizes here takes ~25 us on
// an H100, as long as a launch and synchronisation, so on a GPU 64 run back to back.
const int kQueuedProducts = kDevice.is_cuda() ? 64 : 1;

// Waits for the queued GPU work (nothing on the CPU), so that timed regions hold finished work.
void finish_queued_work() {
  if (kDevice.is_cuda()) torch::cuda::synchronize();
}

// With LINDIFF_BENCH_PROFILE=DIR set: runs `work` once more under LibTorch's profiler and writes
// the Chrome trace DIR/<name>.json; otherwise does nothing.
template <typename Work>
void profile_once(const std::string& name, Work work) {
  const char* folder = std::getenv("LINDIFF_BENCH_PROFILE");
  if (folder == nullptr) return;
  torch::autograd::profiler::RecordProfile profile(std::string(folder) + "/" + name + ".json");
  work();
  finish_queued_work();
}

void BM_FloatGemm(benchmark::State& state) {
  const torch::Tensor x = torch::randn({kBatch, kDim}, kOnDevice), w = torch::randn({kDim, kDim}, kOnDevice);
  torch::Tensor out = torch::empty({kBatch, kDim}, kOnDevice);
  torch::matmul_out(out, x, w.t());  // warm-up
  finish_queued_work();
  for (auto _ : state) {
    for (int i = 0; i < kQueuedProducts; ++i) torch::matmul_out(out, x, w.t());
    finish_queued_work();
  }
  state.counters["gflops"] = benchmark::Counter(2.0 * kBatch * kDim * kDim * kQueuedProducts,
                                                benchmark::Counter::kIsIterationInvariantRate, benchmark::Counter::kIs1000);
}

// Args: d, T (or respaced K), rows_per_t (0: one timestep per row; 1: one per minibatch).
void BM_LinearTrainStep(benchmark::State& state) {
  const std::int64_t dim = state.range(0), steps = state.range(1);
  const bool one_t_per_batch = state.range(2) == 1;
  const Schedule schedule = Schedule::linear(steps);
  LinearDenoiser model(LinearDenoiserOptions{dim, Objective::kNoise, LinearInit::kZero, false, 0}, schedule_tensors(schedule).sqrt_abar);
  model->to(kDevice);
  const torch::Tensor data = torch::randn({4096, dim}, kOnDevice);
  TrainingTarget target{[&](const at::Tensor& x, const at::Tensor& t) { return model->forward(x, t); }, nullptr,
                        model->parameters(), nullptr};
  TrainOptions options;
  options.optimizer = Optimizer::kSgd;
  options.learning_rate = 1e-3;
  options.batch_size = kLinearBatch;
  options.one_t_per_batch = one_t_per_batch;
  options.steps = 10;
  train(target, data, schedule, options, [](std::int64_t) {});  // warm-up
  finish_queued_work();
  for (auto _ : state) {
    train(target, data, schedule, options, [](std::int64_t) {});
    finish_queued_work();
  }
  state.counters["steps_per_s"] = benchmark::Counter(static_cast<double>(options.steps), benchmark::Counter::kIsIterationInvariantRate);
  // Two [B, d] x [d, d] products a step (forward, weight gradient), counted without any padding.
  state.counters["gflops"] = benchmark::Counter(2.0 * 2.0 * kLinearBatch * dim * dim * options.steps,
                                                benchmark::Counter::kIsIterationInvariantRate, benchmark::Counter::kIs1000);
  // The weight memory a step cannot avoid: each of the G distinct timesteps' W_t is read by the
  // forward pass, its gradient written, then read by SGD, which reads and writes W_t (5 passes
  // of 4 d^2 bytes); G = K (1 - (1 - 1/K)^B) expected distinct timesteps per row-wise minibatch.
  const double distinct = one_t_per_batch ? 1.0 : steps * (1.0 - std::pow(1.0 - 1.0 / steps, kLinearBatch));
  state.counters["weight_gb_per_s"] = benchmark::Counter(5.0 * 4.0 * distinct * dim * dim * options.steps,
                                                         benchmark::Counter::kIsIterationInvariantRate, benchmark::Counter::kIs1000);
}

// Memory bandwidth in the same run: a 64 MiB float copy (read + write bytes per second), the
// ceiling for weight_gb_per_s of the per-row linear steps.
void BM_MemoryCopy(benchmark::State& state) {
  const torch::Tensor from = torch::randn({16 << 20}, kOnDevice), to = torch::empty_like(from);
  to.copy_(from);  // warm-up
  finish_queued_work();
  for (auto _ : state) {
    for (int i = 0; i < kQueuedProducts; ++i) to.copy_(from);
    finish_queued_work();
  }
  state.counters["gb_per_s"] = benchmark::Counter(2.0 * 4.0 * static_cast<double>(from.numel()) * kQueuedProducts,
                                                  benchmark::Counter::kIsIterationInvariantRate, benchmark::Counter::kIs1000);
}

// The U-Net's training step with its convolutions in `compute_type` (training.unet.precision).
void unet_train_step(benchmark::State& state, c10::ScalarType compute_type) {
  UNet model(UNetOptions{1, 28, 28, 32, 2, 8, 64, compute_type});
  model->to(kDevice);
  const Schedule schedule = Schedule::linear(1000);
  const torch::Tensor data = torch::randn({1024, 784}, kOnDevice);
  TrainingTarget target{[&](const at::Tensor& x, const at::Tensor& t) { return model->forward(x, t); }, nullptr,
                        model->parameters(), nullptr};
  TrainOptions options;
  options.optimizer = Optimizer::kAdam;
  options.batch_size = 128;
  options.steps = 10;
  train(target, data, schedule, options, [](std::int64_t) {});  // warm-up
  finish_queued_work();
  for (auto _ : state) {
    train(target, data, schedule, options, [](std::int64_t) {});
    finish_queued_work();
  }
  state.counters["images_per_s"] = benchmark::Counter(128.0 * options.steps, benchmark::Counter::kIsIterationInvariantRate);
  profile_once(compute_type == torch::kFloat ? "UNetTrainStep" : "UNetTrainStepBf16",
               [&] { train(target, data, schedule, options, [](std::int64_t) {}); });
}

void BM_UNetTrainStep(benchmark::State& state) { unet_train_step(state, torch::kFloat); }
void BM_UNetTrainStepBf16(benchmark::State& state) { unet_train_step(state, torch::kBFloat16); }

void BM_UNetForward(benchmark::State& state) {
  UNet model(UNetOptions{1, 28, 28, 32, 2, 8, 64});
  model->to(kDevice);
  const torch::Tensor x = torch::randn({128, 784}, kOnDevice);
  const torch::Tensor t = torch::randint(1, 1001, {128}, kOnDevice.dtype(torch::kLong));
  torch::NoGradGuard no_grad;
  benchmark::DoNotOptimize(model->forward(x, t).data_ptr());  // warm-up
  finish_queued_work();
  for (auto _ : state) {
    benchmark::DoNotOptimize(model->forward(x, t).data_ptr());
    finish_queued_work();
  }
  state.counters["images_per_s"] = benchmark::Counter(128.0, benchmark::Counter::kIsIterationInvariantRate);
}

void BM_EmpiricalOptimum(benchmark::State& state) {
  constexpr std::int64_t kQueries = 256;
  const std::int64_t n = state.range(0);
  const Schedule schedule = Schedule::linear(1000);
  const SoftmaxCandidates candidates = softmax_candidates(torch::rand({n, kDim}, kOnDevice));
  const torch::Tensor x = torch::randn({kQueries, kDim}, kOnDevice);
  const torch::Tensor t = torch::randint(1, 1001, {kQueries}, torch::kLong);
  std::vector<double> sqrt_abar, one_minus_abar;
  for (std::int64_t i = 0; i < kQueries; ++i) {
    const int step = static_cast<int>(t[i].item<std::int64_t>());
    sqrt_abar.push_back(std::sqrt(schedule.abar(step)));
    one_minus_abar.push_back(schedule.one_minus_abar(step));
  }
  const torch::Tensor a = torch::tensor(sqrt_abar).to(kDevice, torch::kFloat), b = torch::tensor(one_minus_abar).to(kDevice, torch::kFloat);
  benchmark::DoNotOptimize(softmax_weighted_mean(x, a, b, candidates).data_ptr());  // warm-up
  finish_queued_work();
  for (auto _ : state) {
    benchmark::DoNotOptimize(softmax_weighted_mean(x, a, b, candidates).data_ptr());
    finish_queued_work();
  }
  state.counters["gflops"] = benchmark::Counter(4.0 * kQueries * static_cast<double>(n) * kDim,
                                                benchmark::Counter::kIsIterationInvariantRate, benchmark::Counter::kIs1000);
}

// Kamb & Ganguli's ELS machine on 28x28 grey images (their padding: queries wrapped, training
// patches inside an image), P = 5, for kElsQueries queries at random t of a 1000-step schedule
// against N training images. gflops counts the distance products alone: per query, the [H W, P^2]
// query patches against the N (H - P + 1)^2 training patches, 2 H W N (H - P + 1)^2 P^2 flops.
constexpr std::int64_t kElsQueries = 4, kElsSide = 28, kElsPatch = 5;

void BM_Els(benchmark::State& state) {
  const std::int64_t n = state.range(0);
  const Schedule schedule = Schedule::linear(1000);
  const ImageShape shape{1, static_cast<int>(kElsSide), static_cast<int>(kElsSide)};
  const torch::Tensor rows = torch::rand({n, kElsSide * kElsSide});
  const auto els = patch_denoiser(PatchSpec{PatchMachine::kEls, kElsPatch, ElsPadding::kKambGanguli}, rows, shape,
                                  schedule, kDevice);
  const torch::Tensor x = torch::randn({kElsQueries, kElsSide * kElsSide}, kOnDevice);
  const torch::Tensor t = torch::randint(1, 1001, {kElsQueries}, torch::kLong).to(kDevice);
  benchmark::DoNotOptimize(els->predict(x, t, Objective::kData).data_ptr());  // warm-up
  finish_queued_work();
  for (auto _ : state) {
    benchmark::DoNotOptimize(els->predict(x, t, Objective::kData).data_ptr());
    finish_queued_work();
  }
  const double inside = static_cast<double>((kElsSide - kElsPatch + 1) * (kElsSide - kElsPatch + 1));
  const double flops = 2.0 * kElsQueries * kElsSide * kElsSide * static_cast<double>(n) * inside * kElsPatch * kElsPatch;
  state.counters["gflops"] = benchmark::Counter(flops, benchmark::Counter::kIsIterationInvariantRate, benchmark::Counter::kIs1000);
  state.counters["images_per_s"] = benchmark::Counter(kElsQueries, benchmark::Counter::kIsIterationInvariantRate);
  profile_once("Els_N" + std::to_string(n), [&] { els->predict(x, t, Objective::kData); });
}

BENCHMARK(BM_FloatGemm)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_MemoryCopy)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_LinearTrainStep)
    ->ArgsProduct({{256, 784}, {100, 200, 1000}, {1, 0}})
    ->ArgNames({"d", "T", "one_t"})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_UNetTrainStep)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_UNetTrainStepBf16)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_UNetForward)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_EmpiricalOptimum)->ArgName("N")->Arg(1024)->Arg(8192)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Els)->ArgName("N")->Arg(1024)->Arg(8192)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

int main(int argc, char** argv) {
  // Every core, set once (LibTorch reports 1 thread on these VMs unless told).
  at::set_num_threads(static_cast<int>(std::max(1u, std::thread::hardware_concurrency())));
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  return 0;
}
