#include "src/experiment/spectrum_job.h"

#include <cstdio>

#include "src/common/error.h"
#include "src/experiment/spectrum_analysis.h"
#include "src/report/image_grid.h"
#include "src/experiment/job.h"
#include "src/report/plot.h"

namespace lindiff {

namespace {

std::vector<double> ranks(Index count) {
  std::vector<double> r(static_cast<std::size_t>(count));
  for (Index i = 0; i < count; ++i) r[i] = static_cast<double>(i + 1);
  return r;
}

// Eigenvalues down to 1e-12 of the largest: smaller ones are round-off of exact zeros
// (constant pixels, N < d) and would only stretch a log axis.
std::vector<double> resolved_eigenvalues(const Vector& values) {
  const double floor = kEigenvalueFloor * values.maxCoeff();
  std::vector<double> kept;
  for (Index i = 0; i < values.size() && values(i) > floor; ++i) kept.push_back(values(i));
  return kept;
}

std::string fit_title(const std::string& what, const PowerLawFit& fit) {
  char buffer[160];
  std::snprintf(buffer, sizeof buffer, "%s fit: k = %.3f (ranks %lld-%lld, R^2 = %.3f)", what.c_str(), fit.exponent,
                static_cast<long long>(fit.first_rank), static_cast<long long>(fit.last_rank), fit.r_squared);
  return buffer;
}

PlotSeries fit_line(const PowerLawFit& fit, const std::string& title) {
  PlotSeries line{title, {}, {}, "lines dt 2 lw 2"};
  for (Index r : {fit.first_rank, fit.last_rank}) {
    line.x.push_back(static_cast<double>(r));
    line.y.push_back(std::exp(fit.log_amplitude) * std::pow(static_cast<double>(r), -fit.exponent));
  }
  return line;
}

std::string count_text(Index n) { return n > 0 ? "N = " + std::to_string(n) : "exact"; }

void draw_spectrum(const SpectrumAnalysis& a, const RunFolder& folder) {
  Plot plot{"Covariance spectrum: " + a.label + " (d = " + std::to_string(a.shape.size()) + ")", "rank nu",
            "eigenvalue lambda_nu", true, true, {}};
  char title[128];
  std::snprintf(title, sizeof title, "training set, N = %lld, d_eff = %.2f", static_cast<long long>(a.n_train),
                a.d_eff_train);
  plot.series.push_back({title, ranks(a.train.values.size()), resolved_eigenvalues(a.train.values), "lines lw 2"});
  std::snprintf(title, sizeof title, "population (%s), d_eff = %.2f", count_text(a.n_population).c_str(),
                a.d_eff_population);
  plot.series.push_back(
      {title, ranks(a.population.values.size()), resolved_eigenvalues(a.population.values), "lines lw 2"});
  plot.series.push_back(fit_line(a.fit_train, fit_title("training-set", a.fit_train)));
  plot.key = "bottom left";
  render_plot(plot, folder.stage("figures/spectrum_" + a.label));
}

void draw_covariance_error(const SpectrumAnalysis& a, const RunFolder& folder) {
  Plot plot{"Covariance error: " + a.label + " (reference: population, " + count_text(a.n_population) + ")",
            "training samples N", "||Sigma0 - Sigma||_F^2 / ||Sigma||_F^2", true, true, {}};
  PlotSeries measured{"measured (nested subsets)", {}, {}, "points pt 7 ps 1.2"};
  PlotSeries predicted{a.n_population > 0 ? "Gaussian prediction (1 + d_eff)/N + reference-split error"
                                           : "Gaussian prediction ((N-1)(1 + d_eff) + 1)/N^2",
                       {}, {}, "lines lw 2"};
  for (const CovarianceErrorPoint& p : a.covariance_error) {
    measured.x.push_back(static_cast<double>(p.n));
    measured.y.push_back(p.measured);
    predicted.x.push_back(static_cast<double>(p.n));
    predicted.y.push_back(p.predicted);
  }
  plot.series = {measured, predicted};
  render_plot(plot, folder.stage("figures/cov_error_" + a.label));
}

void draw_images(const SpectrumAnalysis& a, const SpectrumSpec& spec, const RunFolder& folder, double lo, double hi) {
  const int zoom = default_zoom(a.shape);
  if (spec.eigenvectors > 0 && a.train.explicit_count() > 0) {
    const Index k = std::min<Index>(spec.eigenvectors, a.train.explicit_count());
    write_png(tile_images(vectors_as_images(a.train.vectors.leftCols(k), a.shape), 8, zoom),
              folder.stage("figures/eigenvectors_" + a.label + ".png"));
  }
  if (a.examples.rows() > 0) {
    write_png(tile_images(rows_as_images(a.examples, a.shape, lo, hi), 8, zoom),
              folder.stage("figures/examples_" + a.label + ".png"));
  }
}

void draw_all_spectra(const std::vector<SpectrumAnalysis>& analyses, const RunFolder& folder) {
  Plot plot{"Normalised covariance spectra (training sets)", "rank nu", "lambda_nu / Tr Sigma0", true, true, {}};
  for (const SpectrumAnalysis& a : analyses) {
    char title[160];
    std::snprintf(title, sizeof title, "%s (d = %lld, d_eff = %.1f, k = %.2f)", a.label.c_str(),
                  static_cast<long long>(a.shape.size()), a.d_eff_train, a.fit_train.exponent);
    plot.series.push_back({title, ranks(a.train.values.size()),
                           resolved_eigenvalues(a.train.values / a.train.values.sum()), "lines lw 2"});
  }
  plot.key = "bottom left";
  render_plot(plot, folder.stage("figures/spectra"));
}

void print_summary(const std::vector<SpectrumAnalysis>& analyses) {
  std::fprintf(stderr, "\n%-22s %6s %7s %8s %10s %8s %9s\n", "dataset", "d", "N", "route", "d_eff", "k_fit",
               "d_eff_pop");
  for (const SpectrumAnalysis& a : analyses) {
    std::fprintf(stderr, "%-22s %6lld %7lld %8s %10.3f %8.3f %9.3f\n", a.label.c_str(),
                 static_cast<long long>(a.shape.size()), static_cast<long long>(a.n_train), a.route.c_str(),
                 a.d_eff_train, a.fit_train.exponent, a.d_eff_population);
  }
}

}  // namespace

void SpectrumStage::run(const DatasetSpec& spec, const Dataset& dataset, JobContext& job) {
  const ExperimentConfig& config = job.config;
  {
    StageTimer timer(job.manifest, "spectrum:" + spec.label);
    analyses_.push_back(analyse_spectrum(dataset, config.spectrum, config.seed));
  }
  add_spectrum_rows(analyses_.back(), job.table);
  StageTimer timer(job.manifest, "figures:" + spec.label);
  auto [lo, hi] = display_range(spec, dataset);
  draw_images(analyses_.back(), config.spectrum, job.folder, lo, hi);
  if (job.plots) {
    draw_spectrum(analyses_.back(), job.folder);
    draw_covariance_error(analyses_.back(), job.folder);
  }
}

void SpectrumStage::finish(JobContext& job) {
  if (job.plots) draw_all_spectra(analyses_, job.folder);
  print_summary(analyses_);
}

void run_spectrum_job(const ExperimentConfig& config, const std::string& config_path, const RuntimeInfo& runtime) {
  SpectrumStage stage;
  run_job("spectrum", config, config_path, runtime,
          [&](const DatasetSpec& spec, const Dataset& dataset, JobContext& job) { stage.run(spec, dataset, job); },
          [&](JobContext& job) { stage.finish(job); });
}

}  // namespace lindiff
