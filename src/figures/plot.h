// Owns figures: line/point plots rendered by gnuplot to PNG and SVG, each with the
// self-contained gnuplot script (data inline) saved next to it for redrawing.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace lindiff {

// One curve or point set.
struct PlotSeries {
  std::string title;
  std::vector<double> x;
  std::vector<double> y;
  std::string style = "linespoints pt 7 ps 0.5 lw 2";  // gnuplot "with" clause
};

// A 2-D plot; points that a log axis cannot show (<= 0, inf, nan) are left out.
struct Plot {
  std::string title;
  std::string x_label;
  std::string y_label;
  bool log_x = false;
  bool log_y = false;
  std::vector<PlotSeries> series;
  std::string key = "top right";  // gnuplot key position, e.g. "bottom left"
  double y_max = 0;                // upper end of the y axis; 0 = automatic
  std::optional<double> y_min = std::nullopt;  // lower end of the y axis (lower points are clipped); none = automatic
  std::string warning = "";        // a second title line in red (e.g. models that had not converged)
};

// A series from (x, y) points.
PlotSeries series_of(const std::string& title, const std::vector<std::pair<double, double>>& points,
                     const std::string& style);

// Adds the line y = x / 4 (KL per dimension d/(4N) against x = d/N) across the x range of
// the series already in `plot`; nothing when they have no positive x.
void add_quarter_line(Plot& plot, const std::string& colour);

// True when a gnuplot executable is on PATH.
bool gnuplot_available();

// Writes `stem`.gp and, with `run_gnuplot`, renders `stem`.png and `stem`.svg with gnuplot. Throws
// Error with gnuplot's message when rendering fails.
void render_plot(const Plot& plot, const std::filesystem::path& stem, bool run_gnuplot = true);

}  // namespace lindiff
