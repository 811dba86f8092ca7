// The linearisation figures draw, per trained model, the reported checkpoint's rows versus t: the
// Jacobian-Wiener cosine per N, and the network's and the Wiener row's 90% radius per N.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <tuple>

#include "src/figures/training_figures.h"
#include "src/report/metrics.h"
#include "tests/support/temp_dir.h"

namespace lindiff {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::string read_script(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

ResultRow unet_row(std::int64_t n, std::int64_t step, const std::string& t, const std::string& metric, double value,
                   const std::string& source) {
  return ResultRow{"fm", 16, n, "unet", "noise", 0.0, 0, step, t, metric, value, source};
}

// A table of two U-Net cells (N = 8 reported at step 100, N = 32 at step 200) with linearisation
// rows at their reported steps and, for N = 8, at a later step that must not be drawn.
ResultsTable linearisation_table() {
  ResultsTable table;
  table.add(unet_row(8, 100, "all", metric::kFinalStep, 100, source::kTraining));
  table.add(unet_row(32, 200, "all", metric::kFinalStep, 200, source::kTraining));
  for (const auto& [n, step, scale] : {std::tuple{8, 100, 1.0}, std::tuple{32, 200, 2.0}, std::tuple{8, 400, 9.0}}) {
    for (const std::string t : {"1", "10"}) {
      const double x = std::stod(t);
      table.add(unet_row(n, step, t, metric::kJacobianCosineWiener, 0.25 * scale + x / 16, source::kMonteCarlo));
      table.add(unet_row(n, step, t, metric::kJacobianRadius90, 1.5 * scale + x, source::kMonteCarlo));
      table.add(unet_row(n, step, t, metric::kWienerRadius90, 2.5 * scale + x, source::kTheory));
    }
  }
  return table;
}

TEST(LinearisationFigures, DrawTheReportedCheckpointsRowsVersusT) {
  const ResultsTable table = linearisation_table();
  testing::TempDir dir;
  RunFolder folder(dir.path());
  const FigureContext context{table, "fm", 16, {{"unet", "U-Net", 2, false}}, {1, 0}, folder, false, true};
  draw_linearisation_figures(context);
  const std::filesystem::path figures = folder.staging_dir() / "figures";
  const std::string cosine = read_script(figures / "linearisation_cosine_unet_noise_c0_fm.gp");
  EXPECT_THAT(cosine, HasSubstr("N = 8"));
  EXPECT_THAT(cosine, HasSubstr("N = 32"));
  EXPECT_THAT(cosine, HasSubstr("1 0.3125\n10 0.875\n"));  // N = 8 at step 100
  EXPECT_THAT(cosine, HasSubstr("1 0.5625\n10 1.125\n"));  // N = 32 at step 200
  EXPECT_THAT(cosine, Not(HasSubstr("2.3125")));  // N = 8's later step is not the reported model
  const std::string radius = read_script(figures / "linearisation_radius_unet_noise_c0_fm.gp");
  EXPECT_THAT(radius, HasSubstr("N = 8 network"));
  EXPECT_THAT(radius, HasSubstr("N = 32 Wiener filter"));
  EXPECT_THAT(radius, HasSubstr("1 2.5\n10 11.5\n"));  // N = 8's network radius
  EXPECT_THAT(radius, HasSubstr("1 6\n10 15\n"));      // N = 32's Wiener radius
}

TEST(LinearisationFigures, NoRowsNoFigure) {
  ResultsTable table;
  table.add(unet_row(8, 100, "all", metric::kFinalStep, 100, source::kTraining));
  testing::TempDir dir;
  RunFolder folder(dir.path());
  const FigureContext context{table, "fm", 16, {{"unet", "U-Net", 2, false}}, {1, 0}, folder, false, true};
  draw_linearisation_figures(context);
  EXPECT_FALSE(std::filesystem::exists(folder.staging_dir() / "figures" / "linearisation_cosine_unet_noise_c0_fm.gp"));
}

}  // namespace
}  // namespace lindiff
