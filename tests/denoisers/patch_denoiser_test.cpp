#include "src/denoisers/patch_denoiser.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <tuple>
#include <vector>

#include <torch/torch.h>

#include "src/denoisers/empirical_denoiser.h"

namespace lindiff {
namespace {

using ::testing::HasSubstr;
using ::testing::ThrowsMessage;

// Channel c at (i, j) of the image in row `row` of `images` [*, C H W] (channel planes): wrapped
// around the borders, or 0 outside the image.
double pixel(const at::Tensor& images, std::int64_t row, const ImageShape& s, int c, int i, int j, bool circular) {
  if (circular) {
    i = ((i % s.height) + s.height) % s.height;
    j = ((j % s.width) + s.width) % s.width;
  }
  if (i < 0 || i >= s.height || j < 0 || j >= s.width) return 0;
  return images[row][(c * s.height + i) * s.width + j].item<double>();
}

// The candidate locations of pixel (i, j), written from the definitions in docs/theory.md#local-score-machines.
std::vector<std::pair<int, int>> candidate_locations(const PatchSpec& spec, const ImageShape& s, int i, int j) {
  const int r = spec.size / 2;
  std::vector<std::pair<int, int>> out;
  const auto inner = [&](int k, int n) { return k >= r && k <= n - 1 - r; };
  for (int a = 0; a < s.height; ++a) {
    for (int b = 0; b < s.width; ++b) {
      bool keep = false;
      switch (spec.machine) {
        case PatchMachine::kLs: keep = a == i && b == j; break;
        case PatchMachine::kEls: keep = spec.padding != ElsPadding::kKambGanguli || (inner(a, s.height) && inner(b, s.width)); break;
        case PatchMachine::kBbEls:
          keep = (inner(i, s.height) ? inner(a, s.height) : a == i) && (inner(j, s.width) ? inner(b, s.width) : b == j);
          break;
      }
      if (keep) out.emplace_back(a, b);
    }
  }
  return out;
}

// The machine by brute force in double: for every query, pixel and candidate (image, location),
// the patch distance summed pixel by pixel, then one softmax and the mean of the centres.
at::Tensor brute_force(const PatchSpec& spec, const at::Tensor& rows, const at::Tensor& x, const std::vector<double>& abar,
                       const ImageShape& s) {
  const bool els = spec.machine == PatchMachine::kEls;
  const bool query_circular = els && spec.padding != ElsPadding::kZero;
  const bool training_circular = els && spec.padding == ElsPadding::kCircular;
  const int r = spec.size / 2;
  at::Tensor out = torch::zeros(x.sizes(), torch::kDouble);
  for (std::int64_t q = 0; q < x.size(0); ++q) {
    const double root = std::sqrt(abar[q]), noise = 1 - abar[q];
    for (int i = 0; i < s.height; ++i) {
      for (int j = 0; j < s.width; ++j) {
        std::vector<double> logits;
        std::vector<std::vector<double>> centres;
        for (std::int64_t n = 0; n < rows.size(0); ++n) {
          for (const auto& [a, b] : candidate_locations(spec, s, i, j)) {
            double distance = 0;
            for (int c = 0; c < s.channels; ++c) {
              for (int di = -r; di <= r; ++di) {
                for (int dj = -r; dj <= r; ++dj) {
                  const double diff = pixel(x, q, s, c, i + di, j + dj, query_circular) -
                                      root * pixel(rows, n, s, c, a + di, b + dj, training_circular);
                  distance += diff * diff;
                }
              }
            }
            logits.push_back(-distance / (2 * noise));
            std::vector<double> centre;
            for (int c = 0; c < s.channels; ++c) centre.push_back(pixel(rows, n, s, c, a, b, false));
            centres.push_back(centre);
          }
        }
        const double top = *std::max_element(logits.begin(), logits.end());
        double total = 0;
        std::vector<double> mean(static_cast<std::size_t>(s.channels), 0.0);
        for (std::size_t k = 0; k < logits.size(); ++k) {
          const double w = std::exp(logits[k] - top);
          total += w;
          for (int c = 0; c < s.channels; ++c) mean[static_cast<std::size_t>(c)] += w * centres[k][static_cast<std::size_t>(c)];
        }
        for (int c = 0; c < s.channels; ++c) out[q][(c * s.height + i) * s.width + j] = mean[static_cast<std::size_t>(c)] / total;
      }
    }
  }
  return out;
}

// Queries at t = 1, 4, 10 of a 10-step chain: x_t of held-out images, so that the softmaxes are
// neither one-hot nor flat.
struct Queries {
  Schedule schedule = Schedule::linear(10);
  at::Tensor t = torch::tensor({1, 4, 10}, torch::kLong);
  std::vector<double> abar;
  at::Tensor rows, x;

