#include "models/linear_denoiser.h"

#include <algorithm>
#include <stdexcept>
#include <tuple>

#include <torch/torch.h>

#include "models/grouped_product.h"

namespace lindiff {

namespace {

// Rows of a minibatch sorted by timestep: the distinct timesteps and where each one's rows sit.
struct TimestepGroups {
  std::vector<std::int64_t> timesteps;  // G distinct values, ascending
  std::vector<std::int64_t> offsets;    // G + 1: group g is sorted rows [offsets[g], offsets[g + 1])
  torch::Tensor order;                  // [B]: sorted row i is input row order[i]
  torch::Tensor sorted_t;               // [B]: t[order]
  torch::Tensor group_of_row;           // [B]: the group of each sorted row
};

TimestepGroups group_by_timestep(const torch::Tensor& t) {
  TimestepGroups groups;
  std::tie(groups.sorted_t, groups.order) = t.sort();
  torch::Tensor values, counts;
  std::tie(values, groups.group_of_row, counts) = torch::unique_consecutive(groups.sorted_t, true, true);
  const torch::Tensor values_cpu = values.cpu(), counts_cpu = counts.cpu();
  const auto v = values_cpu.accessor<std::int64_t, 1>();
  const auto c = counts_cpu.accessor<std::int64_t, 1>();
  groups.offsets.push_back(0);
  for (std::int64_t g = 0; g < values_cpu.size(0); ++g) {
    groups.timesteps.push_back(v[g]);
    groups.offsets.push_back(groups.offsets.back() + c[g]);
  }
  return groups;
}

// The inverse permutation: row order[i] of the input is row i of the sorted rows.
torch::Tensor inverse_permutation(const torch::Tensor& order) {
  torch::Tensor inverse = torch::empty_like(order);
  inverse.index_put_({order}, torch::arange(order.size(0), order.options()));
  return inverse;
}

}  // namespace

LinearDenoiserImpl::LinearDenoiserImpl(const LinearDenoiserOptions& opts, const torch::Tensor& schedule_sqrt_abar)
    : options(opts) {
  if (opts.dim < 1) throw std::invalid_argument("LinearDenoiser: dim must be >= 1");
  const std::int64_t steps = schedule_sqrt_abar.size(0), d = opts.dim;
  torch::Generator generator = at::detail::createCPUGenerator(opts.seed);
  for (std::int64_t t = 1; t <= steps; ++t) {
    torch::Tensor w = opts.init == LinearInit::kNormal ? torch::randn({d, d}, generator) / std::sqrt(static_cast<double>(d))
                                            : torch::zeros({d, d});
    weights_.push_back(register_parameter("weight_" + std::to_string(t), w));
    biases_.push_back(opts.train_bias ? register_parameter("bias_" + std::to_string(t), torch::zeros({d}))
                                      : register_buffer("bias_" + std::to_string(t), torch::zeros({d})));
  }
  sqrt_abar = register_buffer("sqrt_abar", schedule_sqrt_abar.to(torch::kFloat).clone());
}

torch::Tensor LinearDenoiserImpl::forward(const torch::Tensor& x, const torch::Tensor& t) {
  const TimestepGroups groups = group_by_timestep(t);
  if (groups.timesteps.size() == 1) return forward_at(x, groups.timesteps.front());
  std::vector<torch::Tensor> used_weights, used_biases;
  for (const std::int64_t step : groups.timesteps) {
    used_weights.push_back(weights_.at(step - 1));
    used_biases.push_back(biases_.at(step - 1));
  }
  const torch::Tensor b = torch::stack(used_biases).index_select(0, groups.group_of_row);  // [B, d], sorted rows
  const torch::Tensor root = sqrt_abar.index_select(0, groups.sorted_t - 1).unsqueeze(1);
  const torch::Tensor centred = x.index_select(0, groups.order) - root * b;
  torch::Tensor out = centred.is_cpu() ? grouped_product(centred, groups.offsets, used_weights)
                                       : padded_product(centred, groups.offsets, groups.group_of_row, used_weights);
  if (options.objective == Objective::kData) out = out + b;
  return out.index_select(0, inverse_permutation(groups.order));
}

torch::Tensor padded_product(const torch::Tensor& rows, const std::vector<std::int64_t>& offsets,
                             const torch::Tensor& group_of_row, const std::vector<torch::Tensor>& weights) {
  const std::int64_t groups = static_cast<std::int64_t>(weights.size()), d = rows.size(1);
  std::int64_t widest = 0;
  for (std::size_t g = 0; g + 1 < offsets.size(); ++g) widest = std::max(widest, offsets[g + 1] - offsets[g]);
  const torch::Tensor starts = torch::tensor(offsets, group_of_row.options()).index_select(0, group_of_row);
  const torch::Tensor slot = group_of_row * widest + torch::arange(rows.size(0), group_of_row.options()) - starts;
  const torch::Tensor padded = torch::zeros({groups * widest, d}, rows.options()).index_copy(0, slot, rows);
  const torch::Tensor out = torch::bmm(padded.view({groups, widest, d}), torch::stack(weights).transpose(1, 2));
  return out.view({groups * widest, d}).index_select(0, slot);
}

torch::Tensor LinearDenoiserImpl::forward_at(const torch::Tensor& x, std::int64_t t) {
  const torch::Tensor& b = biases_.at(t - 1);
  const torch::Tensor out = torch::matmul(x - sqrt_abar[t - 1] * b, weights_.at(t - 1).t());
  return options.objective == Objective::kData ? out + b : out;
}

torch::Tensor LinearDenoiserImpl::penalty(const torch::Tensor& t, double c) {
  // One batched expression over the G distinct timesteps of the minibatch (a loop of small
  // per-timestep ops made c > 0 runs ~3x slower).
  const auto [values, inverse, counts] = at::_unique2(t, /*sorted=*/true, /*return_inverse=*/false, /*return_counts=*/true);
  const torch::Tensor values_cpu = values.cpu();
  const auto v = values_cpu.accessor<std::int64_t, 1>();
  std::vector<torch::Tensor> used;
  for (std::int64_t g = 0; g < values_cpu.size(0); ++g) used.push_back(weights_.at(v[g] - 1));
  const torch::Tensor w = torch::stack(used);                                           // [G, d, d]
  const torch::Tensor root = sqrt_abar.index_select(0, values - 1).view({-1, 1, 1});  // [G, 1, 1]
  const torch::Tensor norms = options.objective == Objective::kNoise
                                  ? (root * w).pow(2).sum({1, 2})
                                  : (root * w - torch::eye(options.dim, w.options())).pow(2).sum({1, 2});
  const torch::Tensor total = (counts.to(norms.dtype()) * norms).sum();
  return c * total / static_cast<double>(t.size(0) * options.dim);
}

void LinearDenoiserImpl::set_bias(const torch::Tensor& value) {
  torch::NoGradGuard no_grad;
  for (torch::Tensor& b : biases_) b.copy_(value.to(torch::kFloat));
}

torch::Tensor LinearDenoiserImpl::stacked_weights() const { return torch::stack(weights_).detach(); }  // stack copies

torch::Tensor LinearDenoiserImpl::stacked_biases() const { return torch::stack(biases_).detach(); }

}  // namespace lindiff
