#include "src/denoisers/wiener_locality.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include <torch/torch.h>

#include "src/denoisers/empirical_denoiser.h"

namespace lindiff {
namespace {

// A covariance with a coupled pair (0, 1), an independent coordinate 2 and a constant one 3: at
// abar = 1/2 the gain of the pair is 0.75 P(1,1) + 0.5 P(1,-1) = [[0.625, 0.125], [0.125, 0.625]]
// (eigenvalues 3 and 1), so coordinate 1 is 0.2 of the largest entry of row 0.
TEST(WienerLocality, MasksOfAHandBuiltCovariance) {
  const at::Tensor covariance = torch::tensor({{2.0, 1.0, 0.0, 0.0}, {1.0, 2.0, 0.0, 0.0}, {0.0, 0.0, 1.0, 0.0}, {0.0, 0.0, 0.0, 0.0}},
                                              torch::kDouble);
  const auto [values, vectors] = torch::linalg_eigh(covariance);
  const at::Tensor gain = wiener_gain(values, vectors, 0.5);
  const at::Tensor expected_gain =
      torch::tensor({{0.625, 0.125, 0.0, 0.0}, {0.125, 0.625, 0.0, 0.0}, {0.0, 0.0, 0.5, 0.0}, {0.0, 0.0, 0.0, 0.0}}, torch::kDouble);
  EXPECT_LT((gain - expected_gain).abs().max().item<double>(), 1e-12);
  const at::Tensor loose = torch::tensor({{1.0, 1.0, 0.0, 0.0}, {1.0, 1.0, 0.0, 0.0}, {0.0, 0.0, 1.0, 0.0}, {0.0, 0.0, 0.0, 1.0}},
                                         torch::kDouble);
  EXPECT_TRUE(wiener_locality_masks(gain, 0.005).equal(loose));  // round-off entries (1e-17) stay out
  EXPECT_TRUE(wiener_locality_masks(gain, 0.1).equal(loose));
  EXPECT_TRUE(wiener_locality_masks(gain, 0.3).equal(torch::eye(4, torch::kDouble)));  // 0.2 < 0.3
}

// The denoiser by brute force in double: the gain from the inverse formula, masks, and per
// coordinate one softmax over the training rows of the masked distance.
at::Tensor masked_brute_force(const at::Tensor& rows, const at::Tensor& x, const std::vector<double>& abar, double threshold) {
  const std::int64_t n = rows.size(0), d = rows.size(1);
  const at::Tensor centred = rows - rows.mean(0);
  const at::Tensor covariance = centred.t().mm(centred) / static_cast<double>(n);
  at::Tensor out = torch::zeros_like(x);
  for (std::int64_t b = 0; b < x.size(0); ++b) {
    const double a = abar[static_cast<std::size_t>(b)];
    const at::Tensor gain = a * covariance.mm(torch::inverse(a * covariance + (1 - a) * torch::eye(d, torch::kDouble)));
    for (std::int64_t p = 0; p < d; ++p) {
      double largest = 0;
      for (std::int64_t q = 0; q < d; ++q) largest = std::max(largest, std::abs(gain[p][q].item<double>()));
      std::vector<double> logits;
      for (std::int64_t i = 0; i < n; ++i) {
        double distance = 0;
        for (std::int64_t q = 0; q < d; ++q) {
          const bool in_mask = largest == 0 ? q == p : std::abs(gain[p][q].item<double>()) >= threshold * largest;
          if (!in_mask) continue;
          const double diff = x[b][q].item<double>() - std::sqrt(a) * rows[i][q].item<double>();
          distance += diff * diff;
        }
        logits.push_back(-distance / (2 * (1 - a)));
      }
      const double top = *std::max_element(logits.begin(), logits.end());
      double total = 0, mean = 0;
      for (std::int64_t i = 0; i < n; ++i) {
        const double w = std::exp(logits[static_cast<std::size_t>(i)] - top);
        total += w;
        mean += w * rows[i][p].item<double>();
      }
      out[b][p] = mean / total;
    }
  }
  return out;
}

struct CorrelatedQueries {
  Schedule schedule = Schedule::linear(10);
  at::Tensor t = torch::tensor({1, 4, 4, 10}, torch::kLong);
  std::vector<double> abar;
  at::Tensor rows, x;
  explicit CorrelatedQueries(std::int64_t d) {
    torch::manual_seed(5);
    // Correlated rows: a random mixing of independent coordinates, so the masks are neither full nor diagonal.
    rows = torch::randn({7, d}, torch::kDouble).mm(torch::randn({d, d}, torch::kDouble) * 0.5 + torch::eye(d, torch::kDouble));
    x = torch::randn({4, d}, torch::kDouble);
    for (std::int64_t q = 0; q < 4; ++q) abar.push_back(schedule.abar(static_cast<int>(t[q].item<std::int64_t>())));
  }
};

// Against the brute-force loop at several thresholds, with two queries sharing a timestep:
// 1e-10 in double, 1e-5 in float; and independent of the block of training rows.
TEST(WienerLocality, MatchesABruteForceLoop) {
  const CorrelatedQueries q(6);
  for (const double threshold : {0.005, 0.3, 0.7}) {
    const at::Tensor expected = masked_brute_force(q.rows, q.x, q.abar, threshold);
    const at::Tensor got = wiener_local_denoiser(q.rows, threshold, q.schedule, torch::kCPU)->predict(q.x, q.t, Objective::kData);
    EXPECT_LT((got - expected).abs().max().item<double>(), 1e-10) << threshold;
    const at::Tensor in_blocks_of_two =
        wiener_local_denoiser(q.rows, threshold, q.schedule, torch::kCPU, 2)->predict(q.x, q.t, Objective::kData);
    EXPECT_LT((in_blocks_of_two - expected).abs().max().item<double>(), 1e-10) << threshold;
    const at::Tensor in_float = wiener_local_denoiser(q.rows.to(torch::kFloat), threshold, q.schedule, torch::kCPU)
                                    ->predict(q.x.to(torch::kFloat), q.t, Objective::kData);
    EXPECT_LT((in_float.to(torch::kDouble) - expected).abs().max().item<double>(), 1e-5) << threshold;
  }
}

// At threshold 0 every coordinate's distance is the whole image's: the empirical optimum.
TEST(WienerLocality, ThresholdZeroIsTheEmpiricalOptimum) {
  const CorrelatedQueries q(5);
  const at::Tensor root = torch::tensor(q.abar, torch::kDouble).sqrt();
  const at::Tensor expected = empirical_posterior_mean(q.x, root, 1 - root * root, q.rows);
  const at::Tensor got = wiener_local_denoiser(q.rows, 0.0, q.schedule, torch::kCPU)->predict(q.x, q.t, Objective::kData);
  EXPECT_LT((got - expected).abs().max().item<double>(), 1e-10);
}

}  // namespace
}  // namespace lindiff
