// Every figure drawn from a fixed results table (tests/figures/golden/results.csv, made by the
// run in tests/figures/golden/run.yaml) must give the gnuplot scripts checked in beside it, and
// the report's sections must stay the ones listed here. After an intended change:
//   LINDIFF_UPDATE_GOLDEN=1 build/tests/test_figures --gtest_filter='FigureGolden.*'
// rewrites the scripts (review the diff before committing it).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>

#include "src/figures/figure_registry.h"
#include "tests/support/temp_dir.h"

namespace lindiff {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::ThrowsMessage;

const std::filesystem::path kGolden = std::filesystem::path(LINDIFF_SOURCE_DIR) / "tests/figures/golden";

std::string read(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The styles the denoiser registry gives the two built-in trained models.
const std::vector<ModelStyle> kStyles = {{"linear", "linear", 1, true}, {"unet", "U-Net", 2, false}};

// Draws every figure family of every stage, scripts only, strictly (a required series without rows throws).
std::filesystem::path draw_everything(const ResultsTable& table, const RunFolder& folder) {
  const FigureContext context{table, "synthetic_k1", 4, kStyles, {1, 0}, folder, false, true};
  for (const FigureStage stage : {FigureStage::kSpectrum, FigureStage::kTheory, FigureStage::kOneStep, FigureStage::kTraining}) {
    draw_figures(stage, context);
  }
  draw_figures(FigureStage::kAllSpectra, FigureContext{table, "", 0, kStyles, {1, 0}, folder, false, true});
  return folder.staging_dir() / "figures";
}

std::set<std::string> scripts_in(const std::filesystem::path& dir) {
  std::set<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() == ".gp") names.insert(entry.path().filename().string());
  }
  return names;
}

TEST(FigureGolden, EveryFigureScriptMatchesItsGoldenFile) {
  const ResultsTable table = ResultsTable::read_csv(kGolden / "results.csv");
  testing::TempDir dir;
  RunFolder folder(dir.path());
  const std::filesystem::path drawn = draw_everything(table, folder);
  const std::set<std::string> names = scripts_in(drawn);
  EXPECT_EQ(names.size(), 25u);  // every family of figures of the golden run
  if (std::getenv("LINDIFF_UPDATE_GOLDEN") != nullptr) {
    for (const std::string& name : scripts_in(kGolden)) std::filesystem::remove(kGolden / name);
    for (const std::string& name : names) std::filesystem::copy_file(drawn / name, kGolden / name);
    GTEST_SKIP() << "golden scripts rewritten in " << kGolden;
  }
  EXPECT_EQ(names, scripts_in(kGolden));
  for (const std::string& name : names) EXPECT_EQ(read(drawn / name), read(kGolden / name)) << name;
}

// A metric the figure needs that the rows lack (a misspelt name, a writer that stopped writing it)
// is an error naming the figure, the metric, its source and the model, never a missing curve.
TEST(FigureGolden, AMissingMetricIsAnErrorNotAMissingCurve) {
  const ResultsTable full = ResultsTable::read_csv(kGolden / "results.csv");
  ResultsTable table;
  for (const ResultRow& r : full.rows()) {
    if (!(r.model == "unet" && r.metric == "test_loss" && r.source == "monte_carlo")) table.add(r);
  }
  testing::TempDir dir;
  RunFolder folder(dir.path());
  EXPECT_THAT([&] { draw_everything(table, folder); },
              ThrowsMessage<std::logic_error>(AllOf(HasSubstr("test_loss"), HasSubstr("monte_carlo"), HasSubstr("unet"))));
}

TEST(ReportSections, TheSectionsAndTheirFiguresInPageOrder) {
  std::vector<std::string> listed;
  for (const ReportSection& section : report_sections()) {
    std::string line = section.title + ":";
    for (const std::string& prefix : section.prefixes) line += " " + prefix;
    if (!section.sample_grid.empty()) line += " [" + section.sample_grid + "]";
    listed.push_back(line);
  }
  EXPECT_EQ(listed, (std::vector<std::string>{
                        "Dataset and spectrum: spectrum_ cov_error_ eigenvectors_ examples_ spectra",
                        "Distance to the Bayes-optimal denoiser: excess_vs_n_ steps_excess_test_loss_",
                        "Train and test loss versus N: theory_loss_ loss_vs_n_",
                        "KL per dimension versus d/N: theory_kl_ kl_vs_n_",
                        "Training steps and early stopping: theory_early_stopping_ steps_test_loss_ steps_train_loss_ "
                        "steps_kl_data_model_per_dim_",
                        "Regularisation: theory_best_c_",
                        "Memorisation: memorisation_ [neighbours.png]",
                        "Per-mode variances: theory_mode_variance_ mode_variance_",
      "Which denoiser is the network?: denoise_r2_ denoise_steps_ calibration_ [shared_noise.png]",
                        "The network's linearisation: linearisation_ [jacobian_wiener.png]",
                        "Halder's one-step model: one_step_",
                    }));
  const std::vector<ReportSection> sections = report_sections();
  for (const FigureEntry& entry : figure_entries()) {
    const auto in_a_section = [&](const ReportSection& s) { return s.title == entry.section; };
    EXPECT_TRUE(std::any_of(sections.begin(), sections.end(), in_a_section)) << entry.section;
  }
}

}  // namespace
}  // namespace lindiff
