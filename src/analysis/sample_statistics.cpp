#include "src/analysis/sample_statistics.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <stdexcept>

#include "src/common/quantile.h"
#include "src/common/shape_check.h"

namespace lindiff {

Gaussian fit_gaussian(const DataMatrix& samples) {
  if (samples.rows() < 1) throw std::invalid_argument("fit_gaussian: no samples");
  const Matrix x = samples.cast<double>();
  const Vector mean = x.colwise().mean();
  const Matrix centred = x.rowwise() - mean.transpose();
  Matrix covariance = Matrix::Zero(x.cols(), x.cols());
  covariance.selfadjointView<Eigen::Lower>().rankUpdate(centred.transpose(), 1.0 / static_cast<double>(x.rows()));
  covariance.triangularView<Eigen::StrictlyUpper>() = covariance.transpose();
  return {mean, covariance};
}

Vector variance_along(const DataMatrix& samples, const Matrix& directions) {
  check_shape(directions, samples.cols(), -1, "variance_along", "the directions (d x k)");
  const Matrix x = samples.cast<double>();
  const Matrix centred = x.rowwise() - x.colwise().mean();
  const Matrix projected = centred * directions;
  return projected.colwise().squaredNorm().transpose() / static_cast<double>(x.rows());
}

NearestTwo nearest_two(const DataMatrix& queries, const Eigen::Ref<const DataMatrix>& reference, Index block) {
  if (reference.rows() < 2) throw std::invalid_argument("nearest_two: needs at least two reference rows");
  check_shape(queries, -1, reference.cols(), "nearest_two", "the queries");
  const Index m = queries.rows();
  const Eigen::VectorXf query_norms = queries.rowwise().squaredNorm();
  const float inf = std::numeric_limits<float>::infinity();
  Eigen::VectorXf best = Eigen::VectorXf::Constant(m, inf), second = Eigen::VectorXf::Constant(m, inf);
  std::vector<Index> nearest(static_cast<std::size_t>(m), 0);
  Eigen::MatrixXf cross;
  for (Index start = 0; start < reference.rows(); start += block) {
    const Index count = std::min(block, reference.rows() - start);
    const auto rows = reference.middleRows(start, count);
    const Eigen::VectorXf reference_norms = rows.rowwise().squaredNorm();
    cross.noalias() = queries * rows.transpose();  // M x count, one GEMM
    for (Index j = 0; j < count; ++j) {
      for (Index i = 0; i < m; ++i) {
        const float distance = query_norms(i) + reference_norms(j) - 2.0f * cross(i, j);
        if (distance < best(i)) {
          second(i) = best(i);
          best(i) = distance;
          nearest[static_cast<std::size_t>(i)] = start + j;
        } else if (distance < second(i)) {
          second(i) = distance;
        }
      }
    }
  }
  // Round-off can make a squared distance slightly negative; an exact copy has distance 0.
  const auto root = [](float v) { return std::sqrt(std::max(0.0, static_cast<double>(v))); };
  NearestTwo result{Vector(m), Vector(m), std::move(nearest)};
  for (Index i = 0; i < m; ++i) result.first(i) = root(best(i)), result.second(i) = root(second(i));
  return result;
}

MemorisationEstimate memorisation(const NearestTwo& distances, double ratio, int resamples, std::uint64_t seed) {
  const Index m = distances.first.size();
  if (m < 1) throw std::invalid_argument("memorisation: no samples");
  std::vector<double> ratios(static_cast<std::size_t>(m));
  std::vector<char> copied(static_cast<std::size_t>(m));
  for (Index i = 0; i < m; ++i) {
    const double second = distances.second(i);
    ratios[i] = second > 0 ? distances.first(i) / second : 1.0;  // two identical training points: not a copy of one
    copied[i] = ratios[i] < ratio;
  }
  MemorisationEstimate estimate;
  estimate.fraction = std::count(copied.begin(), copied.end(), 1) / static_cast<double>(m);
  std::sort(ratios.begin(), ratios.end());
  estimate.median_ratio = sorted_quantile(ratios, 0.5);
  std::mt19937_64 engine(seed);
  std::uniform_int_distribution<Index> pick(0, m - 1);
  std::vector<double> fractions(static_cast<std::size_t>(std::max(resamples, 1)));
  for (double& f : fractions) {
    Index hits = 0;
    for (Index i = 0; i < m; ++i) hits += copied[static_cast<std::size_t>(pick(engine))];
    f = static_cast<double>(hits) / static_cast<double>(m);
  }
  std::sort(fractions.begin(), fractions.end());
  estimate.lower = sorted_quantile(fractions, 0.025);
  estimate.upper = sorted_quantile(fractions, 0.975);
  return estimate;
}

}  // namespace lindiff
