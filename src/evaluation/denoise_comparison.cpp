#include "src/evaluation/denoise_comparison.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <torch/torch.h>

#include "src/common/quantile.h"
#include "src/evaluation/agreement.h"
#include "src/report/metrics.h"

namespace lindiff {

DenoiseSplit shared_inputs(const std::string& name, const at::Tensor& clean, const std::vector<std::int64_t>& grid,
                           const Schedule& schedule, std::uint64_t seed, std::int64_t draws) {
  const std::int64_t m = clean.size(0), d = clean.size(1);
  if (draws < m) throw std::invalid_argument("shared_inputs: " + std::to_string(draws) + " noise rows for " + std::to_string(m) + " images");
  const torch::Tensor x0 = clean.to(torch::kCPU, torch::kFloat).contiguous();
  torch::Generator generator = at::detail::createCPUGenerator(seed);
  const auto g_count = static_cast<std::int64_t>(grid.size());
  const torch::Tensor eps = torch::randn({g_count, draws, d}, generator, torch::kFloat).slice(1, 0, m);
  torch::Tensor noisy = torch::empty({g_count, m, d}, torch::kFloat);
  for (std::int64_t g = 0; g < g_count; ++g) {
    const std::int64_t t = grid[static_cast<std::size_t>(g)];
    if (t < 1 || t > schedule.steps()) {
      throw std::invalid_argument("shared_inputs: timestep " + std::to_string(t) + " outside 1.." + std::to_string(schedule.steps()));
    }
    const int ti = static_cast<int>(t);
    noisy[g] = std::sqrt(schedule.abar(ti)) * x0 + std::sqrt(schedule.one_minus_abar(ti)) * eps[g];
  }
  return {name, x0, noisy};
}

DenoiseComparison::DenoiseComparison(const Schedule& schedule, std::vector<std::int64_t> grid,
                                     std::vector<DenoiseSplit> splits)
    : schedule_(schedule), grid_(std::move(grid)), splits_(std::move(splits)) {}

std::vector<at::Tensor> DenoiseComparison::outputs(const Denoiser& denoiser, std::int64_t batch) const {
  std::vector<at::Tensor> per_split;
  for (std::size_t s = 0; s < splits_.size(); ++s) per_split.push_back(split_outputs(denoiser, s, batch));
  return per_split;
}

at::Tensor DenoiseComparison::split_outputs(const Denoiser& denoiser, std::size_t s, std::int64_t batch) const {
  torch::NoGradGuard no_grad;
  const DenoiseSplit& split = splits_.at(s);
  const std::int64_t g_count = split.noisy.size(0), m = split.noisy.size(1), d = split.noisy.size(2);
  const torch::Tensor inputs = split.noisy.reshape({g_count * m, d});
  const torch::Tensor timesteps = torch::tensor(grid_, torch::kLong).repeat_interleave(m);  // query q at grid[q / m]
  std::vector<torch::Tensor> pieces;
  for (std::int64_t start = 0; start < g_count * m; start += batch) {
    const std::int64_t end = std::min(g_count * m, start + batch);
    const torch::Tensor x = inputs.slice(0, start, end).to(denoiser.device());
    const torch::Tensor t = timesteps.slice(0, start, end).to(denoiser.device());
    pieces.push_back(denoiser.predict(x, t, Objective::kData).to(torch::kCPU, torch::kFloat));
  }
  return torch::cat(pieces).reshape({g_count, m, d});
}

void DenoiseComparison::add_reference(const std::string& name, const Denoiser& denoiser) {
  names_.push_back(name);
  reference_outputs_.push_back(outputs(denoiser));
}

void DenoiseComparison::add_rows(const std::string& name, const std::vector<at::Tensor>& outputs,
                                 const DenoiseRowSink& sink) const {
  if (outputs.size() != splits_.size()) throw std::invalid_argument("DenoiseComparison::add_rows: one output per split");
  for (std::size_t s = 0; s < splits_.size(); ++s) {
    const DenoiseSplit& split = splits_[s];
    for (std::size_t g = 0; g < grid_.size(); ++g) {
      const std::string t = std::to_string(grid_[g]);
      const torch::Tensor mine = outputs[s][static_cast<std::int64_t>(g)];
      sink(t, metric::denoise_mse(split.name), (mine.to(torch::kDouble) - split.clean.to(torch::kDouble)).pow(2).mean().item<double>());
      for (std::size_t r = 0; r < names_.size(); ++r) {
        if (names_[r] == name) continue;
        const Agreement a = agreement(mine, reference_outputs_[r][s][static_cast<std::int64_t>(g)]);
        sink(t, metric::agreement("mse", names_[r], split.name), a.mse);
        sink(t, metric::agreement("r2", names_[r], split.name), a.r_squared);
        sink(t, metric::agreement("pearson", names_[r], split.name), a.pearson);
      }
    }
  }
}

void add_sample_rows(const at::Tensor& samples, const std::string& reference, const at::Tensor& reference_samples,
                     const DenoiseRowSink& sink) {
  if (samples.dim() != 2 || !samples.sizes().equals(reference_samples.sizes())) {
    throw std::invalid_argument("add_sample_rows: samples and reference samples must both be [K, d]");
  }
  const Agreement pooled = agreement(samples, reference_samples);
  std::vector<double> per_sample;
  for (std::int64_t i = 0; i < samples.size(0); ++i) {
    const double r2 = agreement(samples[i], reference_samples[i]).r_squared;
    if (!std::isnan(r2)) per_sample.push_back(r2);
  }
  std::sort(per_sample.begin(), per_sample.end());
  sink("", metric::sample_agreement("mse", reference), pooled.mse);
  sink("", metric::sample_agreement("r2", reference), pooled.r_squared);
  sink("", metric::sample_agreement("r2_median", reference),
       per_sample.empty() ? std::nan("") : sorted_quantile(per_sample, 0.5));
}

}  // namespace lindiff
