#include "src/denoisers/empirical_denoiser.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include <torch/torch.h>

namespace lindiff {

namespace {

// The one shape check: x [B, D], the coefficients [B], keys [N, D + 1], values [N, c + 1], one
// floating type and one device, a positive block.
void check_posterior_inputs(const at::Tensor& x, const at::Tensor& sqrt_abar, const at::Tensor& one_minus_abar,
                            const SoftmaxCandidates& candidates, std::int64_t block_rows) {
  const auto fail = [](const std::string& what) { throw std::invalid_argument("empirical optimum: " + what); };
  const at::Tensor& keys = candidates.keys;
  const at::Tensor& values = candidates.values;
  if (!keys.defined() || !values.defined()) fail("the candidates are undefined (build them with softmax_candidates)");
  if (x.dim() != 2 || keys.dim() != 2 || x.size(1) + 1 != keys.size(1)) {
    fail("queries [B, d] and candidate keys [N, d + 1] must share d (got " + std::to_string(x.dim() == 2 ? x.size(1) : -1) +
         " and " + std::to_string(keys.dim() == 2 ? keys.size(1) - 1 : -1) + ")");
  }
  if (keys.size(0) < 1) fail("the training set is empty");
  if (values.dim() != 2 || values.size(0) != keys.size(0) || values.size(1) < 2) {
    fail("the candidate values must be [N, c + 1] beside the N keys");
  }
  for (const at::Tensor* c : {&sqrt_abar, &one_minus_abar}) {
    if (c->dim() != 1 || c->size(0) != x.size(0)) fail("the coefficients must hold one value per query");
  }
  for (const at::Tensor* t : {&sqrt_abar, &one_minus_abar, &keys, &values}) {
    if (t->scalar_type() != x.scalar_type() || t->device() != x.device()) fail("every input must share x's type and device");
  }
  if (!at::isFloatingType(x.scalar_type())) fail("the inputs must be floating point");
  if (block_rows < 1) fail("block_rows must be >= 1");
  if (one_minus_abar.numel() > 0 && one_minus_abar.min().item<double>() <= 0) {
    fail("1 - abar must be positive (t = 0 has no posterior: x_0 itself is given)");
  }
}

// `rows` on `device`, contiguous; throws std::invalid_argument unless it is a non-empty floating
// [N, d] tensor and `block_rows` >= 1.
at::Tensor checked_rows(const at::Tensor& rows, c10::Device device, std::int64_t block_rows) {
  if (!rows.defined() || !at::isFloatingType(rows.scalar_type()) || rows.dim() != 2 || rows.size(0) < 1) {
    throw std::invalid_argument("empirical optimum: the training rows must be a non-empty floating [N, d] tensor");
  }
  if (block_rows < 1) throw std::invalid_argument("empirical optimum: block_rows must be >= 1");
  return rows.to(device).contiguous();
}

// The empirical optimum as a Denoiser: per-timestep coefficients in the rows' type, the
// prediction returned in the query's type. Its native prediction is x0 (the noise follows
// through the base class).
class EmpiricalDenoiser : public Denoiser {
 public:
  EmpiricalDenoiser(const at::Tensor& training_rows, const Schedule& schedule, c10::Device device, std::int64_t block_rows)
      : Denoiser(schedule, Objective::kData, device),
        candidates_(softmax_candidates(checked_rows(training_rows, device, block_rows))),
        block_rows_(block_rows),
        coefficients_(posterior_coefficients(schedule, device, candidates_.keys.scalar_type())) {}

 protected:
  at::Tensor native(const at::Tensor& x, const at::Tensor& t) const override {
    const at::Tensor index = t - 1;
    return softmax_weighted_mean(x.to(candidates_.keys.scalar_type()), coefficients_.sqrt_abar.index_select(0, index),
                                 coefficients_.one_minus_abar.index_select(0, index), candidates_, block_rows_)
        .to(x.scalar_type());
  }

