// Closed-form theory throughput at d = 784, T = 1000:
//  - BM_TheoryGrid: 20 training sets x 4 values of c x 2 objectives, each with the exact
//    sampling chain, both KLs against the population and exact train/test losses, the
//    eigendecompositions done beforehand (BM_TrainingEigen times one of them);
//  - BM_DenseChain: the O(T d^3) recursion for arbitrary weights, with its GFLOP/s next to
//    the dgemm rate measured in the same run (gemm_gflops).
#include <benchmark/benchmark.h>

#include "bench/gemm_reference.h"

#include <chrono>
#include <random>

#include "src/theory/expected_loss.h"
#include "src/theory/gaussian_kl.h"
#include "src/theory/model_evaluation.h"
#include "src/theory/moments.h"
#include "src/theory/sampling_distribution.h"
#include "src/theory/spectrum_stats.h"

namespace {

using namespace lindiff;

constexpr Index kDim = 784;

struct Fixture {
  Matrix basis;
  Vector spectrum;
  Matrix sigma;
  std::vector<Moments> training;
  std::vector<EigenSystem> eigen;
};

Matrix gaussian(Index n, Index m, std::mt19937_64& rng) {
  std::normal_distribution<double> normal;
  Matrix a(n, m);
  for (Index i = 0; i < a.size(); ++i) a.data()[i] = normal(rng);
  return a;
}

const Fixture& fixture() {
  static const Fixture f = [] {
    Fixture f;
    std::mt19937_64 rng(1);
    Eigen::HouseholderQR<Matrix> qr(gaussian(kDim, kDim, rng));
    f.basis = qr.householderQ();
    f.spectrum = power_law_spectrum(kDim, 1.0);
    f.sigma = f.basis * f.spectrum.asDiagonal() * f.basis.transpose();
    for (int i = 0; i < 20; ++i) {
      const Index n = static_cast<Index>(std::llround(100 * std::pow(400.0, i / 19.0)));  // 100 .. 40000
      const Matrix x = gaussian(n, kDim, rng) * f.spectrum.cwiseSqrt().asDiagonal() * f.basis.transpose();
      f.training.push_back(empirical_moments(x.cast<float>()));
      f.eigen.push_back(symmetric_eigen(f.training.back().covariance, EigenSolver::kLapackDivideAndConquer));
    }
    return f;
  }();
  return f;
}

void BM_TrainingEigen(benchmark::State& state) {
  const Fixture& f = fixture();
  for (auto _ : state) {
    EigenSystem e = symmetric_eigen(f.training.back().covariance, EigenSolver::kLapackDivideAndConquer);
    benchmark::DoNotOptimize(e.values.data());
  }
}

void BM_TheoryGrid(benchmark::State& state) {
  const Fixture& f = fixture();
  const Schedule schedule = Schedule::linear(1000);
  const EigenSystem population{f.spectrum, f.basis};
  const Vector mu = Vector::Zero(kDim);
  double checksum = 0;
  for (auto _ : state) {
    for (std::size_t i = 0; i < f.eigen.size(); ++i) {
      const ModeSpace modes(f.eigen[i]);
      const PopulationView view(modes, mu, population);
      const ModeMoments train = training_moments(modes);
      const ModeMoments test = view.moments(f.training[i].mean);
      std::vector<ModelRows> models;
      for (double c : {0.0, 1e-3, 1e-2, 1e-1}) {
        for (Objective objective : {Objective::kNoise, Objective::kData}) {
          models.emplace_back(objective, modes.eigenvalues(), c);
        }
      }
      const EvaluationContext context{schedule, modes, view, train, test, f.training[i].mean, false};
      for (const ModelEvaluation& e : evaluate_models(context, models)) {
        checksum += e.kl.model_data + e.kl.data_model + e.train_loss.mean() + e.test_loss.mean();
      }
    }
    benchmark::DoNotOptimize(checksum);
  }
  state.counters["cells"] = benchmark::Counter(20.0 * 4 * 2, benchmark::Counter::kIsIterationInvariantRate);
}


void BM_DenseChain(benchmark::State& state) {
  const Fixture& f = fixture();
  const int steps = static_cast<int>(state.range(0));
  const Schedule schedule = Schedule::linear(steps);
  const ModeSpace modes(f.eigen.back());
  const DiagonalModel model = optimal_model(schedule, Objective::kNoise, modes.eigenvalues(), 0.01);
  const Matrix& u = f.eigen.back().vectors;
  const Vector b = f.training.back().mean;
  const WeightSource weights = [&](int t, Matrix& w, Vector& bias) {
    w.noalias() = u * model.weights.row(t - 1).transpose().asDiagonal() * u.transpose();
    bias = b;
  };
  const double gemm = gemm_seconds(kDim);
  double seconds = 0;
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    Gaussian g = sampling_distribution_dense(schedule, Objective::kNoise, weights, kDim, false);
    seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    benchmark::DoNotOptimize(g.covariance.data());
  }
  // Per step: two d^3 products for A P A^T plus one to form W (4 d^3 multiply-adds... counted as 3 GEMMs).
  const double flops = 3.0 * 2.0 * kDim * kDim * kDim * steps;
  state.counters["gflops"] = flops / (seconds / state.iterations()) / 1e9;
  state.counters["gemm_gflops"] = 2.0 * kDim * kDim * kDim / gemm / 1e9;
}

BENCHMARK(BM_TrainingEigen)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_TheoryGrid)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(BM_DenseChain)->Arg(100)->Arg(1000)->Unit(benchmark::kMillisecond)->Iterations(1);

}  // namespace

BENCHMARK_MAIN();

namespace {

// Components of one grid cell at d = 784, T = 1000 (G = 784 groups).
struct Cell {
  Schedule schedule = Schedule::linear(1000);
  ModeSpace modes{fixture().eigen.back()};
  EigenSystem population{fixture().spectrum, fixture().basis};
  Vector mean = Vector::Zero(kDim);
  PopulationView view{modes, mean, population};
  ModeMoments train = training_moments(modes);
  DiagonalModel model = optimal_model(schedule, Objective::kNoise, modes.eigenvalues(), 0.01);
};

const Cell& cell() {
  static const Cell c;
  return c;
}

void BM_CellOptimalModel(benchmark::State& state) {
  cell();  // build the fixture outside the timed loop
  for (auto _ : state) benchmark::DoNotOptimize(optimal_model(cell().schedule, Objective::kNoise, cell().modes.eigenvalues(), 0.01));
}
void BM_CellSampling(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(sampling_distribution(cell().schedule, cell().model, false));
}
void BM_CellLoss(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(expected_loss(cell().schedule, cell().model, cell().modes, cell().train));
}
void BM_CellKl(benchmark::State& state) {
  const DiagonalSampling sampling = sampling_distribution(cell().schedule, cell().model, false);
  for (auto _ : state) benchmark::DoNotOptimize(cell().view.kl(sampling, fixture().training.back().mean));
}
void BM_PopulationView(benchmark::State& state) {
  for (auto _ : state) {
    PopulationView view(cell().modes, cell().mean, cell().population);
    benchmark::DoNotOptimize(view.singular());
  }
}

BENCHMARK(BM_CellOptimalModel)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_CellSampling)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_CellLoss)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_CellKl)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_PopulationView)->Unit(benchmark::kMillisecond);

}  // namespace
