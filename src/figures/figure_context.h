// Owns what every figure is drawn from (the results table, the dataset, the models' styles, the
// run folder) and how a figure treats a series: a required one (a metric or source the rows
// must hold) that comes out empty is an error under test and a warning otherwise, never a
// silently missing curve.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "src/figures/model_style.h"
#include "src/figures/plot.h"
#include "src/figures/table_query.h"
#include "src/report/results_table.h"
#include "src/report/run_folder.h"

namespace lindiff {

// What a figure is drawn from.
struct FigureContext {
  const ResultsTable& table;
  std::string label;                    // the dataset's label
  std::int64_t d = 0;                   // its dimension
  std::vector<ModelStyle> styles;       // how to show each model (the denoiser registry's)
  std::vector<std::int64_t> fit_range;  // spectrum.fit_range, for the spectrum figures
  const RunFolder& folder;
  bool render = true;   // false: write the gnuplot scripts only, without running gnuplot (tests)
  bool strict = false;  // a required series without rows throws std::logic_error (tests); else a warning
};

// Adds `series`, drawn from the rows of `filter`; when it has no points (the rows lack the metric
// or source) throws std::logic_error naming them under `strict`, else says so on stderr.
void add_required_series(Plot& plot, const FigureContext& context, PlotSeries series, const RowFilter& filter);

// Adds `series` when it has points (a curve that exists only for some data or settings).
void add_optional_series(Plot& plot, PlotSeries series);

// Writes the figure folder/figures/<name> (.gp script, and .png/.svg unless !render).
void render_figure(const Plot& plot, const FigureContext& context, const std::string& name);

}  // namespace lindiff