 private:
  SoftmaxCandidates candidates_;
  std::int64_t block_rows_;
  PosteriorCoefficients coefficients_;
};

}  // namespace

PosteriorCoefficients posterior_coefficients(const Schedule& schedule, c10::Device device, at::ScalarType type) {
  std::vector<double> sqrt_abar, one_minus_abar;
  for (int t = 1; t <= schedule.steps(); ++t) {
    sqrt_abar.push_back(std::sqrt(schedule.abar(t)));
    one_minus_abar.push_back(schedule.one_minus_abar(t));
  }
  const auto options = torch::TensorOptions().dtype(torch::kDouble);
  return {torch::tensor(sqrt_abar, options).to(device, type), torch::tensor(one_minus_abar, options).to(device, type)};
}

namespace {

// Rows [first, x_i, ||x_i||^2 (when with_norms)] for `rows` [N, d]; `first` NaN: no first column.
// Written in place, the squared norms a block of rows at a time, so building holds the result
// beside its input and no full-size temporary.
at::Tensor bordered_rows(const at::Tensor& rows, double first, bool with_norms) {
  const std::int64_t n = rows.size(0), d = rows.size(1), offset = std::isnan(first) ? 0 : 1;
  at::Tensor out = at::empty({n, offset + d + (with_norms ? 1 : 0)}, rows.options());
  if (offset == 1) out.narrow(1, 0, 1).fill_(first);
  out.narrow(1, offset, d).copy_(rows);
  constexpr std::int64_t kRowsPerBlock = 65536;
  for (std::int64_t start = 0; with_norms && start < n; start += kRowsPerBlock) {
    const std::int64_t count = std::min(kRowsPerBlock, n - start);
    const at::Tensor block = out.narrow(0, start, count);
    block.narrow(1, offset + d, 1).copy_(block.narrow(1, offset, d).pow(2).sum(1, true));
  }
  return out;
}

}  // namespace

SoftmaxCandidates softmax_candidates(const at::Tensor& keys, const at::Tensor& values) {
  if (keys.dim() != 2 || values.dim() != 2 || keys.size(0) != values.size(0) || keys.scalar_type() != values.scalar_type() ||
      keys.device() != values.device()) {
    throw std::invalid_argument("empirical optimum: the values must be [N, c] beside the N candidate keys [N, D], of their type and device");
  }
  return {bordered_rows(keys, std::nan(""), true), bordered_rows(values, 1.0, false)};
}

SoftmaxCandidates softmax_candidates(const at::Tensor& rows) {
  if (rows.dim() != 2) throw std::invalid_argument("empirical optimum: the training rows must be [N, d]");
  const std::int64_t d = rows.size(1);
  const at::Tensor storage = bordered_rows(rows, 1.0, true);
  return {storage.narrow(1, 1, d + 1), storage.narrow(1, 0, d + 1)};
}

at::Tensor empirical_posterior_mean(const at::Tensor& x, const at::Tensor& sqrt_abar, const at::Tensor& one_minus_abar,
                                    const at::Tensor& rows, std::int64_t block_rows) {
  return softmax_weighted_mean(x, sqrt_abar, one_minus_abar, softmax_candidates(rows), block_rows);
}

at::Tensor softmax_weighted_mean(const at::Tensor& x, const at::Tensor& sqrt_abar, const at::Tensor& one_minus_abar,
                                 const SoftmaxCandidates& candidates, std::int64_t block_rows) {
  check_posterior_inputs(x, sqrt_abar, one_minus_abar, candidates, block_rows);
  torch::NoGradGuard no_grad;
  // logit_i = [a x, -b] . [x_i, ||x_i||^2] with a = sqrt(abar) / (1 - abar), b = abar / (2 (1 - abar)).
  const at::Tensor query = at::cat({x * (sqrt_abar / one_minus_abar).unsqueeze(1),
                                    (-sqrt_abar * sqrt_abar / (2 * one_minus_abar)).unsqueeze(1)}, 1);
  const at::Tensor& keys = candidates.keys;
  const at::Tensor& values = candidates.values;
  at::Tensor running_max = at::full({x.size(0), 1}, -std::numeric_limits<double>::infinity(), x.options());
  at::Tensor sums = at::zeros({x.size(0), values.size(1)}, x.options());  // [normaliser, weighted values]
  // Far rows' weights underflow in float. Two things make that slow on x86 (measured on a [128,
  // 2048] block: exp 3x slower where its results underflow; the weighted product several times
  // slower on subnormal weights, 70 against 200 GFLOP/s at N = 8192): so the shifted logits are
  // clamped where exp is still a normal float, and weights below 1e-30 of the largest (which is
  // 1), which cannot move a float result, are dropped. Double keeps every weight.
  const bool flush = x.scalar_type() != at::kDouble;
  constexpr double kLowestShiftedLogit = -87.0, kFlushBelow = 1e-30;  // exp(-87) = 1.6e-38 > FLT_MIN
  for (std::int64_t first = 0; first < keys.size(0); first += block_rows) {
    const std::int64_t count = std::min(block_rows, keys.size(0) - first);
    at::Tensor weights = at::mm(query, keys.narrow(0, first, count).t());
    const at::Tensor new_max = at::maximum(running_max, weights.amax(1, true));
    const at::Tensor carried = (running_max - new_max).exp_();  // 0 for the first block
    weights.sub_(new_max);
    if (flush) weights.clamp_min_(kLowestShiftedLogit);
    weights.exp_();
    if (flush) at::threshold_(weights, kFlushBelow, 0);
    sums.mul_(carried).addmm_(weights, values.narrow(0, first, count));
    running_max = new_max;
  }
  return sums.narrow(1, 1, values.size(1) - 1) / sums.narrow(1, 0, 1);
}

std::shared_ptr<const Denoiser> empirical_denoiser(const at::Tensor& training_rows, const Schedule& schedule,
                                                   c10::Device device, std::int64_t block_rows) {
  return std::make_shared<EmpiricalDenoiser>(training_rows, schedule, device, block_rows);
}

EmpiricalCost empirical_cost(std::int64_t queries, std::int64_t rows, std::int64_t dim, std::int64_t element_bytes,
                             std::int64_t block_rows) {
  const double b = static_cast<double>(queries), n = static_cast<double>(rows), d = static_cast<double>(dim);
  const double block = static_cast<double>(std::min(block_rows, rows));
  // The scaled queries (a x, then [a x, -b]), the sums [B, d + 1], the result, and one block of
  // logits with its successor; the candidates the denoiser holds are counted by its registry entry.
  const double bytes = static_cast<double>(element_bytes) * (4 * b * d + 2 * b * block + 6 * b);
  return {bytes, 2 * b * n * d};
}

}  // namespace lindiff
