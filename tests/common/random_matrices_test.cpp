#include "src/common/random_matrices.h"

#include <gtest/gtest.h>

#include <random>

namespace lindiff {
namespace {

// The entries are the stream of one normal distribution, filled column by column.
TEST(GaussianMatrix, FilledColumnByColumnFromTheSeed) {
  std::mt19937_64 rng(3), same(3);
  const Matrix a = gaussian_matrix(3, 2, rng);
  std::normal_distribution<double> normal;
  for (Index j = 0; j < 2; ++j) {
    for (Index i = 0; i < 3; ++i) EXPECT_EQ(a(i, j), normal(same)) << i << "," << j;
  }
  std::mt19937_64 again(3);
  EXPECT_TRUE(gaussian_matrix(3, 2, again) == a);
}

TEST(HaarOrthogonal, OrthogonalToRoundOff) {
  std::mt19937_64 rng(11);
  for (Index d : {1, 2, 7, 40}) {
    const Matrix q = haar_orthogonal(d, rng);
    ASSERT_EQ(q.rows(), d);
    ASSERT_EQ(q.cols(), d);
    EXPECT_LT((q.transpose() * q - Matrix::Identity(d, d)).cwiseAbs().maxCoeff(), 1e-12) << d;
    EXPECT_LT((q * q.transpose() - Matrix::Identity(d, d)).cwiseAbs().maxCoeff(), 1e-12) << d;
  }
}

TEST(HaarOrthogonal, DeterministicPerSeed) {
  std::mt19937_64 a(5), b(5), c(6);
  const Matrix first = haar_orthogonal(6, a);
  EXPECT_TRUE(haar_orthogonal(6, b) == first);
  EXPECT_FALSE(haar_orthogonal(6, c) == first);
}

// Q is the orthogonal factor of the Gaussian matrix drawn from the same stream, with the
// column signs that make R = Q^T A upper triangular with a non-negative diagonal (the unique
// such factorisation, which makes Q exactly Haar distributed).
TEST(HaarOrthogonal, ColumnSignsMakeTheDiagonalOfRNonNegative) {
  const Index d = 8;
  for (std::uint64_t seed : {1u, 2u, 3u, 4u}) {
    std::mt19937_64 rng(seed), same(seed);
    const Matrix q = haar_orthogonal(d, rng);
    const Matrix a = gaussian_matrix(d, d, same);
    const Matrix r = q.transpose() * a;
    for (Index j = 0; j < d; ++j) {
      EXPECT_GE(r(j, j), 0.0) << "seed " << seed << ", column " << j;
      for (Index i = j + 1; i < d; ++i) EXPECT_NEAR(r(i, j), 0.0, 1e-12) << "seed " << seed << ", " << i << "," << j;
    }
    EXPECT_LT((q * r.triangularView<Eigen::Upper>() - a).cwiseAbs().maxCoeff(), 1e-12) << seed;
  }
}

}  // namespace
}  // namespace lindiff
