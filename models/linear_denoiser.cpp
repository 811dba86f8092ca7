#include "models/linear_denoiser.h"

#include <stdexcept>

#include <torch/torch.h>

namespace lindiff {

namespace {

// Rows of t grouped by timestep: the distinct values, and for each the rows that have it.
struct TimestepGroups {
  std::vector<std::int64_t> timesteps;
  std::vector<torch::Tensor> rows;
  torch::Tensor order;  // the concatenation of `rows`
};

TimestepGroups group_by_timestep(const torch::Tensor& t) {
  auto [sorted, order] = t.sort();
  auto [values, inverse, counts] = torch::unique_consecutive(sorted, false, true);
  TimestepGroups groups;
  groups.order = order;
  const torch::Tensor values_cpu = values.cpu(), counts_cpu = counts.cpu();
  const auto v = values_cpu.accessor<std::int64_t, 1>();
  const auto c = counts_cpu.accessor<std::int64_t, 1>();
  std::int64_t start = 0;
  for (std::int64_t g = 0; g < values.size(0); ++g) {
    groups.timesteps.push_back(v[g]);
    groups.rows.push_back(order.narrow(0, start, c[g]));
    start += c[g];
  }
  return groups;
}

// Up to this many gathered weight entries (B d^2) a batch is one batched product with each
// row's W_t gathered; beyond it, one product per distinct timestep keeps memory at O(k d^2).
constexpr std::int64_t kGatherLimit = std::int64_t{1} << 24;

}  // namespace

LinearDenoiserImpl::LinearDenoiserImpl(const LinearDenoiserOptions& opts, const torch::Tensor& schedule_sqrt_abar)
    : options(opts) {
  if (opts.dim < 1) throw std::invalid_argument("LinearDenoiser: dim must be >= 1");
  if (opts.objective != "noise" && opts.objective != "data") {
    throw std::invalid_argument("LinearDenoiser: objective '" + opts.objective + "' (valid: noise, data)");
  }
  if (opts.init != "zero" && opts.init != "normal") {
    throw std::invalid_argument("LinearDenoiser: init '" + opts.init + "' (valid: zero, normal)");
  }
  const std::int64_t steps = schedule_sqrt_abar.size(0), d = opts.dim;
  torch::Generator generator = at::detail::createCPUGenerator(opts.seed);
  for (std::int64_t t = 1; t <= steps; ++t) {
    torch::Tensor w = opts.init == "normal" ? torch::randn({d, d}, generator) / std::sqrt(static_cast<double>(d))
                                            : torch::zeros({d, d});
    weights_.push_back(register_parameter("weight_" + std::to_string(t), w));
    biases_.push_back(opts.train_bias ? register_parameter("bias_" + std::to_string(t), torch::zeros({d}))
                                      : register_buffer("bias_" + std::to_string(t), torch::zeros({d})));
  }
  sqrt_abar = register_buffer("sqrt_abar", schedule_sqrt_abar.to(torch::kFloat).clone());
}

torch::Tensor LinearDenoiserImpl::forward(const torch::Tensor& x, const torch::Tensor& t) {
  if (t.size(0) * options.dim * options.dim <= kGatherLimit) return forward_gathered(x, t);
  const TimestepGroups groups = group_by_timestep(t);
  std::vector<torch::Tensor> parts;
  for (std::size_t g = 0; g < groups.timesteps.size(); ++g) {
    parts.push_back(forward_at(x.index_select(0, groups.rows[g]), groups.timesteps[g]));
  }
  // Undo the grouping: row groups.order[i] of the input is row i of the concatenation.
  const torch::Tensor inverse = torch::empty_like(groups.order);
  inverse.index_put_({groups.order}, torch::arange(groups.order.size(0), groups.order.options()));
  return torch::cat(parts, 0).index_select(0, inverse);
}

torch::Tensor LinearDenoiserImpl::forward_gathered(const torch::Tensor& x, const torch::Tensor& t) {
  const auto [values, group] = at::_unique(t, /*sorted=*/true, /*return_inverse=*/true);
  const torch::Tensor values_cpu = values.cpu();
  const auto v = values_cpu.accessor<std::int64_t, 1>();
  std::vector<torch::Tensor> used_weights, used_biases;
  for (std::int64_t g = 0; g < values_cpu.size(0); ++g) {
    used_weights.push_back(weights_.at(v[g] - 1));
    used_biases.push_back(biases_.at(v[g] - 1));
  }
  const torch::Tensor w = torch::stack(used_weights).index_select(0, group);  // [B, d, d]
  const torch::Tensor b = torch::stack(used_biases).index_select(0, group);   // [B, d]
  const torch::Tensor root = sqrt_abar.index_select(0, t - 1).unsqueeze(1);
  const torch::Tensor out = torch::bmm(w, (x - root * b).unsqueeze(2)).squeeze(2);
  return options.objective == "data" ? out + b : out;
}

torch::Tensor LinearDenoiserImpl::forward_at(const torch::Tensor& x, std::int64_t t) {
  const torch::Tensor& b = biases_.at(t - 1);
  const torch::Tensor out = torch::matmul(x - sqrt_abar[t - 1] * b, weights_.at(t - 1).t());
  return options.objective == "data" ? out + b : out;
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
  const torch::Tensor norms = options.objective == "noise"
                                  ? (root * w).pow(2).sum({1, 2})
                                  : (root * w - torch::eye(options.dim, w.options())).pow(2).sum({1, 2});
  const torch::Tensor total = (counts.to(norms.dtype()) * norms).sum();
  return c * total / static_cast<double>(t.size(0) * options.dim);
}

void LinearDenoiserImpl::set_bias(const torch::Tensor& value) {
  torch::NoGradGuard no_grad;
  for (torch::Tensor& b : biases_) b.copy_(value.to(torch::kFloat));
}

torch::Tensor LinearDenoiserImpl::stacked_weights() const { return torch::stack(weights_).detach().clone(); }

torch::Tensor LinearDenoiserImpl::stacked_biases() const { return torch::stack(biases_).detach().clone(); }

}  // namespace lindiff
