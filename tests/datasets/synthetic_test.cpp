#include "datasets/synthetic.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "datasets/registry.h"
#include "src/common/error.h"
#include "src/theory/moments.h"
#include "src/theory/spectrum_stats.h"

namespace lindiff {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::ThrowsMessage;

DatasetSpec synthetic_spec(double k, const std::string& basis, std::int64_t n_train) {
  DatasetSpec spec;
  spec.name = "synthetic";
  spec.seed = 5;
  spec.synthetic = SyntheticSpec{};
  spec.synthetic->shape = {4, 4};
  spec.synthetic->k = k;
  spec.synthetic->basis = basis;
  spec.synthetic->mean = 0.5;
  spec.synthetic->n_train = n_train;
  spec.synthetic->n_test = 100;
  resolve_dataset_spec(spec, "", [](const std::string& key, const std::string& m) { throw ConfigError(key + m); });
  return spec;
}

TEST(Synthetic, ExactPopulationHasPowerLawSpectrumWithTraceD) {
  const Dataset data = load_dataset(synthetic_spec(1.5, "random", 10));
  ASSERT_TRUE(data.exact.has_value());
  EXPECT_EQ(data.label, "synthetic_k1.5");
  EXPECT_EQ(data.dim(), 16);
  EXPECT_NEAR(data.exact->covariance.trace(), 16.0, 1e-10);
  EXPECT_LT((data.exact->eigen.values - power_law_spectrum(16, 1.5)).cwiseAbs().maxCoeff(), 1e-14);
  const Matrix& u = data.exact->eigen.vectors;
  EXPECT_LT((u.transpose() * u - Matrix::Identity(16, 16)).cwiseAbs().maxCoeff(), 1e-12);
  EXPECT_TRUE(data.exact->mean.isApprox(Vector::Constant(16, 0.5)));
}

TEST(Synthetic, IdentityBasisGivesDiagonalCovariance) {
  const Dataset data = load_dataset(synthetic_spec(1.0, "identity", 10));
  const Matrix off_diagonal = data.exact->covariance - Matrix(data.exact->covariance.diagonal().asDiagonal());
  EXPECT_EQ(off_diagonal.cwiseAbs().maxCoeff(), 0.0);
  EXPECT_NEAR(data.exact->covariance(0, 0) / data.exact->covariance(3, 3), 4.0, 1e-12);
}

// With N = 20000 samples the relative covariance error is about (1 + d_eff)/N ~ 4e-4;
// 10x that bounds a correct generator with overwhelming probability.
TEST(Synthetic, SampleMomentsMatchThePopulation) {
  const Dataset data = load_dataset(synthetic_spec(1.0, "random", 20000));
  const Moments m = empirical_moments(data.pool);
  const double d_eff = participation_ratio(data.exact->eigen.values);
  EXPECT_LT(relative_frobenius_error(m.covariance, data.exact->covariance), 10 * (1 + d_eff) / 20000.0);
  EXPECT_LT((m.mean - data.exact->mean).cwiseAbs().maxCoeff(), 5 * std::sqrt(16.0 / 20000));
}

TEST(Synthetic, SameSeedSameData) {
  const Dataset a = load_dataset(synthetic_spec(1.0, "random", 50));
  const Dataset b = load_dataset(synthetic_spec(1.0, "random", 50));
  EXPECT_TRUE(a.pool == b.pool);
  EXPECT_TRUE(a.test == b.test);
}

TEST(NestedSubset, SmallerSubsetsArePrefixesOfLargerOnes) {
  const Dataset data = load_dataset(synthetic_spec(1.0, "identity", 500));
  const auto small = nested_subset(data, 50, 9);
  const auto large = nested_subset(data, 400, 9);
  ASSERT_EQ(small.size(), 50u);
  EXPECT_TRUE(std::equal(small.begin(), small.end(), large.begin()));
  std::vector<Index> sorted = large;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_TRUE(std::adjacent_find(sorted.begin(), sorted.end()) == sorted.end()) << "indices repeat";
  EXPECT_NE(nested_subset(data, 50, 10), small) << "a different seed should draw a different subset";
}

TEST(NestedSubset, TooLargeNNamesDatasetAndPoolSize) {
  const Dataset data = load_dataset(synthetic_spec(1.0, "identity", 30));
  EXPECT_THAT([&] { nested_subset(data, 31, 0); },
              ThrowsMessage<ConfigError>(
                  AllOf(HasSubstr("N = 31"), HasSubstr("30 samples"), HasSubstr("synthetic_k1"))));
}

}  // namespace
}  // namespace lindiff
