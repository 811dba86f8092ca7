#include "src/analysis/dataset_context.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <stdexcept>

#include "tests/support/synthetic_data.h"

namespace lindiff {
namespace {

using ::testing::HasSubstr;
using ::testing::ThrowsMessage;

// Synthetic data in d = 16 (4 x 4) with spectrum nu^-k; the config keeps a short schedule.
testing::ExperimentWithData gaussian_data(double k, const std::string& basis) {
  SyntheticSpec synthetic;
  synthetic.shape = {4, 4};
  synthetic.k = k;
  synthetic.basis = basis;
  synthetic.mean = 0.7;
  synthetic.n_train = 64;
  synthetic.n_test = 16;
  testing::ExperimentWithData e = testing::synthetic_experiment(synthetic, 3);
  e.config.theory.steps = 50;
  return e;
}

// The minimum mean squared error per dimension of Gaussian data with eigenvalues lambda at
// x_t = sqrt(a) x0 + sqrt(1 - a) eps: predicting eps, a lambda / (a lambda + 1 - a); predicting
// x0, lambda (1 - a) / (a lambda + 1 - a).
double gaussian_mmse(const Vector& lambda, double a, bool noise) {
  double total = 0;
  for (Index i = 0; i < lambda.size(); ++i) {
    const double denominator = a * lambda(i) + 1 - a;
    total += noise ? a * lambda(i) / denominator : lambda(i) * (1 - a) / denominator;
  }
  return total / static_cast<double>(lambda.size());
}

TEST(BayesLoss, IsTheMinimumMeanSquaredErrorOfGaussianData) {
  for (const double k : {0.0, 1.0}) {
    const testing::ExperimentWithData e = gaussian_data(k, k == 0 ? "identity" : "random");
    const DatasetContext context(e.config.datasets[0], e.dataset, e.config);
    ASSERT_TRUE(context.has_bayes_loss());
    const Vector& lambda = e.dataset.exact->eigen.values;
    const Vector& noise = context.bayes_test_loss(Objective::kNoise);
    const Vector& data = context.bayes_test_loss(Objective::kData);
    ASSERT_EQ(noise.size(), 50);
    for (int t = 1; t <= 50; ++t) {
      const double a = context.schedule().abar(t);
      EXPECT_NEAR(noise(t - 1), gaussian_mmse(lambda, a, true), 1e-12) << "k = " << k << ", t = " << t;
      EXPECT_NEAR(data(t - 1), gaussian_mmse(lambda, a, false), 1e-12) << "k = " << k << ", t = " << t;
    }
  }
}

TEST(DatasetContext, ComputesEachTrainingSetOnce) {
  const testing::ExperimentWithData e = gaussian_data(1.0, "random");
  const DatasetContext context(e.config.datasets[0], e.dataset, e.config);
  const TrainingSet& first = context.training_set(32);
  EXPECT_EQ(&context.training_set(32), &first);
  EXPECT_EQ(&context.training_modes(32), &context.training_modes(32));
  EXPECT_EQ(first.moments.count, 32);
  // The training set of size N is the first N rows of the one permuted pool.
  EXPECT_EQ(context.training_rows(32).row(5), context.permuted_pool().row(5));
}

TEST(DatasetContext, DataWithoutAnExactPopulationHasNoBayesLoss) {
  testing::ExperimentWithData e = gaussian_data(1.0, "random");
  e.dataset.exact.reset();  // as image data: the population is the held-out split
  const DatasetContext context(e.config.datasets[0], e.dataset, e.config);
  EXPECT_FALSE(context.has_bayes_loss());
  EXPECT_EQ(context.population().count, 16);
  EXPECT_THAT([&] { context.bayes_test_loss(Objective::kNoise); },
              ThrowsMessage<std::invalid_argument>(HasSubstr("has no exact population")));
}

}  // namespace
}  // namespace lindiff
