// Owns the exact evaluation of a trained linear denoiser (docs/theory.md#exact-expected-loss and #exact-sampling-distribution): its
// stacked weights go through the dense theory paths, giving train and test loss per
// timestep, the Gaussian it samples and both KLs to the data Gaussian, with no Monte Carlo.
#pragma once

#include <ATen/core/Tensor.h>

#include "src/theory/diagonal_model.h"
#include "src/theory/gaussian_kl.h"
#include "src/theory/sampling_distribution.h"
#include "src/theory/schedule.h"

namespace lindiff {

// Everything known in closed form about one set of trained weights.
struct ExactLinearEvaluation {
  Vector train_loss;  // L_t on (mu0, Sigma0), t = 1..T
  Vector test_loss;   // L_t on the population (mu, Sigma)
  Gaussian sampled;   // the distribution DDPM sampling with these weights produces
  KlPair kl;          // sampled versus the population Gaussian; inf when the sampled moments overflow
};

// Evaluates weights [T, d, d] and biases [T, d] (any float type, CPU or CUDA) of the
// `objective` parameterisation. O(T d^3): three d x d x d products per timestep.
ExactLinearEvaluation evaluate_linear_weights(const at::Tensor& weights, const at::Tensor& biases, Objective objective,
                                              const Schedule& schedule, const Gaussian& train, const Gaussian& population,
                                              bool final_noise);

}  // namespace lindiff
