#include "src/analysis/convergence.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace lindiff {

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
  const double noise = 2.0 * std::hypot(reference->standard_error, last.standard_error) / std::abs(last.loss);
  verdict.converged = stopped_early || (spans_a_decade && verdict.drop < kConvergenceTolerance + noise);
  return verdict;
}

}  // namespace lindiff
