#include "src/theory/moments.h"

#include <gtest/gtest.h>

#include <random>

#include "src/common/random_matrices.h"

namespace lindiff {
namespace {

TEST(EmpiricalMoments, MatchesHandComputedValues) {
  DataMatrix x(3, 2);
  x << 1, 2,  //
      3, 6,   //
      5, 4;
  const Moments m = empirical_moments(x);
  EXPECT_EQ(m.count, 3);
  EXPECT_DOUBLE_EQ(m.mean(0), 3.0);
  EXPECT_DOUBLE_EQ(m.mean(1), 4.0);
  // Deviations (-2,-2), (0,2), (2,0); 1/N normalisation.
  EXPECT_NEAR(m.covariance(0, 0), 8.0 / 3.0, 1e-12);
  EXPECT_NEAR(m.covariance(1, 1), 8.0 / 3.0, 1e-12);
  EXPECT_NEAR(m.covariance(0, 1), 4.0 / 3.0, 1e-12);
  EXPECT_NEAR(m.covariance(1, 0), 4.0 / 3.0, 1e-12);
}

TEST(EmpiricalMoments, BlockedAccumulationEqualsDirectFormula) {
  std::mt19937_64 rng(1);
  // 10000 rows span three accumulation blocks of 4096.
  const DataMatrix x = gaussian_matrix(10000, 7, rng).cast<float>();
  const Moments m = empirical_moments(x);
  const Matrix xd = x.cast<double>();
  const Matrix centered = xd.rowwise() - xd.colwise().mean();
  const Matrix direct = centered.transpose() * centered / 10000.0;
  EXPECT_LT((m.covariance - direct).cwiseAbs().maxCoeff(), 1e-12);
  EXPECT_TRUE(m.covariance.isApprox(m.covariance.transpose(), 0));
}

TEST(EmpiricalMoments, RejectsEmptyData) {
  EXPECT_THROW(empirical_moments(DataMatrix(0, 4)), std::invalid_argument);
}

}  // namespace
}  // namespace lindiff
