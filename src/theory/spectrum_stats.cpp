#include "src/theory/spectrum_stats.h"

#include <cmath>
#include <stdexcept>
#include <string>

#include "src/common/shape_check.h"

namespace lindiff {

double participation_ratio(const Vector& eigenvalues) {
  const double sum_squares = eigenvalues.squaredNorm();
  if (sum_squares == 0) return 0;
  const double trace = eigenvalues.sum();
  return trace * trace / sum_squares;
}

PowerLawFit fit_power_law(const Vector& eigenvalues_desc, Index first_rank, Index last_rank) {
  const Index size = eigenvalues_desc.size();
  if (first_rank < 1) throw std::invalid_argument("power-law fit: first rank must be >= 1");
  Index last = last_rank == 0 ? size : std::min(last_rank, size);
  Index positive_end = first_rank - 1;
  while (positive_end < last && eigenvalues_desc(positive_end) > 0) ++positive_end;
  last = positive_end;
  if (last - first_rank + 1 < 2) {
    throw std::invalid_argument("power-law fit: ranks " + std::to_string(first_rank) + ".." +
                                std::to_string(last_rank) + " hold fewer than 2 positive eigenvalues");
  }
  const Index count = last - first_rank + 1;
  Vector x(count), y(count);
  for (Index i = 0; i < count; ++i) {
    x(i) = std::log(static_cast<double>(first_rank + i));
    y(i) = std::log(eigenvalues_desc(first_rank - 1 + i));
  }
  const double mean_x = x.mean(), mean_y = y.mean();
  const Vector dx = x.array() - mean_x, dy = y.array() - mean_y;
  const double slope = dx.dot(dy) / dx.squaredNorm();
  PowerLawFit fit;
  fit.exponent = -slope;
  fit.log_amplitude = mean_y - slope * mean_x;
  const double residual = (dy - slope * dx).squaredNorm();
  fit.r_squared = dy.squaredNorm() > 0 ? 1.0 - residual / dy.squaredNorm() : 1.0;
  fit.first_rank = first_rank;
  fit.last_rank = last;
  return fit;
}

Vector power_law_spectrum(Index d, double k) {
  Vector values(d);
  for (Index nu = 0; nu < d; ++nu) values(nu) = std::pow(static_cast<double>(nu + 1), -k);
  return values * (static_cast<double>(d) / values.sum());
}

double relative_frobenius_error(const Matrix& estimate, const Matrix& reference) {
  check_same_shape(estimate, reference, "relative_frobenius_error", "the estimate", "the reference");
  return (estimate - reference).squaredNorm() / reference.squaredNorm();
}

double expected_covariance_error(double d_eff, double sample_count, double reference_count) {
  auto single = [d_eff](double n) { return ((n - 1) * (1 + d_eff) + 1) / (n * n); };
  double error = single(sample_count);
  if (reference_count > 0) {
    error += single(reference_count) - 2.0 / (sample_count * reference_count);
  }
  return error;
}

}  // namespace lindiff
