#include "src/denoisers/wiener_locality.h"

#include <limits>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include <torch/torch.h>

namespace lindiff {

at::Tensor wiener_gain(const at::Tensor& eigenvalues, const at::Tensor& eigenvectors, double abar) {
  const at::Tensor gains = abar * eigenvalues / (abar * eigenvalues + (1 - abar));
  return (eigenvectors * gains.unsqueeze(0)).mm(eigenvectors.t());
}

at::Tensor wiener_locality_masks(const at::Tensor& gain, double threshold) {
  if (gain.dim() != 2 || gain.size(0) != gain.size(1)) throw std::invalid_argument("wiener_local: the gain must be [d, d]");
  if (!(threshold >= 0 && threshold < 1)) throw std::invalid_argument("wiener_local: the threshold must lie in [0, 1)");
  const at::Tensor magnitude = gain.abs();
  const at::Tensor largest = std::get<0>(magnitude.max(1, true));
  at::Tensor masks = (magnitude >= threshold * largest).to(gain.scalar_type());
  // A zero row (a constant coordinate) would keep every coordinate at threshold 0 and none above:
  // it keeps itself, whose training values are all equal.
  const at::Tensor zero_rows = (largest.squeeze(1) == 0).to(gain.scalar_type());
  const at::Tensor identity = torch::eye(gain.size(0), gain.options());
  return masks * (1 - zero_rows).unsqueeze(1) + identity * zero_rows.unsqueeze(1);
}

at::Tensor masked_posterior_mean(const at::Tensor& x, double sqrt_abar, double one_minus_abar, const at::Tensor& masks,
                                 const at::Tensor& rows, std::int64_t block_rows) {
  if (x.dim() != 2 || rows.dim() != 2 || masks.dim() != 2 || x.size(1) != rows.size(1) || masks.size(0) != x.size(1) ||
      masks.size(1) != x.size(1) || rows.size(0) < 1 || block_rows < 1) {
    throw std::invalid_argument("wiener_local: queries [B, d], masks [d, d] and a non-empty training set [N, d] must share d");
  }
  if (!(one_minus_abar > 0)) throw std::invalid_argument("wiener_local: 1 - abar must be positive");
  torch::NoGradGuard no_grad;
  const std::int64_t b = x.size(0), d = x.size(1);
  const at::Tensor by_output = masks.t();  // [q, p]
  at::Tensor running_max = torch::full({b, d}, -std::numeric_limits<double>::infinity(), x.options());
  at::Tensor total = torch::zeros({b, d}, x.options());
  at::Tensor weighted = torch::zeros({b, d}, x.options());
  const double s = sqrt_abar, scale = 1 / (2 * one_minus_abar);
  for (std::int64_t first = 0; first < rows.size(0); first += block_rows) {
    const std::int64_t count = std::min(block_rows, rows.size(0) - first);
    const at::Tensor y = rows.narrow(0, first, count);
    // logit[b, i, p] = (2 s sum_q M[p,q] x_q y_iq - s^2 sum_q M[p,q] y_iq^2) / (2 (1 - abar)); the
    // term in x_q^2 alone is common to every i and drops out of the softmax.
    const at::Tensor cross = (x.unsqueeze(1) * y.unsqueeze(0)).reshape({b * count, d}).mm(by_output).view({b, count, d});
    const at::Tensor own = y.pow(2).mm(by_output);
    at::Tensor logits = (2 * s * cross - s * s * own.unsqueeze(0)) * scale;
    const at::Tensor new_max = at::maximum(running_max, logits.amax(1));
    const at::Tensor carried = (running_max - new_max).exp();
    logits.sub_(new_max.unsqueeze(1)).exp_();
    total = total * carried + logits.sum(1);
    weighted = weighted * carried + (logits * y.unsqueeze(0)).sum(1);
    running_max = new_max;
  }
  return weighted / total;
}

namespace {

class WienerLocalDenoiser : public Denoiser {
 public:
  WienerLocalDenoiser(const at::Tensor& training_rows, double threshold, const Schedule& schedule, c10::Device device,
                      std::int64_t block_rows)
      : Denoiser(schedule, Objective::kData, device), schedule_(schedule), threshold_(threshold), block_rows_(block_rows) {
    if (!training_rows.defined() || !at::isFloatingType(training_rows.scalar_type()) || training_rows.dim() != 2 ||
        training_rows.size(0) < 1) {
      throw std::invalid_argument("wiener_local: the training rows must be a non-empty floating [N, d] tensor");
    }
    if (!(threshold >= 0 && threshold < 1)) throw std::invalid_argument("wiener_local: the threshold must lie in [0, 1)");
    rows_ = training_rows.to(device).contiguous();
    const at::Tensor exact = training_rows.to(torch::kCPU, torch::kDouble);
    const at::Tensor centred = exact - exact.mean(0);
    const auto [values, vectors] = torch::linalg_eigh(centred.t().mm(centred) / static_cast<double>(exact.size(0)));
    eigenvalues_ = values.clamp_min(0);  // round-off below 0 on a singular covariance
    eigenvectors_ = vectors;
  }

 protected:
  at::Tensor native(const at::Tensor& x, const at::Tensor& t) const override {
    const at::Tensor input = x.to(rows_.scalar_type());
    at::Tensor out = torch::empty_like(input);
    const at::Tensor steps = t.to(torch::kCPU);
    for (const std::int64_t step : unique_steps(steps)) {
      const at::Tensor which = (t == step).nonzero().squeeze(1);
      const int k = static_cast<int>(step);
      out.index_copy_(0, which,
                      masked_posterior_mean(input.index_select(0, which), std::sqrt(schedule_.abar(k)),
                                            schedule_.one_minus_abar(k), masks(k), rows_, block_rows_));
    }
    return out.to(x.scalar_type());
  }

 private:
  static std::vector<std::int64_t> unique_steps(const at::Tensor& steps) {
    const at::Tensor unique = std::get<0>(at::_unique(steps)).to(torch::kLong).contiguous();
    return std::vector<std::int64_t>(unique.data_ptr<std::int64_t>(), unique.data_ptr<std::int64_t>() + unique.numel());
  }

  // The masks of step t, computed once (O(d^3)) and kept: a run asks for a few timesteps many times.
  const at::Tensor& masks(int t) const {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = masks_.find(t);
    if (it == masks_.end()) {
      const at::Tensor gain = wiener_gain(eigenvalues_, eigenvectors_, schedule_.abar(t));
      it = masks_.emplace(t, wiener_locality_masks(gain, threshold_).to(rows_.device(), rows_.scalar_type())).first;
    }
    return it->second;
  }

  const Schedule& schedule_;
  double threshold_;
  std::int64_t block_rows_;
  at::Tensor rows_, eigenvalues_, eigenvectors_;
  mutable std::mutex mutex_;
  mutable std::map<int, at::Tensor> masks_;
};

}  // namespace

std::shared_ptr<const Denoiser> wiener_local_denoiser(const at::Tensor& training_rows, double threshold,
                                                      const Schedule& schedule, c10::Device device, std::int64_t block_rows) {
  return std::make_shared<WienerLocalDenoiser>(training_rows, threshold, schedule, device, block_rows);
}

}  // namespace lindiff
