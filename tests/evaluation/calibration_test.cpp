// Calibration picks, per timestep, the candidate that predicts the network best on the first half
// of the queries and reports its r^2 on the second half.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <vector>

#include <torch/torch.h>

#include "src/evaluation/calibration.h"

namespace lindiff {
namespace {

using ::testing::HasSubstr;
using ::testing::ThrowsMessage;

// r^2 of `target` by `prediction` by hand.
double r_squared(const at::Tensor& prediction, const at::Tensor& target) {
  const at::Tensor p = prediction.to(torch::kDouble), y = target.to(torch::kDouble);
  return 1 - (p - y).pow(2).sum().item<double>() / (y - y.mean()).pow(2).sum().item<double>();
}

// At each t a different candidate is the network plus nothing, the others plus a scaled
// perturbation: each t chooses its own, with r^2 1 on both halves.
TEST(Calibrate, EachTimestepChoosesTheCandidateThatIsTheNetwork) {
  torch::manual_seed(1);
  const at::Tensor network = torch::randn({3, 6, 5}, torch::kDouble);
  const at::Tensor perturbation = torch::randn({3, 6, 5}, torch::kDouble);
  const std::map<double, std::vector<double>> scale = {  // candidate -> perturbation scale per t
      {3, {0.0, 0.5, 0.2}}, {5, {0.1, 0.0, 0.3}}, {7, {0.2, 0.1, 0.0}}};
  const Calibration c = calibrate({3, 5, 7}, [&](double value) {
    at::Tensor out = network.clone();
    for (std::int64_t g = 0; g < 3; ++g) out[g].add_(scale.at(value)[static_cast<std::size_t>(g)] * perturbation[g]);
    return out;
  }, network);
  EXPECT_EQ(c.best, (std::vector<double>{3, 5, 7}));
  for (std::size_t g = 0; g < 3; ++g) {
    EXPECT_DOUBLE_EQ(c.fit_r2[g], 1.0);
    EXPECT_DOUBLE_EQ(c.check_r2[g], 1.0);
  }
}

// The first half (queries 0..2 of 5) chooses; the score is the chosen candidate's on queries 3..4,
// even where another candidate would score better there.
TEST(Calibrate, TheFirstHalfChoosesAndTheSecondHalfScores) {
  torch::manual_seed(2);
  const at::Tensor network = torch::randn({1, 5, 4}, torch::kDouble);
  const at::Tensor noise = torch::randn({1, 5, 4}, torch::kDouble);
  at::Tensor fits_first = network.clone(), fits_second = network.clone();
  fits_first.narrow(1, 3, 2).add_(noise.narrow(1, 3, 2));         // exact on the choosing half only
  fits_second.narrow(1, 0, 3).add_(0.1 * noise.narrow(1, 0, 3));  // exact on the scoring half only
  const Calibration c = calibrate({1, 2}, [&](double value) { return value == 1 ? fits_first : fits_second; }, network);
  EXPECT_EQ(c.best, (std::vector<double>{1}));
  EXPECT_DOUBLE_EQ(c.fit_r2[0], 1.0);
  EXPECT_NEAR(c.check_r2[0], r_squared(fits_first[0].narrow(0, 3, 2), network[0].narrow(0, 3, 2)), 1e-12);
  EXPECT_LT(c.check_r2[0], 0.9);
}

TEST(Calibrate, TiesGoToTheEarlierCandidateAndOneQueryDoesBoth) {
  const at::Tensor network = torch::tensor({1.0, 2.0, 4.0}, torch::kDouble).reshape({1, 1, 3});
  const Calibration c = calibrate({9, 4}, [&](double) { return network * 0.5; }, network);
  EXPECT_EQ(c.best, (std::vector<double>{9}));
  const double expected = r_squared(network * 0.5, network);
  EXPECT_NEAR(c.fit_r2[0], expected, 1e-12);
  EXPECT_NEAR(c.check_r2[0], expected, 1e-12);
}

// A constant network output has no variation to explain: no candidate is chosen.
TEST(Calibrate, AConstantNetworkChoosesNothing) {
  const at::Tensor network = torch::ones({1, 4, 3}, torch::kDouble);
  const Calibration c = calibrate({3, 5}, [&](double value) { return network * value; }, network);
  EXPECT_TRUE(std::isnan(c.best[0]));
  EXPECT_TRUE(std::isnan(c.fit_r2[0]));
  EXPECT_TRUE(std::isnan(c.check_r2[0]));
}

TEST(Calibrate, NoCandidatesOrMismatchedShapesAreErrors) {
  const at::Tensor network = torch::zeros({2, 4, 3});
  EXPECT_THAT([&] { calibrate({}, [&](double) { return network; }, network); },
              ThrowsMessage<std::invalid_argument>(HasSubstr("no candidate")));
  EXPECT_THAT([&] { calibrate({1}, [&](double) { return torch::zeros({2, 4, 2}); }, network); },
              ThrowsMessage<std::invalid_argument>(HasSubstr("[G, M, d]")));
  EXPECT_THAT([&] { calibrate({1}, [&](double) { return network; }, torch::zeros({4, 3})); },
              ThrowsMessage<std::invalid_argument>(HasSubstr("[G, M, d]")));
}

// Between grid points g < h a timestep t is nearer to g in log t iff t^2 < g h: with the grid
// {1, 4, 16} the boundaries are the geometric midpoints 2 and 8, where ties go to the smaller t.
TEST(Calibrate, EachTimestepTakesTheSettingOfTheNearestGridPointInLogT) {
  const std::vector<double> settings = settings_per_timestep({1, 4, 16}, {3, 5, 7}, 20);
  std::vector<double> expected{3, 3};               // t = 1, 2 (the tie)
  expected.insert(expected.end(), 6, 5);            // t = 3..8 (8 the tie)
  expected.insert(expected.end(), 12, 7);           // t = 9..20
  EXPECT_EQ(settings, expected);
  // A grid point without a setting is left out: 1 and 6 then meet at sqrt(6).
  const double none = std::nan("");
  EXPECT_EQ(settings_per_timestep({1, 2, 6}, {3, none, 7}, 6), (std::vector<double>{3, 3, 7, 7, 7, 7}));
  EXPECT_TRUE(settings_per_timestep({1, 4}, {none, none}, 6).empty());
  // Below the grid the first point's setting, above it the last's.
  EXPECT_EQ(settings_per_timestep({3, 4}, {5, 7}, 6), (std::vector<double>{5, 5, 5, 7, 7, 7}));
}

// denoise.t may list its timesteps in any order or twice: the grid is taken in order of t.
TEST(Calibrate, SettingsPerTimestepTakeTheGridInAnyOrder) {
  EXPECT_EQ(settings_per_timestep({16, 1, 4, 4}, {7, 3, 5, 9}, 20), settings_per_timestep({1, 4, 16}, {3, 5, 7}, 20));
}

TEST(Calibrate, SettingsPerTimestepRefuseAGridOutsideTheChain) {
  EXPECT_THAT([] { settings_per_timestep({1, 11}, {3, 5}, 10); },
              ThrowsMessage<std::invalid_argument>(HasSubstr("grid timestep 11 outside 1..10")));
  EXPECT_THAT([] { settings_per_timestep({0}, {3}, 10); }, ThrowsMessage<std::invalid_argument>(HasSubstr("outside")));
  EXPECT_THAT([] { settings_per_timestep({1}, {3, 5}, 10); }, ThrowsMessage<std::invalid_argument>(HasSubstr("one setting")));
}

}  // namespace
}  // namespace lindiff
