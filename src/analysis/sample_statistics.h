// Owns what generated samples are measured by, without LibTorch: their fitted Gaussian,
// their variance along given directions, and memorisation (distances to the two nearest
// training points, found with blocked GEMM).
#pragma once

#include <cstdint>

#include "src/common/matrix.h"
#include "src/theory/sampling_distribution.h"

namespace lindiff {

// The maximum-likelihood Gaussian of the rows of `samples` (covariance divided by M, the
// same estimator as Sigma0, so a perfect sampler's expected KL is the Wishart value of
// docs/theory.md#training-set-averages with N = M). O(M d^2).
Gaussian fit_gaussian(const DataMatrix& samples);

// Variance of the samples along each unit column of `directions` (d x k) about their own mean:
// u_k^T \hat\Sigma u_k. O(M d k).
Vector variance_along(const DataMatrix& samples, const Matrix& directions);

// For every query, the Euclidean distances to its nearest and second-nearest reference rows
// and the index of the nearest.
struct NearestTwo {
  Vector first;
  Vector second;
  std::vector<Index> nearest;
};

// Nearest two reference rows of every query: squared distances ||q||^2 + ||r||^2 - 2 q.r with
// the cross terms from one float GEMM per block of `block` reference rows, so memory stays
// O(M block) and the cost O(M N d) runs at GEMM speed. Needs at least two reference rows.
NearestTwo nearest_two(const DataMatrix& queries, const Eigen::Ref<const DataMatrix>& reference, Index block = 4096);

// The share of queries with first / second < ratio (near-copies of one training point) and a
// 95% percentile-bootstrap interval over queries.
struct MemorisationEstimate {
  double fraction = 0;
  double lower = 0;
  double upper = 0;
  double median_ratio = 0;  // median of first / second
};

// Memorisation from nearest distances; `resamples` bootstrap draws seeded with `seed`. O(M resamples).
MemorisationEstimate memorisation(const NearestTwo& distances, double ratio, int resamples, std::uint64_t seed);

}  // namespace lindiff
