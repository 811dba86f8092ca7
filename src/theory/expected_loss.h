// Owns the exact expected training loss of any per-timestep linear denoiser (docs/theory.md#exact-expected-loss):
// a fast path for models diagonal in the eigenbasis of Sigma0 and a dense path for
// arbitrary trained weights. Losses are per sample and divided by d.
#pragma once

#include <functional>

#include "src/common/matrix.h"
#include "src/theory/diagonal_model.h"
#include "src/theory/mode_space.h"
#include "src/theory/schedule.h"

namespace lindiff {

// Per-timestep loss L_t (t = 1..T in entries 0..T-1) of a diagonal model on data with mode
// moments (s_g, q_g) (a bias b fixed over t), with C_t = \bar\alpha_t S + (1 - \bar\alpha_t) I:
//   noise: d L_t = \sum_g [ w^2 (\bar\alpha s_g + (1-\bar\alpha) n_g) - 2 \sqrt{1-\bar\alpha} w n_g + n_g + \bar\alpha w^2 q_g ]
//   data:  d L_t = \sum_g [ (\sqrt{\bar\alpha} v - 1)^2 (s_g + q_g) + (1 - \bar\alpha) v^2 n_g ]
// O(T G). The mean over t is the total loss.
Vector expected_loss(const Schedule& schedule, const DiagonalModel& model, const ModeSpace& modes,
                     const ModeMoments& data);

// The bracketed sum above for one timestep (row u of the model), i.e. d L_t. O(G).
double loss_at(Objective objective, double abar, double one_minus_abar, const Eigen::ArrayXd& u, const Vector& multiplicity,
               const ModeMoments& data);

// Supplies the weight matrix (d x d, the objective's parameterisation) and bias of timestep t.
using WeightSource = std::function<void(int t, Matrix& weight, Vector& bias)>;

// Per-timestep loss of arbitrary linear weights on data with mean m and covariance S:
//   noise: d L_t = Tr(W C_t W^T) - 2 \sqrt{1-\bar\alpha_t} Tr W + d + \bar\alpha_t ||W (m - b_t)||^2
//   data:  d L_t = Tr((\sqrt{\bar\alpha_t} V - I)(S + \delta\delta^T)(\sqrt{\bar\alpha_t} V - I)^T) + (1-\bar\alpha_t) Tr(V V^T),
// \delta = m - b_t. O(T d^3): one d x d x d product per timestep.
Vector expected_loss_dense(const Schedule& schedule, Objective objective, const WeightSource& weights,
                           const Vector& mean, const Matrix& covariance);

}  // namespace lindiff
