// Owns the analytic denoisers that are linear and diagonal in an eigenbasis, evaluated as
// tensors on any device through the Denoiser interface: the Bayes-optimal denoiser of Gaussian
// data and the optimal linear (Wiener) denoiser of a training set, at the optimum or at a step
// of gradient descent (docs/theory.md#linear-denoisers-optimum, #gradient-descent-dynamics).
#pragma once

#include <memory>
#include <optional>

#include <c10/core/Device.h>

#include "src/analysis/dataset_context.h"
#include "src/diffusion/denoiser.h"
#include "src/theory/diagonal_model.h"
#include "src/theory/mode_space.h"

namespace lindiff {

// The denoiser of `model` (weights per timestep and mode group of `modes`, in the model's own
// objective) with the bias `bias` held over t:
//   noise: eps_hat = sum_g w_{t,g} P_g (x - sqrt(abar_t) b),
//   data:  x0_hat  = sum_g v_{t,g} P_g (x - sqrt(abar_t) b) + b,
// P_g the projector onto group g (an eigenvector, or the complement of the explicit basis).
// Float tensors on `device`; O(B d r) per call for r explicit eigenvectors, O(T G + d r) memory.
std::shared_ptr<const Denoiser> diagonal_denoiser(const Schedule& schedule, const ModeSpace& modes,
                                                  const DiagonalModel& model, const Vector& bias, c10::Device device);

// The Bayes-optimal denoiser of Gaussian data N(mu, Sigma): the posterior mean of the target
// given x_t, the optimum of docs/theory.md#linear-denoisers-optimum with Sigma0 = Sigma, mu0 = mu, c = 0.
std::shared_ptr<const Denoiser> bayes_denoiser(const Population& population, const Schedule& schedule,
                                               Objective objective, c10::Device device);

// A point of gradient descent from zero weights on a training set (learning rate, step count).
struct GradientDescentStep {
  double learning_rate = 0;
  double steps = 0;
};

// The optimal linear (Wiener) denoiser of a training set with moments (mu0, Sigma0) and
// regularisation c: the posterior mean under N(mu0, Sigma0 + c I); with `gd`, the same family
// after that many steps of gradient descent from zero with the bias held at mu0.
std::shared_ptr<const Denoiser> wiener_denoiser(const TrainingSet& set, const ModeSpace& modes, const Schedule& schedule,
                                                Objective objective, double c, std::optional<GradientDescentStep> gd,
                                                c10::Device device);

}  // namespace lindiff
