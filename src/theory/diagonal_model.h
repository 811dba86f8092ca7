// Owns per-timestep linear denoisers that are diagonal in the eigenbasis of Sigma0
// (docs/theory.md#linear-denoiser-parameterisation, #linear-denoisers-optimum and #gradient-descent-dynamics): the optimum with regularisation c and the
// gradient-descent trajectory from zero initialisation, for both objectives.
#pragma once

#include <string>
#include <vector>

#include "src/common/matrix.h"
#include "src/theory/objective.h"
#include "src/theory/rate_schedule.h"
#include "src/theory/schedule.h"

namespace lindiff {

// Noise-prediction optimum w^*_t(\lambda) = \sqrt{1-\bar\alpha_t} / (\bar\alpha_t (\lambda + c) + 1 - \bar\alpha_t). O(1).
double optimal_noise_weight(const Schedule& schedule, int t, double lambda, double c);
// Data-prediction optimum v^*_t(\lambda) = \sqrt{\bar\alpha_t} (\lambda + c) / (\bar\alpha_t (\lambda + c) + 1 - \bar\alpha_t). O(1).
double optimal_data_weight(const Schedule& schedule, int t, double lambda, double c);
// Half the curvature of the per-mode loss, k_t(\lambda) = \bar\alpha_t (\lambda + c) + 1 - \bar\alpha_t (both objectives). O(1).
double mode_curvature(const Schedule& schedule, int t, double lambda, double c);
// The learning rate at which full-batch gradient descent on the mean-over-t loss stops
// converging: its stiffest mode's factor 1 - 2 \eta k_t / (T d) reaches -1 at
// \eta = T d / \max(\lambda_{max} + c, 1), since k_t \le \max(\lambda + c, 1). The one place the limit is worked out. O(1).
double gd_stability_limit(const Schedule& schedule, double max_eigenvalue, double c, Index dim);
// The default gradient-descent learning rate: half the stability limit. O(1).
double default_learning_rate(const Schedule& schedule, double max_eigenvalue, double c, Index dim);

// A denoiser with one weight per timestep t and mode group g, in the objective's own
// parameterisation (eps_hat = w (x - \sqrt{\bar\alpha_t} b), x0_hat = v (x - \sqrt{\bar\alpha_t} b) + b),
// with the bias b held fixed over t. `contraction` is the sampler's 1 - k_t w_t in noise form
// (k_t = beta_t / \sqrt{1 - \bar\alpha_t}), kept separately so that it can be computed without
// cancellation: it is exactly 0 at t = 1 for modes with \lambda + c = 0.
struct DiagonalModel {
  Objective objective = Objective::kNoise;
  RowMatrix weights;      // T x G
  RowMatrix contraction;  // T x G

  // The noise-form weight w_t of group g: w = (1 - \sqrt{\bar\alpha} v) / \sqrt{1 - \bar\alpha} for data models.
  double noise_weight(const Schedule& schedule, int t, Index g) const;
};

// The optimum or a point of the gradient-descent trajectory, generated one timestep at a time
// (O(G) per row, no T x G tables): what optimal_model() and gradient_descent_model() store.
class ModelRows {
 public:
  // The optimum (section 3.4) for Sigma0 eigenvalues `eigenvalues` and regularisation c.
  ModelRows(Objective objective, const Vector& eigenvalues, double c);
  // Gradient descent from zero after `steps` steps (see gradient_descent_model); validates
  // stability (2 eta k_t / (T d) < 2 for every t and group) and throws std::invalid_argument.
  ModelRows(const Schedule& schedule, Objective objective, const Vector& eigenvalues, double c, double learning_rate,
            double steps, Index dim);
  // Gradient descent from zero after `steps` steps of the rates of `rate` (docs/theory.md#learning-rate-schedules):
  // the remaining factor of each mode is the product over steps of 1 - 2 eta_s k_t / (T d).
  // Validates stability at the peak rate as above. The construction costs O(steps) for a varying
  // rate (one run per distinct consecutive rate), each row O(G x runs).
  ModelRows(const Schedule& schedule, Objective objective, const Vector& eigenvalues, double c, const RateSchedule& rate,
            double steps, Index dim);
  // Gradient descent from zero through the steps of `runs`, whose largest rate is `peak` (checked
  // for stability as above). Each row O(G x runs).
  ModelRows(const Schedule& schedule, Objective objective, const Vector& eigenvalues, double c, std::vector<RateRun> runs,
            double peak, Index dim);

  Objective objective() const { return objective_; }
  Index groups() const { return shifted_.size(); }
  // Fills the weights and the exact contraction 1 - k_t w_t of timestep t.
  void row(const Schedule& schedule, int t, Eigen::ArrayXd& weights, Eigen::ArrayXd& contraction) const;

 private:
  Objective objective_;
  Eigen::ArrayXd shifted_;  // lambda + c
  double rate_denominator_ = 0;  // T d (a step's factor is 1 - 2 eta k_t / (T d)); 0 for the optimum
  std::vector<RateRun> runs_;     // the rates of the steps taken, as runs of equal rates
};

// Stores every row of `rows` as a DiagonalModel. O(T G).
DiagonalModel materialise(const Schedule& schedule, const ModelRows& rows);

// A diagonal model from arbitrary weights (T x G, the objective's parameterisation). O(T G).
DiagonalModel diagonal_model(const Schedule& schedule, Objective objective, RowMatrix weights);

// The optimum (section 3.4) for groups with Sigma0 eigenvalues `eigenvalues` and regularisation c. O(T G).
DiagonalModel optimal_model(const Schedule& schedule, Objective objective, const Vector& eigenvalues, double c);

// Full-batch gradient descent from zero weights (W = 0 or V = 0) on the mean-over-t loss
// (per-sample squared error divided by d), learning rate eta, after `steps` steps, bias held
// at mu0 (section 4): per mode u_t(s) = u^*_t (1 - (1 - 2 \eta k_t / (T d))^s), u = w or v.
// Minibatch SGD with t drawn uniformly follows this trajectory in expectation. Requires
// 2 eta k_t / (T d) < 2 for stability; throws std::invalid_argument otherwise. O(T G).
DiagonalModel gradient_descent_model(const Schedule& schedule, Objective objective, const Vector& eigenvalues,
                                     double c, double learning_rate, double steps, Index dim);
// The same after `steps` steps of a learning-rate schedule: per mode u_t(s) = u^*_t (1 - \prod_{j<s} (1 - 2 \eta_j k_t / (T d))).
DiagonalModel gradient_descent_model(const Schedule& schedule, Objective objective, const Vector& eigenvalues,
                                     double c, const RateSchedule& rate, double steps, Index dim);

}  // namespace lindiff
