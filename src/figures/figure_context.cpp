#include "src/figures/figure_context.h"

#include <cstdio>
#include <stdexcept>

namespace lindiff {

void add_required_series(Plot& plot, const FigureContext& context, PlotSeries series, const RowFilter& filter) {
  if (series.x.empty()) {
    const std::string what = "figure '" + plot.title + "': series '" + series.title + "' has no rows of metric '" +
                             filter.metric + "' from source '" + filter.source + "'" +
                             (filter.model ? " for model '" + *filter.model + "'" : "");
    if (context.strict) throw std::logic_error(what);
    std::fprintf(stderr, "warning: %s\n", what.c_str());
  }
  plot.series.push_back(std::move(series));
}

void add_optional_series(Plot& plot, PlotSeries series) {
  if (!series.x.empty()) plot.series.push_back(std::move(series));
}

void render_figure(const Plot& plot, const FigureContext& context, const std::string& name) {
  render_plot(plot, context.folder.stage("figures/" + name), context.render);
}

}  // namespace lindiff
