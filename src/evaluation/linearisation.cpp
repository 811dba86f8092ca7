#include "src/evaluation/linearisation.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <vector>

#include <torch/torch.h>

namespace lindiff {

at::Tensor jacobian_rows(const Denoiser& denoiser, const at::Tensor& x, const at::Tensor& t, std::int64_t p) {
  if (x.dim() != 2 || p < 0 || p >= x.size(1)) throw std::invalid_argument("jacobian_rows: x must be [B, d] and p in 0..d-1");
  torch::AutoGradMode enable(true);
  const at::Tensor input = x.detach().clone().set_requires_grad(true);
  const at::Tensor x0 = denoiser.predict(input, t, Objective::kData);
  if (!x0.requires_grad()) {
    throw std::invalid_argument("jacobian_rows: the denoiser's prediction carries no gradient (an analytic denoiser)");
  }
  // Rows are independent (each output row depends on its own input row only), so the gradient of
  // the sum of column p is every row's J_p at once.
  const at::Tensor grad = torch::autograd::grad({x0.select(1, p).sum()}, {input})[0];
  return grad.detach();
}

double mass_radius(const at::Tensor& row, const ImageShape& shape, std::int64_t p, double fraction) {
  const std::int64_t hw = static_cast<std::int64_t>(shape.height) * shape.width;
  if (row.dim() != 1 || row.size(0) != shape.size() || p < 0 || p >= shape.size()) {
    throw std::invalid_argument("mass_radius: the row must hold one value per coordinate of the shape");
  }
  const at::Tensor squared = row.to(torch::kCPU, torch::kDouble).pow(2).contiguous();
  const double* mass = squared.data_ptr<double>();
  const double total = squared.sum().item<double>();
  if (total == 0) return 0;
  const std::int64_t pi = (p % hw) / shape.width, pj = (p % hw) % shape.width;
  std::vector<std::pair<double, double>> by_distance;  // (distance, mass) per coordinate
  for (std::int64_t q = 0; q < shape.size(); ++q) {
    const std::int64_t qi = (q % hw) / shape.width, qj = (q % hw) % shape.width;
    by_distance.emplace_back(std::hypot(static_cast<double>(qi - pi), static_cast<double>(qj - pj)), mass[q]);
  }
  std::sort(by_distance.begin(), by_distance.end());
  double held = 0;
  for (std::size_t k = 0; k < by_distance.size(); ++k) {
    held += by_distance[k].second;
    // Coordinates at the same distance enter together.
    const bool last_at_distance = k + 1 == by_distance.size() || by_distance[k + 1].first > by_distance[k].first;
    if (last_at_distance && held >= fraction * total) return by_distance[k].first;
  }
  return by_distance.back().first;
}

double row_cosine(const at::Tensor& a, const at::Tensor& b) {
  const at::Tensor x = a.to(torch::kDouble), y = b.to(torch::kDouble);
  const double norms = x.norm().item<double>() * y.norm().item<double>();
  return norms == 0 ? 0.0 : (x * y).sum().item<double>() / norms;
}

}  // namespace lindiff
