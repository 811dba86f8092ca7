// Owns the Bayes-optimal denoiser of Gaussian data as a prediction function, so Monte Carlo
// losses of trained models can be compared with it on the same draws.
#pragma once

#include <string>

#include "src/analysis/dataset_context.h"
#include "src/evaluation/monte_carlo_loss.h"

namespace lindiff {

// For data N(mu, U diag(lambda) U^T) and x_t = sqrt(a_t) x0 + sqrt(1 - a_t) eps, the posterior
// mean of the target given x_t (docs/theory.md#linear-denoisers-optimum with Sigma0 = Sigma):
//   noise: eps_hat = U diag(sqrt(1 - a_t) / (a_t lambda + 1 - a_t)) U^T (x - sqrt(a_t) mu),
//   data:  x0_hat = mu + U diag(sqrt(a_t) lambda / (a_t lambda + 1 - a_t)) U^T (x - sqrt(a_t) mu).
// Float tensors on `device`; O(B d^2) per call, O(T d + d^2) memory.
Predict bayes_denoiser(const Population& population, const Schedule& schedule, Objective objective, c10::Device device);

}  // namespace lindiff