  Queries(const ImageShape& shape, std::int64_t n) {
    torch::manual_seed(11);
    rows = torch::rand({n, shape.size()}, torch::kDouble);
    const at::Tensor clean = torch::rand({3, shape.size()}, torch::kDouble);
    x = clean.clone();
    for (std::int64_t q = 0; q < 3; ++q) {
      const int step = static_cast<int>(t[q].item<std::int64_t>());
      abar.push_back(schedule.abar(step));
      x[q] = std::sqrt(abar.back()) * clean[q] + std::sqrt(1 - abar.back()) * 0.3 * torch::randn({shape.size()}, torch::kDouble);
    }
  }
};

std::string name_of(const PatchSpec& spec) {
  const char* names[] = {"ls", "els", "bbels"};
  return std::string(names[static_cast<int>(spec.machine)]) + " P = " + std::to_string(spec.size) + " " +
         enum_name(spec.padding);
}

// Every machine and convention against the brute-force loop, on grey and colour images, square
// and not: 1e-10 in double, 1e-5 in float.
TEST(PatchMachines, EachMachineMatchesABruteForceLoop) {
  const std::vector<PatchSpec> specs = {
      {PatchMachine::kLs, 3, ElsPadding::kZero},          {PatchMachine::kEls, 3, ElsPadding::kKambGanguli},
      {PatchMachine::kEls, 3, ElsPadding::kCircular},     {PatchMachine::kEls, 3, ElsPadding::kZero},
      {PatchMachine::kBbEls, 3, ElsPadding::kKambGanguli}, {PatchMachine::kLs, 5, ElsPadding::kZero},
      {PatchMachine::kBbEls, 5, ElsPadding::kKambGanguli}};
  for (const ImageShape& shape : {ImageShape{1, 4, 5}, ImageShape{3, 3, 3}, ImageShape{2, 5, 4}}) {
    const Queries setup(shape, 6);
    for (const PatchSpec& spec : specs) {
      if (spec.size == 5 && spec.machine == PatchMachine::kEls) continue;
      const at::Tensor expected = brute_force(spec, setup.rows, setup.x, setup.abar, shape);
      const auto denoiser = patch_denoiser(spec, setup.rows, shape, setup.schedule, torch::kCPU);
      const at::Tensor got = denoiser->predict(setup.x, setup.t, Objective::kData);
      EXPECT_LT((got - expected).abs().max().item<double>(), 1e-10) << name_of(spec) << " on " << shape.channels << "x"
                                                                      << shape.height << "x" << shape.width;
      const auto in_float = patch_denoiser(spec, setup.rows.to(torch::kFloat), shape, setup.schedule, torch::kCPU);
      const at::Tensor got_float = in_float->predict(setup.x.to(torch::kFloat), setup.t, Objective::kData);
      EXPECT_LT((got_float.to(torch::kDouble) - expected).abs().max().item<double>(), 1e-5) << name_of(spec) << " in float";
    }
  }
}

// LS with a patch that covers the whole image from every pixel (P >= 2 max(H, W) - 1) matches
// whole zero-padded images: the empirical optimum.
TEST(PatchMachines, LsWithAWholeImagePatchIsTheEmpiricalOptimum) {
  const ImageShape shape{2, 3, 4};
  const Queries setup(shape, 7);
  const auto ls = patch_denoiser({PatchMachine::kLs, 7, ElsPadding::kZero}, setup.rows, shape, setup.schedule, torch::kCPU);
  const at::Tensor root = torch::tensor(setup.abar, torch::kDouble).sqrt();
  const at::Tensor expected = empirical_posterior_mean(setup.x, root, 1 - root * root, setup.rows);
  EXPECT_LT((ls->predict(setup.x, setup.t, Objective::kData) - expected).abs().max().item<double>(), 1e-10);
}

// ELS with P = 1 is the mixture over every training pixel value (all channels):
// x0_hat(p) = sum_{n,q} x_n(q) softmax(-||x_t(p) - sqrt(abar) x_n(q)||^2 / (2 (1 - abar))), the same for
// every border convention.
TEST(PatchMachines, ElsWithOnePixelIsTheMixtureOverEveryTrainingPixel) {
  const ImageShape shape{3, 2, 3};
  const Queries setup(shape, 4);
  const std::int64_t hw = 6;
  const at::Tensor pixels = setup.rows.view({4, 3, hw}).permute({0, 2, 1}).reshape({-1, 3});  // [N H W, C]
  at::Tensor expected = torch::zeros_like(setup.x);
  for (std::int64_t q = 0; q < 3; ++q) {
    const double a = setup.abar[static_cast<std::size_t>(q)];
    const at::Tensor query = setup.x[q].view({3, hw}).t();  // [H W, C]
    const at::Tensor logits = -(query.unsqueeze(1) - std::sqrt(a) * pixels.unsqueeze(0)).pow(2).sum(2) / (2 * (1 - a));
    expected[q] = logits.softmax(1).mm(pixels).t().reshape({-1});
  }
  for (const ElsPadding padding : {ElsPadding::kKambGanguli, ElsPadding::kCircular, ElsPadding::kZero}) {
    const auto els = patch_denoiser({PatchMachine::kEls, 1, padding}, setup.rows, shape, setup.schedule, torch::kCPU);
    EXPECT_LT((els->predict(setup.x, setup.t, Objective::kData) - expected).abs().max().item<double>(), 1e-12) << padding;
  }
}

// One softmax over the whole candidate set: blocks of 1, 5 or every candidate give one result.
TEST(PatchMachines, TheResultDoesNotDependOnTheBlockSize) {
  const ImageShape shape{1, 4, 4};
  const Queries setup(shape, 9);
  for (const PatchMachine machine : {PatchMachine::kLs, PatchMachine::kEls, PatchMachine::kBbEls}) {
    const PatchSpec spec{machine, 3, ElsPadding::kKambGanguli};
    const at::Tensor whole = patch_denoiser(spec, setup.rows, shape, setup.schedule, torch::kCPU, 100000)
                                 ->predict(setup.x, setup.t, Objective::kData);
    for (const std::int64_t block : {1, 5}) {
      const at::Tensor blocked =
          patch_denoiser(spec, setup.rows, shape, setup.schedule, torch::kCPU, block)->predict(setup.x, setup.t, Objective::kData);
      EXPECT_LT((blocked - whole).abs().max().item<double>(), 1e-13) << name_of(spec) << " block " << block;
    }
  }
}

// On the CPU query pixels go through the softmax in chunks of 128 rows: a batch of 20 images of
// 4x4 (320 rows for ELS) gives, image by image, what each image alone (16 rows, one chunk) gives.
TEST(PatchMachines, TheResultDoesNotDependOnTheQueryChunks) {
  const ImageShape shape{1, 4, 4};
  const Queries setup(shape, 9);
  const at::Tensor x = setup.x.repeat({7, 1}).narrow(0, 0, 20) + 0.01 * torch::arange(20, torch::kDouble).unsqueeze(1);
  const at::Tensor t = setup.t.repeat({7}).narrow(0, 0, 20);
  for (const PatchMachine machine : {PatchMachine::kLs, PatchMachine::kEls, PatchMachine::kBbEls}) {
    const PatchSpec spec{machine, 3, ElsPadding::kKambGanguli};
    const auto denoiser = patch_denoiser(spec, setup.rows, shape, setup.schedule, torch::kCPU);
    const at::Tensor batch = denoiser->predict(x, t, Objective::kData);
    for (std::int64_t i = 0; i < 20; ++i) {
      const at::Tensor alone = denoiser->predict(x.narrow(0, i, 1), t.narrow(0, i, 1), Objective::kData);
      EXPECT_LT((batch.narrow(0, i, 1) - alone).abs().max().item<double>(), 1e-13) << name_of(spec) << " image " << i;
    }
  }
}

// bbELS on 4x5 images with P = 3, by hand: the corner pixel (0, 0) sees only the corner patch,
// the edge pixel (0, 2) the top row's patches at columns 1..3, the interior pixel (1, 1) the six
// interior locations, the right-edge pixel (2, 4) the interior rows of column 4.
TEST(PatchMachines, BbElsMatchesCornersEdgesAndInteriorPixelsAsDefined) {
  const PatchPlan plan = patch_plan({PatchMachine::kBbEls, 3, ElsPadding::kZero}, ImageShape{1, 4, 5});
  const auto locations_of = [&](std::int64_t pixel) {
    for (const PatchGroup& g : plan.groups) {
      if (std::find(g.pixels.begin(), g.pixels.end(), pixel) != g.pixels.end()) return g.locations;
    }
    return std::vector<std::int64_t>{};
  };
  EXPECT_EQ(locations_of(0), (std::vector<std::int64_t>{0}));
  EXPECT_EQ(locations_of(2), (std::vector<std::int64_t>{1, 2, 3}));
  EXPECT_EQ(locations_of(1 * 5 + 1), (std::vector<std::int64_t>{6, 7, 8, 11, 12, 13}));
  EXPECT_EQ(locations_of(2 * 5 + 4), (std::vector<std::int64_t>{9, 14}));
  std::size_t pixels = 0;
  for (const PatchGroup& g : plan.groups) pixels += g.pixels.size();
  EXPECT_EQ(pixels, 20u);  // every pixel in exactly one group
  EXPECT_FALSE(plan.query_circular);
}

// The largest size worth trying: zero padding covers the image from every pixel at 2 max(H, W) - 1
// (and LS there is the empirical optimum, above); wrapped or Kamb & Ganguli's patches stop at the
// largest odd size within min(H, W), which patch_plan accepts.
TEST(PatchMachines, LargestPatchSizeFollowsTheBorderConvention) {
  const ImageShape shape{1, 4, 6};
  EXPECT_EQ(largest_patch_size({PatchMachine::kLs, 1, ElsPadding::kKambGanguli}, shape), 11);
  EXPECT_EQ(largest_patch_size({PatchMachine::kBbEls, 1, ElsPadding::kKambGanguli}, shape), 11);
  EXPECT_EQ(largest_patch_size({PatchMachine::kEls, 1, ElsPadding::kZero}, shape), 11);
  EXPECT_EQ(largest_patch_size({PatchMachine::kEls, 1, ElsPadding::kCircular}, shape), 3);
  EXPECT_EQ(largest_patch_size({PatchMachine::kEls, 1, ElsPadding::kKambGanguli}, shape), 3);
  EXPECT_EQ(largest_patch_size({PatchMachine::kEls, 1, ElsPadding::kKambGanguli}, ImageShape{1, 5, 7}), 5);
  EXPECT_NO_THROW(patch_plan({PatchMachine::kEls, 3, ElsPadding::kKambGanguli}, shape));
}

TEST(PatchMachines, BadSizesAreRefused) {
  EXPECT_THAT([] { patch_plan({PatchMachine::kEls, 4, ElsPadding::kZero}, ImageShape{1, 4, 4}); },
              ThrowsMessage<std::invalid_argument>(HasSubstr("must be odd")));
  EXPECT_THAT([] { patch_plan({PatchMachine::kEls, 5, ElsPadding::kKambGanguli}, ImageShape{1, 4, 6}); },
              ThrowsMessage<std::invalid_argument>(HasSubstr("does not fit in 4x6 images")));
}

}  // namespace
}  // namespace lindiff
