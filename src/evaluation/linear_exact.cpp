#include "src/evaluation/linear_exact.h"

#include <limits>
#include <stdexcept>
#include <string>

#include <torch/torch.h>

#include "src/tensors/tensor_bridge.h"
#include "src/theory/expected_loss.h"

namespace lindiff {

ExactLinearEvaluation evaluate_linear_weights(const at::Tensor& weights, const at::Tensor& biases, Objective objective,
                                              const Schedule& schedule, const Gaussian& train, const Gaussian& population,
                                              bool final_noise) {
  const std::int64_t d = train.mean.size();
  if (weights.dim() != 3 || weights.size(0) != schedule.steps() || weights.size(1) != d || weights.size(2) != d ||
      biases.dim() != 2 || biases.size(0) != schedule.steps() || biases.size(1) != d) {
    throw std::invalid_argument("evaluate_linear_weights: expected weights [" + std::to_string(schedule.steps()) + ", " +
                                std::to_string(d) + ", " + std::to_string(d) + "] and biases [T, d]");
  }
  // One timestep at a time: a double copy of all T d x d weights (8 T d^2 bytes, 4.9 GB at
  // d = 784, T = 1000) would double the model's memory; on a GPU only one d x d leaves it.
  const torch::Tensor w = weights.detach(), b = biases.detach();
  const WeightSource source = [&](int t, Matrix& wt, Vector& bt) {
    wt = as_eigen_matrix(w[t - 1].to(torch::kCPU, torch::kDouble).contiguous());
    bt = as_eigen_vector(b[t - 1].to(torch::kCPU, torch::kDouble).contiguous());
  };
  ExactLinearEvaluation e;
  e.train_loss = expected_loss_dense(schedule, objective, source, train.mean, train.covariance);
  e.test_loss = expected_loss_dense(schedule, objective, source, population.mean, population.covariance);
  e.sampled = sampling_distribution_dense(schedule, objective, source, d, final_noise);
  // Weights far past a stable step make the sampled covariance overflow: its KLs are infinite.
  const double inf = std::numeric_limits<double>::infinity();
  e.kl = e.sampled.covariance.allFinite() && e.sampled.mean.allFinite() ? kl_pair(e.sampled, population) : KlPair{inf, inf};
  return e;
}

}  // namespace lindiff
