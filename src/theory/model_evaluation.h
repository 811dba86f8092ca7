// Owns the exact evaluation of diagonal linear denoisers against a training set and a
// population: per-timestep train and test loss, sampled distribution and both KLs.
#pragma once

#include <vector>

#include "src/theory/diagonal_model.h"
#include "src/theory/expected_loss.h"
#include "src/theory/gaussian_kl.h"
#include "src/theory/mode_space.h"
#include "src/theory/sampling_distribution.h"

namespace lindiff {

// Everything known in closed form about one model.
struct ModelEvaluation {
  Vector train_loss;  // L_t on the training set, t = 1..T
  Vector test_loss;   // L_t on the population
  DiagonalSampling sampling;
  KlPair kl;
};

// One training set and its population, fixed while models vary.
struct EvaluationContext {
  const Schedule& schedule;
  const ModeSpace& modes;
  const PopulationView& population;
  const ModeMoments& train;  // training_moments(modes)
  const ModeMoments& test;   // population.moments(mu0)
  const Vector& bias;        // mu0
  bool final_noise = false;
};

// Evaluates one model in a single pass over t (losses and sampling recursion together). O(T G + d^2).
ModelEvaluation evaluate_model(const EvaluationContext& context, const DiagonalModel& model);

// Evaluates a model generated row by row (no T x G tables). O(T G + d^2).
ModelEvaluation evaluate_model(const EvaluationContext& context, const ModelRows& rows);

// Evaluates independent models in parallel (OpenMP over models); results keep their order.
std::vector<ModelEvaluation> evaluate_models(const EvaluationContext& context, const std::vector<ModelRows>& models);

}  // namespace lindiff
