#include "src/evaluation/linearisation.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

#include <torch/torch.h>

#include "src/denoisers/registry.h"

namespace lindiff {
namespace {

// The affine map x0_hat = A x + b of a linear denoiser at timestep t, read from its predictions
// at 0 and at the basis vectors (column i of A = x0_hat(e_i) - x0_hat(0)): a reference that does
// not know how the denoiser stores its weights.
at::Tensor affine_map(const Denoiser& denoiser, std::int64_t d, std::int64_t t) {
  torch::NoGradGuard no_grad;
  const at::Tensor basis = torch::cat({torch::zeros({1, d}), torch::eye(d)}).to(torch::kFloat);
  const at::Tensor x0 = denoiser.predict(basis, torch::full({d + 1}, t, torch::kLong), Objective::kData).to(torch::kDouble);
  return (x0.narrow(0, 1, d) - x0[0]).t();  // [p, i]
}

// For an affine denoiser of either objective the Jacobian row is the row of its x0 map, whatever
// the input: here lindiff's linear model with random weights (issue 23: it must equal W_t's row).
TEST(Linearisation, TheLinearModelsJacobianRowIsItsOwnRow) {
  const Schedule schedule = Schedule::linear(10);
  TrainingSpec training;
  const std::int64_t d = 6;
  for (const Objective objective : {Objective::kNoise, Objective::kData}) {
    TrainableModel model = find_denoiser_kind("linear").build(
        ModelInputs{training, objective, 0, 0, ImageShape{1, 2, 3}, schedule, torch::zeros({d})});
    {
      torch::NoGradGuard no_grad;
      torch::manual_seed(2);
      for (at::Tensor& parameter : model.target.parameters) parameter.normal_(0, 0.3);
    }
    const at::Tensor x = torch::randn({3, d});
    for (const std::int64_t t : {1, 6, 10}) {
      const at::Tensor map = affine_map(*model.denoiser, d, t);
      for (const std::int64_t p : {0, 4}) {
        const at::Tensor rows = jacobian_rows(*model.denoiser, x, torch::full({3}, t, torch::kLong), p).to(torch::kDouble);
        for (std::int64_t b = 0; b < 3; ++b) {
          EXPECT_LT((rows[b] - map[p]).abs().max().item<double>(), 2e-4 * (1 + map[p].abs().max().item<double>()))
              << objective << " t = " << t << " p = " << p;
        }
      }
    }
  }
}

// An analytic denoiser computed without a graph has no Jacobian here, and says so.
TEST(Linearisation, ADenoiserWithoutAGradientIsRefused) {
  const Schedule schedule = Schedule::linear(10);
  const FunctionDenoiser constant(schedule, Objective::kData, torch::kCPU,
                                  [](const at::Tensor& x, const at::Tensor&) { return torch::zeros_like(x); });
  EXPECT_THROW(jacobian_rows(constant, torch::ones({2, 3}), torch::ones({2}, torch::kLong), 0), std::invalid_argument);
}

// The radius holding 90% of the squared mass, by hand on 3x4 images with two channels: pixel
// (1, 1) is coordinate 5 (and 17 in the second channel).
TEST(Linearisation, MassRadiusCountsPixelsByDistance) {
  const ImageShape shape{2, 3, 4};
  at::Tensor row = torch::zeros({24}, torch::kDouble);
  EXPECT_EQ(mass_radius(row, shape, 5), 0.0);
  row[5] = 1;
  EXPECT_EQ(mass_radius(row, shape, 5), 0.0);
  row[17] = 1;  // the same pixel, second channel: distance 0
  EXPECT_EQ(mass_radius(row, shape, 5), 0.0);
  row[5 + 2] = 3;  // pixel (1, 3): distance 2, 9 of 11
  EXPECT_EQ(mass_radius(row, shape, 5), 2.0);
  EXPECT_EQ(mass_radius(row, shape, 5, 0.15), 0.0);
  row[4 * 2 + 2] = 1;  // pixel (2, 2): distance sqrt(2), 1 more: 3 of 12 within sqrt(2), 12 of 12 within 2
  EXPECT_DOUBLE_EQ(mass_radius(row, shape, 5, 0.25), std::sqrt(2.0));
  EXPECT_EQ(mass_radius(row, shape, 5), 2.0);
  EXPECT_DOUBLE_EQ(row_cosine(torch::tensor({1.0, 0.0}), torch::tensor({1.0, 1.0})), 1 / std::sqrt(2.0));
  EXPECT_EQ(row_cosine(torch::zeros({2}), torch::ones({2})), 0.0);
}

}  // namespace
}  // namespace lindiff
