// Eigendecomposition of a d x d covariance with each solver, next to the double-precision
// GEMM rate measured in the same process, at d = 784 (28x28), 1024 (32x32), 3072 (32x32x3).
// Counters: gemm_gflops (this machine's dgemm rate at size d right now) and gemm_equivalents
// (the solver's time in units of one d x d x d dgemm).
#include <benchmark/benchmark.h>

#include "bench/gemm_reference.h"

#include <chrono>
#include <random>

#include "src/theory/eigen_system.h"
#include "src/theory/moments.h"

namespace {

using lindiff::Index;
using lindiff::Matrix;

Matrix random_covariance(Index d) {
  std::mt19937_64 rng(1);
  std::normal_distribution<double> normal;
  Matrix x(2 * d, d);
  for (Index j = 0; j < d; ++j)
    for (Index i = 0; i < 2 * d; ++i) x(i, j) = normal(rng);
  return x.transpose() * x / static_cast<double>(2 * d);
}


void BM_Gemm(benchmark::State& state) {
  const Index d = state.range(0);
  const Matrix a = Matrix::Random(d, d), b = Matrix::Random(d, d);
  Matrix c(d, d);
  for (auto _ : state) {
    c.noalias() = a * b;
    benchmark::DoNotOptimize(c.data());
  }
  state.counters["gflops"] = benchmark::Counter(2.0 * d * d * d, benchmark::Counter::kIsIterationInvariantRate,
                                                benchmark::Counter::kIs1000);
}

void eigen_benchmark(benchmark::State& state, lindiff::EigenSolver solver) {
  const Index d = state.range(0);
  const Matrix s = random_covariance(d);
  const double gemm = lindiff::gemm_seconds(d);
  double total = 0;
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    lindiff::EigenSystem e = lindiff::symmetric_eigen(s, solver);
    benchmark::DoNotOptimize(e.values.data());
    total += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }
  state.counters["gemm_gflops"] = 2.0 * d * d * d / gemm / 1e9;
  state.counters["gemm_equivalents"] = total / static_cast<double>(state.iterations()) / gemm;
}

void BM_EigenDsyevd(benchmark::State& state) { eigen_benchmark(state, lindiff::EigenSolver::kLapackDivideAndConquer); }
void BM_EigenSelfAdjointSolver(benchmark::State& state) { eigen_benchmark(state, lindiff::EigenSolver::kEigen); }

// The covariance itself: N = 60000 images (Fashion-MNIST's train split) at d = 784.
void BM_Covariance60000x784(benchmark::State& state) {
  std::mt19937_64 rng(2);
  std::normal_distribution<float> normal;
  lindiff::DataMatrix x(60000, 784);
  for (Index i = 0; i < x.size(); ++i) x.data()[i] = normal(rng);
  for (auto _ : state) {
    lindiff::Moments m = lindiff::empirical_moments(x);
    benchmark::DoNotOptimize(m.covariance.data());
  }
  // syrk on one triangle: N d (d + 1) / 2 multiply-adds, i.e. N d (d + 1) flops.
  state.counters["gflops"] = benchmark::Counter(60000.0 * 784 * 785, benchmark::Counter::kIsIterationInvariantRate,
                                                benchmark::Counter::kIs1000);
}

BENCHMARK(BM_Gemm)->Arg(784)->Arg(1024)->Arg(3072)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_EigenDsyevd)->Arg(784)->Arg(1024)->Arg(3072)->Unit(benchmark::kMillisecond)->MinTime(1.0);
BENCHMARK(BM_EigenSelfAdjointSolver)->Arg(784)->Arg(1024)->Unit(benchmark::kMillisecond)->MinTime(1.0);
BENCHMARK(BM_EigenSelfAdjointSolver)->Arg(3072)->Unit(benchmark::kMillisecond)->Iterations(1);
BENCHMARK(BM_Covariance60000x784)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
