#include "src/denoisers/diagonal_denoiser.h"

#include <torch/torch.h>

#include "src/tensors/tensor_bridge.h"

namespace lindiff {

std::shared_ptr<const Denoiser> diagonal_denoiser(const Schedule& schedule, const ModeSpace& modes,
                                                  const DiagonalModel& model, const Vector& bias, c10::Device device) {
  const Index r = modes.basis().cols();
  const torch::Tensor basis = to_tensor(modes.basis()).to(device);  // U [d, r]
  const torch::Tensor mean = to_tensor(bias).to(device);
  const torch::Tensor gains = to_tensor(Matrix(model.weights)).to(device);  // [T, G]
  const torch::Tensor explicit_gains = gains.slice(1, 0, r);
  const std::optional<torch::Tensor> complement_gain =
      modes.has_complement() ? std::optional<torch::Tensor>(gains.select(1, r)) : std::nullopt;  // [T]
  const torch::Tensor root = schedule_tensors(schedule).sqrt_abar.to(device);
  const bool data = model.objective == Objective::kData;
  return std::make_shared<FunctionDenoiser>(
      schedule, model.objective, device,
      [basis, mean, explicit_gains, complement_gain, root, data](const at::Tensor& x, const at::Tensor& t) {
        const torch::Tensor index = t - 1;
        const torch::Tensor centred = x - root.index_select(0, index).unsqueeze(1) * mean;
        const torch::Tensor coordinates = torch::matmul(centred, basis);
        torch::Tensor prediction = torch::matmul(coordinates * explicit_gains.index_select(0, index), basis.t());
        if (complement_gain) {  // w_c (x - U U^T x) on the directions the basis does not span
          prediction = prediction + complement_gain->index_select(0, index).unsqueeze(1) *
                                        (centred - torch::matmul(coordinates, basis.t()));
        }
        return data ? prediction + mean : prediction;
      });
}

std::shared_ptr<const Denoiser> bayes_denoiser(const Population& population, const Schedule& schedule,
                                               Objective objective, c10::Device device) {
  const ModeSpace modes(population.eigen);
  return diagonal_denoiser(schedule, modes, optimal_model(schedule, objective, modes.eigenvalues(), 0.0),
                           population.mean, device);
}

std::shared_ptr<const Denoiser> wiener_denoiser(const TrainingSet& set, const ModeSpace& modes, const Schedule& schedule,
                                                Objective objective, double c, std::optional<GradientDescentStep> gd,
                                                c10::Device device) {
  const DiagonalModel model =
      gd ? gradient_descent_model(schedule, objective, modes.eigenvalues(), c, gd->learning_rate, gd->steps, modes.dim())
         : optimal_model(schedule, objective, modes.eigenvalues(), c);
  return diagonal_denoiser(schedule, modes, model, set.moments.mean, device);
}

}  // namespace lindiff
