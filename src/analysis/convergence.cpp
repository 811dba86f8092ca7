#include "src/analysis/convergence.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace lindiff {

namespace {

// The standard error of loss(a) - loss(b): paired over common draws where both have them.
double difference_error(const LossPoint& a, const LossPoint& b) {
  const std::size_t count = a.draws.size();
  if (count < 2 || b.draws.size() != count) return std::hypot(a.standard_error, b.standard_error);
  double mean = 0;
  for (std::size_t i = 0; i < count; ++i) mean += a.draws[i] - b.draws[i];
  mean /= static_cast<double>(count);
  double squares = 0;
  for (std::size_t i = 0; i < count; ++i) squares += std::pow(a.draws[i] - b.draws[i] - mean, 2);
  return std::sqrt(squares / static_cast<double>(count - 1) / static_cast<double>(count));
}

}  // namespace

ConvergenceVerdict judge_convergence(std::vector<LossPoint> curve, bool stopped_early) {
  if (curve.empty()) throw std::invalid_argument("judge_convergence: no checkpoints");
  std::sort(curve.begin(), curve.end(), [](const LossPoint& a, const LossPoint& b) { return a.step < b.step; });
  const LossPoint& last = curve.back();
  const LossPoint* reference = &curve.front();
  bool spans_a_decade = false;
  for (const LossPoint& point : curve) {
    if (point.step > 0 && 10 * point.step <= last.step) {
      reference = &point;
      spans_a_decade = true;
    }
  }
  ConvergenceVerdict verdict;
  verdict.drop = (reference->loss - last.loss) / std::abs(last.loss);
  const double noise = 2.0 * difference_error(*reference, last) / std::abs(last.loss);
  verdict.converged = stopped_early || (spans_a_decade && verdict.drop < kConvergenceTolerance + noise);
  return verdict;
}

}  // namespace lindiff
