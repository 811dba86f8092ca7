#include "src/theory/moments.h"

#include <algorithm>
#include <stdexcept>

namespace lindiff {

namespace {
constexpr Index kBlockRows = 4096;  // bounds the double-precision copy to 4096 x d
}

Moments empirical_moments(const Eigen::Ref<const DataMatrix>& rows) {
  const Index n = rows.rows();
  const Index d = rows.cols();
  if (n == 0) throw std::invalid_argument("empirical_moments: no samples (N = 0)");
  Moments m;
  m.count = n;
  m.mean = rows.cast<double>().colwise().mean().transpose();
  m.covariance = Matrix::Zero(d, d);
  Matrix block;
  for (Index start = 0; start < n; start += kBlockRows) {
    const Index len = std::min(kBlockRows, n - start);
    block = rows.middleRows(start, len).cast<double>();
    block.rowwise() -= m.mean.transpose();
    m.covariance.selfadjointView<Eigen::Lower>().rankUpdate(block.transpose(), 1.0 / n);
  }
  m.covariance.triangularView<Eigen::StrictlyUpper>() = m.covariance.transpose();
  return m;
}

}  // namespace lindiff
