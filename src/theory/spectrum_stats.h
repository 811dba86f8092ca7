// Owns scalar summaries of covariance spectra (docs/theory.md#spectra-and-data-structure): participation
// ratio, power-law fits and generators, and covariance estimation error.
#pragma once

#include "src/common/matrix.h"

namespace lindiff {

// Participation ratio d_{eff} = (\sum_\nu \lambda_\nu)^2 / \sum_\nu \lambda_\nu^2 = (Tr S)^2 / Tr(S^2).
// O(d). Returns 0 for an all-zero spectrum.
double participation_ratio(const Vector& eigenvalues);

// Least-squares fit of \log \lambda_\nu = a - k \log \nu over ranks first..last.
struct PowerLawFit {
  double exponent = 0;       // k in \lambda_\nu \propto \nu^{-k}
  double log_amplitude = 0;  // a: \lambda_\nu \approx e^a \nu^{-k}
  double r_squared = 0;      // coefficient of determination in log-log space
  Index first_rank = 0;      // 1-based, inclusive
  Index last_rank = 0;       // 1-based, inclusive; only positive eigenvalues are used
};

// Fits \lambda_\nu \approx e^a \nu^{-k} by least squares in log-log space over ranks
// [first_rank, last_rank] (1-based, inclusive; last_rank = 0 means the last positive
// eigenvalue) of eigenvalues sorted descending. Ranks whose eigenvalue is not positive
// end the range. O(range). Throws std::invalid_argument when fewer than 2 ranks remain.
PowerLawFit fit_power_law(const Vector& eigenvalues_desc, Index first_rank, Index last_rank);

// The synthetic spectrum \lambda_\nu = \nu^{-k} scaled so that \sum_\nu \lambda_\nu = d. O(d).
Vector power_law_spectrum(Index d, double k);

// Relative error \|A - B\|_F^2 / \|B\|_F^2 of an estimate A of a reference B. O(d^2).
double relative_frobenius_error(const Matrix& estimate, const Matrix& reference);

// Expected \|\Sigma_0 - \Sigma\|_F^2 / \|\Sigma\|_F^2 for the 1/N covariance of N Gaussian samples
// (mean subtracted), exactly ((N-1)(1 + d_{eff}) + 1) / N^2 \approx (1 + d_{eff}) / N.
// When the reference itself is such an estimate from M independent samples (a held-out
// split), the expected error with respect to it adds the same term for M and subtracts
// the cross term 2/(NM); pass reference_count = 0 for an exact reference. O(1).
double expected_covariance_error(double d_eff, double sample_count, double reference_count = 0);

}  // namespace lindiff
