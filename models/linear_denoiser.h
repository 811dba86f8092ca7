// Owns the per-timestep linear denoiser (docs/theory.md#linear-denoiser-parameterisation) as a LibTorch module:
//   noise: eps_hat(x, t) = W_t (x - sqrt(abar_t) b_t)
//   data:  x0_hat(x, t)  = V_t (x - sqrt(abar_t) b_t) + b_t
// T x d x d weights plus T x d biases: 615 M parameters at d = 784, T = 1000 (2.5 GB in float).
// Each timestep's W_t and b_t is its own parameter, so an optimizer step on a minibatch that
// used k timesteps touches k d^2 weights, not T d^2 (the loop leaves untouched gradients undefined).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>

#include "src/config/vocabulary.h"
#include "src/theory/objective.h"

namespace lindiff {

// Construction options of LinearDenoiser.
struct LinearDenoiserOptions {
  std::int64_t dim = 0;             // d
  Objective objective = Objective::kNoise;
  LinearInit init = LinearInit::kZero;  // zero, or entries N(0, 1/d)
  bool train_bias = true;           // false: the bias is a buffer (held fixed, e.g. at mu0)
  std::uint64_t seed = 0;           // for init = normal
};

// One affine map per timestep; `sqrt_abar` ([T], the schedule's sqrt(abar_t)) fixes T.
struct LinearDenoiserImpl : torch::nn::Module {
  LinearDenoiserImpl(const LinearDenoiserOptions& options, const torch::Tensor& sqrt_abar);

  // Predictions for inputs x [B, d] at timesteps t [B] (int64, 1..T), one timestep per row:
  // rows sorted by timestep, then one grouped product (grouped_product.h) on the CPU, or one
  // batched product over the groups padded to equal size elsewhere. O(B d^2) flops, each used
  // W_t read once; a single distinct timestep goes through forward_at.
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& t);
  // Predictions for a whole batch at one timestep t: one [B, d] x [d, d] product.
  torch::Tensor forward_at(const torch::Tensor& x, std::int64_t t);

  // Sets every bias b_t to `bias` [d] (e.g. mu0).
  void set_bias(const torch::Tensor& bias);

  // The exact regulariser c (docs/theory.md#regularisation-c) for rows at timesteps t [B], averaged over rows and
  // divided by d like the loss: noise c abar_t ||W_t||_F^2, data c ||sqrt(abar_t) V_t - I||_F^2.
  torch::Tensor penalty(const torch::Tensor& t, double c);

  // W_t and b_t of timestep t (1-based); writable under torch::NoGradGuard.
  torch::Tensor& weight(std::int64_t t) { return weights_.at(t - 1); }
  torch::Tensor& bias(std::int64_t t) { return biases_.at(t - 1); }
  // All weights [T, d, d] and biases [T, d], detached copies (for evaluation and checkpoints).
  torch::Tensor stacked_weights() const;
  torch::Tensor stacked_biases() const;
  // Number of timesteps T.
  std::int64_t steps() const { return static_cast<std::int64_t>(weights_.size()); }

  LinearDenoiserOptions options;
  torch::Tensor sqrt_abar;  // [T] buffer

 private:
  std::vector<torch::Tensor> weights_;  // T x [d, d]
  std::vector<torch::Tensor> biases_;   // T x [d]
};
TORCH_MODULE(LinearDenoiser);

// Rows [offsets[g], offsets[g + 1]) of `rows` ([B, d]) times weights[g]^T, as one bmm over the
// groups zero-padded to the largest (group_of_row: the group of each row). The device-generic
// equivalent of grouped_product; memory O(G m d) for groups of at most m rows.
torch::Tensor padded_product(const torch::Tensor& rows, const std::vector<std::int64_t>& offsets,
                             const torch::Tensor& group_of_row, const std::vector<torch::Tensor>& weights);

}  // namespace lindiff
