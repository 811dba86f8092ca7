// Owns the covariance-spectrum analysis of one dataset (docs/theory.md#spectra-and-data-structure, the
// paper's Figure 1): spectra of the training set and the population, effective
// dimension, power-law fit, and covariance error versus N against its prediction.
#pragma once

#include <string>
#include <vector>

#include "src/analysis/dataset_context.h"
#include "src/report/results_table.h"
#include "src/theory/eigen_system.h"
#include "src/theory/moments.h"
#include "src/theory/spectrum_stats.h"

namespace lindiff {

// One point of the covariance-error curve.
struct CovarianceErrorPoint {
  Index n = 0;
  double measured = 0;   // ||Sigma0(N) - Sigma||_F^2 / ||Sigma||_F^2
  double predicted = 0;  // expected_covariance_error(d_eff(Sigma), N, population count)
};

// Everything the spectrum stage computes for one dataset.
struct SpectrumAnalysis {
  std::string label;
  ImageShape shape;
  Index n_train = 0;
  Index n_population = 0;  // 0: the population is exact (synthetic data)
  std::string route;       // covariance | gram
  EigenSystem train;       // eigensystem of Sigma0 (1/N), descending
  EigenSystem population;  // eigensystem of Sigma (exact, or 1/M of the held-out split)
  double d_eff_train = 0;
  double d_eff_population = 0;
  PowerLawFit fit_train;
  PowerLawFit fit_population;
  std::vector<CovarianceErrorPoint> covariance_error;
  DataMatrix examples;     // the first training images, for display
};

// Runs the analysis (settings: spectrum.*) on the context's training set of size
// spectrum.n_train (0: the whole pool). Cost O(N d^2 + d^3) plus O(sum_N N d^2) for the error curve.
SpectrumAnalysis analyse_spectrum(const DatasetContext& context);

// Appends the analysis as tidy rows (metrics d_eff, total_variance, eigenvalue_<rank>,
// powerlaw_k, powerlaw_r2, cov_rel_error; sources data, population, theory).
void add_spectrum_rows(const SpectrumAnalysis& analysis, ResultsTable& table);

}  // namespace lindiff
