// Owns synthetic Gaussian data with a power-law covariance spectrum (docs/theory.md#spectra-and-data-structure).
#pragma once

#include "datasets/dataset.h"

namespace lindiff {

// Draws N(\mu, \Sigma) data with \Sigma = U diag(\lambda) U^T, \lambda_\nu = \nu^{-k} scaled to
// Tr \Sigma = d, U the identity or Haar-random orthogonal (QR of a Gaussian matrix with
// sign-fixed R), \mu = mean * 1. Returns the pool, a held-out split and the exact population.
// Cost O(d^3 + (n_train + n_test) d^2). Pixel scaling does not apply.
Dataset make_synthetic(const DatasetSpec& spec);

}  // namespace lindiff
