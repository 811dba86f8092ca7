#include "src/figures/plot.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "src/common/atomic_file.h"
#include "src/common/error.h"
#include "src/common/subprocess.h"
#include "src/report/results_table.h"

namespace lindiff {

namespace fs = std::filesystem;

namespace {

// `text` as a gnuplot string expression. Single-quoted, because gnuplot runs backquoted
// commands inside double-quoted strings (a title "x`rm -rf ~`" would execute); a line break
// becomes a concatenated "\n", the only double-quoted part; other control characters a space.
std::string quoted(const std::string& text) {
  std::string out = "'";
  for (char ch : text) {
    if (ch == '\n') {
      out += "'.\"\\n\".'";
    } else if (ch == '\'') {
      out += "''";
    } else {
      out += static_cast<unsigned char>(ch) < 0x20 ? ' ' : ch;
    }
  }
  return out + "'";
}

bool drawable(double value, bool log_axis) { return std::isfinite(value) && (!log_axis || value > 0); }

std::string script(const Plot& plot, const std::string& name) {
  std::ostringstream gp;
  gp << "# Redraw with: gnuplot " << name << ".gp\n";
  for (std::size_t s = 0; s < plot.series.size(); ++s) {
    const PlotSeries& series = plot.series[s];
    gp << "$d" << s << " << EOD\n";
    for (std::size_t i = 0; i < series.x.size(); ++i) gp << format_number(series.x[i]) << ' ' << format_number(series.y[i]) << '\n';
    gp << "EOD\n";
  }
  const std::string title = plot.warning.empty() ? plot.title : plot.title + "\n" + plot.warning;
  gp << "set title " << quoted(title) << " noenhanced" << (plot.warning.empty() ? "" : " tc rgb 'red'") << "\n"
     << "set xlabel " << quoted(plot.x_label) << " noenhanced\n"
     << "set ylabel " << quoted(plot.y_label) << " noenhanced\n"
     << "set grid\nset key " << plot.key << " noenhanced opaque\n";
  if (plot.log_x) gp << "set logscale x\nset format x '10^{%L}'\n";
  if (plot.log_y) gp << "set logscale y\nset format y '10^{%L}'\n";
  if (plot.y_max > 0 || plot.y_min) {
    gp << "set yrange [" << (plot.y_min ? format_number(*plot.y_min) : "") << ":"
       << (plot.y_max > 0 ? format_number(plot.y_max) : "") << "]\n";
  }
  gp << "set terminal pngcairo size 1100,600 enhanced font 'Sans,11'\n"
     << "set output " << quoted(name + ".png") << "\n";
  std::ostringstream command;
  command << "plot ";
  for (std::size_t s = 0; s < plot.series.size(); ++s) {
    command << (s ? ", " : "") << "$d" << s << " using 1:2 with " << plot.series[s].style << " title "
            << quoted(plot.series[s].title);
  }
  gp << command.str() << "\n"
     << "set terminal svg size 1100,600 dynamic enhanced font 'Sans,11'\n"
     << "set output " << quoted(name + ".svg") << "\n"
     << command.str() << "\nunset output\n";
  return gp.str();
}



// The plot without the points its axes cannot show and without series left empty.
Plot drawable_part(const Plot& plot) {
  Plot kept = plot;
  kept.series.clear();
  for (const PlotSeries& series : plot.series) {
    PlotSeries part{series.title, {}, {}, series.style};
    for (std::size_t i = 0; i < series.x.size() && i < series.y.size(); ++i) {
      if (drawable(series.x[i], plot.log_x) && drawable(series.y[i], plot.log_y)) {
        part.x.push_back(series.x[i]);
        part.y.push_back(series.y[i]);
      }
    }
    if (!part.x.empty()) kept.series.push_back(part);
  }
  return kept;
}

}  // namespace

bool gnuplot_available() { return program_on_path("gnuplot"); }

void render_plot(const Plot& full_plot, const fs::path& stem, bool run_gnuplot) {
  const std::string name = stem.filename().string();
  const Plot plot = drawable_part(full_plot);
  if (plot.series.empty()) {
    std::fprintf(stderr, "note: figure %s has no drawable points (all missing, infinite or <= 0 on a log axis); skipped\n",
                 name.c_str());
    return;
  }
  const fs::path script_path = stem.string() + ".gp";
  const fs::path log_path = stem.string() + ".gnuplot.log";
  write_file_atomically(script_path, script(plot, name));
  if (!run_gnuplot) return;
  const int status = run_program({"gnuplot", script_path.filename().string()}, stem.parent_path(), log_path);
  std::ifstream log(log_path);
  const std::string messages((std::istreambuf_iterator<char>(log)), {});
  std::error_code ec;
  fs::remove(log_path, ec);
  if (status != 0) {
    // gnuplot itself failing is an environment problem (a broken install, a full disk), not a bug.
    throw Error(ExitCode::kUsage, "gnuplot failed (exit " + std::to_string(status) + ") on '" + script_path.string() +
                                      "': " + messages);
  }
}

PlotSeries series_of(const std::string& title, const std::vector<std::pair<double, double>>& points,
                     const std::string& style) {
  PlotSeries s{title, {}, {}, style};
  for (const auto& [x, y] : points) {
    s.x.push_back(x);
    s.y.push_back(y);
  }
  return s;
}

void add_quarter_line(Plot& plot, const std::string& colour) {
  double lo = 1e300, hi = 0;
  for (const PlotSeries& series : plot.series) {
    for (double x : series.x) {
      if (x > 0) lo = std::min(lo, x), hi = std::max(hi, x);
    }
  }
  if (hi > 0) plot.series.push_back(PlotSeries{"d/(4N)", {lo, hi}, {lo / 4, hi / 4}, "lines lw 1 lc rgb '" + colour + "'"});
}

}  // namespace lindiff
