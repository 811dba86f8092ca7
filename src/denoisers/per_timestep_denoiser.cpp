#include "src/denoisers/per_timestep_denoiser.h"

#include <algorithm>
#include <cmath>
#include <mutex>
#include <stdexcept>
#include <string>
#include <utility>

#include <torch/torch.h>

namespace lindiff {

namespace {

class PerTimestepDenoiser : public Denoiser {
 public:
  PerTimestepDenoiser(const Schedule& schedule, c10::Device device, std::vector<double> settings, DenoiserForSetting make)
      : Denoiser(schedule, Objective::kData, device), settings_(std::move(settings)), make_(std::move(make)) {
    if (!make_) throw std::invalid_argument("per-timestep denoiser: no factory for its parts");
    if (static_cast<int>(settings_.size()) != schedule.steps()) {
      throw std::invalid_argument("per-timestep denoiser: " + std::to_string(settings_.size()) + " settings for " +
                                  std::to_string(schedule.steps()) + " timesteps");
    }
    for (double setting : settings_) {
      if (!std::isfinite(setting)) throw std::invalid_argument("per-timestep denoiser: every setting must be finite");
    }
  }

 protected:
  at::Tensor native(const at::Tensor& x, const at::Tensor& t) const override {
    const at::Tensor steps = t.cpu().contiguous();
    const std::int64_t* step = steps.data_ptr<std::int64_t>();
    // The rows of each setting, in order of first appearance.
    std::vector<std::pair<double, std::vector<std::int64_t>>> groups;
    for (std::int64_t i = 0; i < steps.numel(); ++i) {
      const double setting = setting_of(step[i]);
      auto group = std::find_if(groups.begin(), groups.end(), [&](const auto& g) { return g.first == setting; });
      if (group == groups.end()) group = groups.insert(groups.end(), {setting, {}});
      group->second.push_back(i);
    }
    // A sampler's batch shares one t: one part predicts it whole.
    if (groups.size() == 1) return part(groups.front().first)->predict(x, t, Objective::kData);
    at::Tensor out = at::empty_like(x);
    for (const auto& [setting, rows] : groups) {
      const at::Tensor index = torch::tensor(rows, torch::kLong).to(x.device());
      out.index_copy_(0, index, part(setting)->predict(x.index_select(0, index), t.index_select(0, index), Objective::kData));
    }
    return out;
  }

 private:
  double setting_of(std::int64_t t) const {
    if (t < 1 || t > static_cast<std::int64_t>(settings_.size())) {
      throw std::invalid_argument("per-timestep denoiser: timestep " + std::to_string(t) + " outside 1.." +
                                  std::to_string(settings_.size()));
    }
    return settings_[static_cast<std::size_t>(t - 1)];
  }

  // The part for `setting`, built unless it is the one kept; the caller's copy keeps it alive
  // while it predicts, even if another call replaces the kept one.
  std::shared_ptr<const Denoiser> part(double setting) const {
    const std::lock_guard<std::mutex> lock(mutex_);
    if (!kept_ || kept_setting_ != setting) {
      kept_.reset();  // free the old part before the new one is built
      kept_ = make_(setting);
      kept_setting_ = setting;
    }
    return kept_;
  }

  std::vector<double> settings_;
  DenoiserForSetting make_;
  mutable std::mutex mutex_;
  mutable std::shared_ptr<const Denoiser> kept_;
  mutable double kept_setting_ = 0;
};

}  // namespace

std::shared_ptr<const Denoiser> per_timestep_denoiser(const Schedule& schedule, c10::Device device,
                                                      std::vector<double> settings, DenoiserForSetting make) {
  return std::make_shared<PerTimestepDenoiser>(schedule, device, std::move(settings), std::move(make));
}

}  // namespace lindiff
