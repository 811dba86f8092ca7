// Owns the one interface every denoiser implements, trained (linear, U-Net), analytic (Bayes,
// Wiener) or loaded: for a batch x_t at timesteps t on its device, the prediction of x0 and of
// the noise. A denoiser computes one of the two natively; the other follows from the forward
// process x_t = sqrt(abar_t) x0 + sqrt(1 - abar_t) eps (docs/theory.md#objective-conversion), here
// and nowhere else.
#pragma once

#include <functional>

#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>

#include "src/diffusion/forward_process.h"
#include "src/theory/objective.h"
#include "src/theory/schedule.h"

namespace lindiff {

// Both predictions for one batch.
struct DenoiserPrediction {
  at::Tensor x0;   // [B, d]
  at::Tensor eps;  // [B, d]
};

// A denoiser of the diffusion with schedule `schedule`.
class Denoiser {
 public:
  // `native`: what native() returns; inputs and outputs live on `device`.
  Denoiser(const Schedule& schedule, Objective native, c10::Device device);
  virtual ~Denoiser() = default;
  Denoiser(const Denoiser&) = delete;
  Denoiser& operator=(const Denoiser&) = delete;

  // The prediction of `target` for x [B, d] at timesteps t [B] (int64, 1..T), both on device():
  // the native prediction, or the other target through the forward process. No gradient is
  // recorded unless the caller records one. O(one native prediction + B d).
  at::Tensor predict(const at::Tensor& x, const at::Tensor& t, Objective target) const;
  // Both predictions.
  DenoiserPrediction predict_both(const at::Tensor& x, const at::Tensor& t) const;

  Objective native_objective() const { return native_; }
  c10::Device device() const { return device_; }
  // Number of timesteps T of its schedule.
  std::int64_t steps() const { return coefficients_.sqrt_abar.size(0); }

 protected:
  // The native prediction for x [B, d] at t [B].
  virtual at::Tensor native(const at::Tensor& x, const at::Tensor& t) const = 0;

 private:
  // The other target than the native one, from the native `prediction`.
  at::Tensor converted(const at::Tensor& x, const at::Tensor& t, const at::Tensor& prediction) const;

  Objective native_;
  c10::Device device_;
  ScheduleTensors coefficients_;  // on device_
};

// A denoiser whose native prediction is a function (tests, wrappers of modules and closed forms).
class FunctionDenoiser : public Denoiser {
 public:
  using Native = std::function<at::Tensor(const at::Tensor& x, const at::Tensor& t)>;
  FunctionDenoiser(const Schedule& schedule, Objective native, c10::Device device, Native function);

 protected:
  at::Tensor native(const at::Tensor& x, const at::Tensor& t) const override { return function_(x, t); }

 private:
  Native function_;
};

}  // namespace lindiff
