// Owns the list of figures: each entry is a family of figures (their file-name prefixes), the
// report section they appear in, the stage that draws them and the function that draws them from
// the results table. A stage and `lindiff report` draw through the same list, and the report's
// sections come from it, so adding a figure is one entry and its draw function.
#pragma once

#include <vector>

#include "src/figures/figure_context.h"
#include "src/report/run_report.h"

namespace lindiff {

// When a figure family is drawn.
enum class FigureStage {
  kSpectrum,    // per dataset, by the spectrum stage
  kAllSpectra,  // once per run, over every dataset
  kTheory,      // per dataset, by the theory stage
  kOneStep,     // per dataset, by the theory stage (Halder's one-step model)
  kTraining,    // per dataset, by the training stage
};

// One family of figures.
struct FigureEntry {
  std::vector<const char*> prefixes;  // the file names of its figures start with one of these
  const char* section;                // the title of its report section
  FigureStage stage;
  void (*draw)(const FigureContext& context);  // null: images another part writes (image grids)
};

// Every figure family, in the order each stage draws them.
const std::vector<FigureEntry>& figure_entries();

// Draws every family of `stage` for the context's dataset.
void draw_figures(FigureStage stage, const FigureContext& context);

// The report's sections in page order, each with the prefixes of its figures.
std::vector<ReportSection> report_sections();

}  // namespace lindiff
