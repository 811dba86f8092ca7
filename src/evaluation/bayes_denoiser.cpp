#include "src/evaluation/bayes_denoiser.h"

#include <torch/torch.h>

#include "src/tensors/tensor_bridge.h"

namespace lindiff {

Predict bayes_denoiser(const Population& population, const Schedule& schedule, Objective objective, c10::Device where) {
  const Index d = population.mean.size();
  const bool noise = objective == Objective::kNoise;
  const Vector& lambda = population.eigen.values;
  Matrix gains(schedule.steps(), d);  // row t - 1: the eigenbasis gain of timestep t
  Vector roots(schedule.steps());
  for (int t = 1; t <= schedule.steps(); ++t) {
    const double a = schedule.abar(t), rest = schedule.one_minus_abar(t);
    roots(t - 1) = std::sqrt(a);
    for (Index i = 0; i < d; ++i) {
      const double denominator = a * lambda(i) + rest;
      gains(t - 1, i) = noise ? std::sqrt(rest) / denominator : std::sqrt(a) * lambda(i) / denominator;
    }
  }
  const torch::Tensor basis = to_tensor(population.eigen.vectors).to(where);  // U [d, d]
  const torch::Tensor mean = to_tensor(population.mean).to(where);
  const torch::Tensor gain = to_tensor(gains).to(where);
  const torch::Tensor root = to_tensor(roots).to(where);
  return [basis, mean, gain, root, noise](const at::Tensor& x, const at::Tensor& t) {
    const torch::Tensor index = t - 1;
    const torch::Tensor centred = x - root.index_select(0, index).unsqueeze(1) * mean;
    const torch::Tensor coordinates = torch::matmul(centred, basis) * gain.index_select(0, index);
    const torch::Tensor prediction = torch::matmul(coordinates, basis.t());
    return noise ? prediction : prediction + mean;
  };
}

}  // namespace lindiff
