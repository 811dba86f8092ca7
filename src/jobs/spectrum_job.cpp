#include "src/jobs/spectrum_job.h"

#include <algorithm>
#include <cstdio>

#include "src/figures/image_grid.h"

namespace lindiff {

namespace {

// Top eigenvectors and example images: drawn here because they need the data, not just rows.
void draw_images(const SpectrumAnalysis& a, const SpectrumSpec& spec, const RunFolder& folder, double lo, double hi) {
  const int zoom = default_zoom(a.shape);
  if (spec.eigenvectors > 0 && a.train.explicit_count() > 0) {
    const Index k = std::min<Index>(spec.eigenvectors, a.train.explicit_count());
    write_grid(tile_images(vectors_as_images(a.train.vectors.leftCols(k), a.shape), 8, zoom),
              folder.stage("figures/eigenvectors_" + a.label + ".png"));
  }
  if (a.examples.rows() > 0) {
    write_grid(tile_images(rows_as_images(a.examples, a.shape, lo, hi), 8, zoom),
              folder.stage("figures/examples_" + a.label + ".png"));
  }
}

}  // namespace

void SpectrumStage::run(const DatasetContext& context, JobContext& job) {
  const std::string& label = context.spec().label;
  SpectrumAnalysis analysis;
  {
    StageTimer timer(job.manifest, "spectrum:" + label);
    analysis = analyse_spectrum(context);
  }
  add_spectrum_rows(analysis, job.table);
  summaries_.push_back({label, analysis.shape.size(), analysis.n_train, analysis.route, analysis.d_eff_train,
                        analysis.fit_train.exponent, analysis.d_eff_population});
  StageTimer timer(job.manifest, "figures:" + label);
  const auto [lo, hi] = display_range(context.spec(), context.dataset());
  draw_images(analysis, job.config.spectrum, job.folder, lo, hi);
  job.draw(FigureStage::kSpectrum, label, context.dataset().dim());
}

void SpectrumStage::finish(JobContext& job) {
  job.draw(FigureStage::kAllSpectra, "", 0);
  std::fprintf(stderr, "\n%-22s %6s %7s %8s %10s %8s %9s\n", "dataset", "d", "N", "route", "d_eff", "k_fit",
               "d_eff_pop");
  for (const Summary& s : summaries_) {
    std::fprintf(stderr, "%-22s %6lld %7lld %8s %10.3f %8.3f %9.3f\n", s.label.c_str(), static_cast<long long>(s.d),
                 static_cast<long long>(s.n_train), s.route.c_str(), s.d_eff_train, s.k_fit, s.d_eff_population);
  }
}

void run_spectrum_job(const ExperimentConfig& config, const std::string& config_path, const RuntimeInfo& runtime) {
  SpectrumStage stage;
  run_job("spectrum", config, config_path, runtime,
          [&](const DatasetContext& context, JobContext& job) { stage.run(context, job); },
          [&](JobContext& job) { stage.finish(job); });
}

}  // namespace lindiff
