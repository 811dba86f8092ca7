#include "src/analysis/sample_statistics.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <random>
#include <stdexcept>

namespace lindiff {
namespace {

using ::testing::HasSubstr;
using ::testing::ThrowsMessage;

DataMatrix gaussian_rows(Index n, Index d, std::uint64_t seed) {
  std::mt19937_64 engine(seed);
  std::normal_distribution<float> normal;
  DataMatrix rows(n, d);
  for (Index i = 0; i < n; ++i) {
    for (Index j = 0; j < d; ++j) rows(i, j) = normal(engine);
  }
  return rows;
}

// The fit uses 1/M like Sigma0: mean and covariance of four points by hand.
TEST(FitGaussian, MaximumLikelihoodMeanAndCovariance) {
  DataMatrix x(4, 2);
  x << 0, 0, 2, 0, 0, 2, 2, 2;
  const Gaussian g = fit_gaussian(x);
  EXPECT_DOUBLE_EQ(g.mean(0), 1.0);
  EXPECT_DOUBLE_EQ(g.mean(1), 1.0);
  EXPECT_DOUBLE_EQ(g.covariance(0, 0), 1.0);
  EXPECT_DOUBLE_EQ(g.covariance(1, 1), 1.0);
  EXPECT_DOUBLE_EQ(g.covariance(0, 1), 0.0);
}

// Along a unit direction u the variance is u^T Sigma u: for the square above and
// u = (1, 1)/sqrt(2) that is 1.
TEST(VarianceAlong, ProjectsTheCovariance) {
  DataMatrix x(4, 2);
  x << 0, 0, 2, 0, 0, 2, 2, 2;
  Matrix u(2, 2);
  u << 1, 1, 0, 1;
  u.col(1) /= std::sqrt(2.0);
  const Vector v = variance_along(x, u);
  EXPECT_NEAR(v(0), 1.0, 1e-12);
  EXPECT_NEAR(v(1), 1.0, 1e-12);
}

// Blocked GEMM search equals the brute-force double loop, with blocks that do not divide N.
TEST(NearestTwo, MatchesBruteForce) {
  const DataMatrix reference = gaussian_rows(103, 7, 1), queries = gaussian_rows(29, 7, 2);
  const NearestTwo found = nearest_two(queries, reference, 10);
  for (Index i = 0; i < queries.rows(); ++i) {
    double best = 1e300, second = 1e300;
    Index arg = -1;
    for (Index j = 0; j < reference.rows(); ++j) {
      const double dist = (queries.row(i) - reference.row(j)).cast<double>().norm();
      if (dist < best) {
        second = best, best = dist, arg = j;
      } else if (dist < second) {
        second = dist;
      }
    }
    EXPECT_NEAR(found.first(i), best, 1e-4);
    EXPECT_NEAR(found.second(i), second, 1e-4);
    EXPECT_EQ(found.nearest[static_cast<std::size_t>(i)], arg);
  }
}

// Exact copies of training points are memorised (ratio 0), fresh draws from the same
// Gaussian in d = 20 are not; the bootstrap interval contains the estimate.
TEST(Memorisation, CopiesCountAndFreshSamplesDoNot) {
  const DataMatrix train = gaussian_rows(200, 20, 3);
  DataMatrix samples(100, 20);
  samples.topRows(30) = train.topRows(30);
  samples.bottomRows(70) = gaussian_rows(70, 20, 4);
  const MemorisationEstimate m = memorisation(nearest_two(samples, train), 1.0 / 3.0, 500, 5);
  EXPECT_DOUBLE_EQ(m.fraction, 0.3);
  EXPECT_LE(m.lower, 0.3);
  EXPECT_GE(m.upper, 0.3);
  EXPECT_GT(m.upper - m.lower, 0.05);  // 100 samples: the interval is about +-0.09 wide
  EXPECT_LT(m.upper - m.lower, 0.3);
}

TEST(NearestTwo, RejectsBadShapes) {
  EXPECT_THAT([] { nearest_two(gaussian_rows(3, 4, 1), gaussian_rows(1, 4, 2)); },
              ThrowsMessage<std::invalid_argument>(HasSubstr("at least two reference rows")));
  EXPECT_THAT([] { nearest_two(gaussian_rows(3, 4, 1), gaussian_rows(5, 3, 2)); },
              ThrowsMessage<std::invalid_argument>(HasSubstr("nearest_two: the queries is 3 x 4, expected any x 3")));
}

}  // namespace
}  // namespace lindiff
