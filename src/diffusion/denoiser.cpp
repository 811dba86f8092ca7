#include "src/diffusion/denoiser.h"

#include <torch/torch.h>

namespace lindiff {

Denoiser::Denoiser(const Schedule& schedule, Objective native, c10::Device device)
    : native_(native), device_(device), coefficients_(schedule_tensors(schedule)) {
  coefficients_.sqrt_abar = coefficients_.sqrt_abar.to(device);
  coefficients_.sqrt_one_minus_abar = coefficients_.sqrt_one_minus_abar.to(device);
}

at::Tensor Denoiser::predict(const at::Tensor& x, const at::Tensor& t, Objective target) const {
  const torch::Tensor prediction = native(x, t);
  return target == native_ ? prediction : converted(x, t, prediction);
}

DenoiserPrediction Denoiser::predict_both(const at::Tensor& x, const at::Tensor& t) const {
  const torch::Tensor prediction = native(x, t);
  const torch::Tensor other = converted(x, t, prediction);
  return native_ == Objective::kData ? DenoiserPrediction{prediction, other} : DenoiserPrediction{other, prediction};
}

at::Tensor Denoiser::converted(const at::Tensor& x, const at::Tensor& t, const at::Tensor& prediction) const {
  const torch::Tensor index = t - 1;
  const torch::Tensor root_signal = coefficients_.sqrt_abar.index_select(0, index).unsqueeze(1);
  const torch::Tensor root_noise = coefficients_.sqrt_one_minus_abar.index_select(0, index).unsqueeze(1);
  // eps = (x - sqrt(abar) x0) / sqrt(1 - abar) and x0 = (x - sqrt(1 - abar) eps) / sqrt(abar).
  return native_ == Objective::kData ? (x - root_signal * prediction) / root_noise
                                     : (x - root_noise * prediction) / root_signal;
}

FunctionDenoiser::FunctionDenoiser(const Schedule& schedule, Objective native, c10::Device device, Native function)
    : Denoiser(schedule, native, device), function_(std::move(function)) {}

}  // namespace lindiff
