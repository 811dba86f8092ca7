#include "src/theory/eigen_system.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <random>
#include <stdexcept>

#include "src/common/error.h"
#include "src/common/random_matrices.h"
#include "src/theory/moments.h"

namespace lindiff {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::ThrowsMessage;

class SymmetricEigenTest : public ::testing::TestWithParam<EigenSolver> {
 protected:
  void SetUp() override {
    if (GetParam() == EigenSolver::kLapackDivideAndConquer && !lapack_available()) {
      GTEST_SKIP() << "this build has no LAPACK (LINDIFF_WITH_LAPACK=OFF)";
    }
  }
};

TEST_P(SymmetricEigenTest, RecoversKnownSpectrumAndBasis) {
  std::mt19937_64 rng(7);
  const Index d = 50;
  const Matrix u = haar_orthogonal(d, rng);
  Vector values(d);
  for (Index i = 0; i < d; ++i) values(i) = 1.0 / (i + 1);  // distinct, descending
  const Matrix s = u * values.asDiagonal() * u.transpose();
  const EigenSystem e = symmetric_eigen(s, GetParam());
  ASSERT_EQ(e.dim(), d);
  ASSERT_EQ(e.explicit_count(), d);
  EXPECT_LT((e.values - values).cwiseAbs().maxCoeff(), 1e-12);
  // Eigenvectors agree up to sign: |<u_i, v_i>| = 1.
  for (Index i = 0; i < d; ++i) EXPECT_NEAR(std::abs(u.col(i).dot(e.vectors.col(i))), 1.0, 1e-9);
  EXPECT_LT((e.vectors * e.values.asDiagonal() * e.vectors.transpose() - s).cwiseAbs().maxCoeff(), 1e-12);
}

INSTANTIATE_TEST_SUITE_P(Solvers, SymmetricEigenTest,
                         ::testing::Values(EigenSolver::kLapackDivideAndConquer, EigenSolver::kEigen));

TEST(SymmetricEigen, RejectsNonSquareMatrix) {
  EXPECT_THROW(symmetric_eigen(Matrix::Zero(3, 4), EigenSolver::kEigen), std::invalid_argument);
}

TEST_P(SymmetricEigenTest, NonFiniteInputIsANumericError) {
  Matrix s = Matrix::Identity(4, 4);
  s(1, 1) = std::numeric_limits<double>::quiet_NaN();
  EXPECT_THROW(symmetric_eigen(s, GetParam()), NumericError);
  s(1, 1) = std::numeric_limits<double>::infinity();
  EXPECT_THROW(symmetric_eigen(s, GetParam()), NumericError);
}

TEST(ParseEigenSolver, NamesValidChoicesForUnknownSolver) {
  EXPECT_EQ(parse_eigen_solver("eigen"), EigenSolver::kEigen);
  EXPECT_EQ(parse_eigen_solver("auto"), default_eigen_solver());
  EXPECT_THAT([] { parse_eigen_solver("qr"); }, ThrowsMessage<std::invalid_argument>(HasSubstr("auto, dsyevd, eigen")));
}

TEST(ParseEigenSolver, DsyevdWhereLapackIsLinkedAndANamedRefusalElsewhere) {
  if (lapack_available()) {
    EXPECT_EQ(parse_eigen_solver("dsyevd"), EigenSolver::kLapackDivideAndConquer);
    EXPECT_EQ(default_eigen_solver(), EigenSolver::kLapackDivideAndConquer);
  } else {
    EXPECT_THAT([] { parse_eigen_solver("dsyevd"); },
                ThrowsMessage<std::invalid_argument>(AllOf(HasSubstr("LAPACK"), HasSubstr("LINDIFF_WITH_LAPACK"))));
    EXPECT_EQ(default_eigen_solver(), EigenSolver::kEigen);
  }
}

TEST(GramEigen, EqualsCovarianceRouteForFewSamples) {
  std::mt19937_64 rng(3);
  const Index n = 20, d = 60;
  const DataMatrix x = gaussian_matrix(n, d, rng).cast<float>();
  const Moments m = empirical_moments(x);
  const EigenSystem direct = symmetric_eigen(m.covariance, default_eigen_solver());
  Matrix centered = x.cast<double>();
  centered.rowwise() -= m.mean.transpose();
  const EigenSystem gram = gram_eigen(centered, default_eigen_solver());

  ASSERT_EQ(gram.dim(), d);
  // Centring removes one direction: N - 1 non-zero eigenvalues.
  EXPECT_EQ(gram.explicit_count(), n - 1);
  EXPECT_LT((gram.values - direct.values).cwiseAbs().maxCoeff(), 1e-12);
  for (Index i = n - 1; i < d; ++i) EXPECT_EQ(gram.values(i), 0.0);
  for (Index i = 0; i < n - 1; ++i) {
    EXPECT_NEAR(std::abs(gram.vectors.col(i).dot(direct.vectors.col(i))), 1.0, 1e-9) << "eigenvector " << i;
  }
  // The explicit columns are orthonormal.
  const Matrix gram_of_vectors = gram.vectors.transpose() * gram.vectors;
  EXPECT_LT((gram_of_vectors - Matrix::Identity(n - 1, n - 1)).cwiseAbs().maxCoeff(), 1e-10);
}

}  // namespace
}  // namespace lindiff
