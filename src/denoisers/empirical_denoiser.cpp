#include "src/denoisers/empirical_denoiser.h"

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include <torch/torch.h>

namespace lindiff {

namespace {

// The one shape check: x [B, d], the coefficients [B], rows [N, d], norms [N], one floating
// type and one device, a positive block.
void check_posterior_inputs(const at::Tensor& x, const at::Tensor& sqrt_abar, const at::Tensor& one_minus_abar,
                            const at::Tensor& rows, const at::Tensor& row_norms, std::int64_t block_rows) {
  const auto fail = [](const std::string& what) { throw std::invalid_argument("empirical optimum: " + what); };
  if (x.dim() != 2 || rows.dim() != 2 || x.size(1) != rows.size(1)) {
    fail("queries [B, d] and training rows [N, d] must share d (got " + std::to_string(x.dim() == 2 ? x.size(1) : -1) +
         " and " + std::to_string(rows.dim() == 2 ? rows.size(1) : -1) + ")");
  }
  if (rows.size(0) < 1) fail("the training set is empty");
  for (const at::Tensor* c : {&sqrt_abar, &one_minus_abar}) {
    if (c->dim() != 1 || c->size(0) != x.size(0)) fail("the coefficients must hold one value per query");
  }
  if (row_norms.dim() != 1 || row_norms.size(0) != rows.size(0)) fail("the row norms must hold one value per row");
  for (const at::Tensor* t : {&sqrt_abar, &one_minus_abar, &rows, &row_norms}) {
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
        rows_(checked_rows(training_rows, device, block_rows)),
        norms_(rows_.pow(2).sum(1)),
        block_rows_(block_rows),
        coefficients_(posterior_coefficients(schedule, device, rows_.scalar_type())) {}

 protected:
  at::Tensor native(const at::Tensor& x, const at::Tensor& t) const override {
    const at::Tensor index = t - 1;
    return empirical_posterior_mean(x.to(rows_.scalar_type()), coefficients_.sqrt_abar.index_select(0, index),
                                    coefficients_.one_minus_abar.index_select(0, index), rows_, norms_, block_rows_)
        .to(x.scalar_type());
  }

 private:
  at::Tensor rows_, norms_;
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

at::Tensor empirical_posterior_mean(const at::Tensor& x, const at::Tensor& sqrt_abar, const at::Tensor& one_minus_abar,
                                    const at::Tensor& rows, const at::Tensor& row_norms, std::int64_t block_rows) {
  return softmax_weighted_mean(x, sqrt_abar, one_minus_abar, rows, row_norms, rows, block_rows);
}

at::Tensor softmax_weighted_mean(const at::Tensor& x, const at::Tensor& sqrt_abar, const at::Tensor& one_minus_abar,
                                 const at::Tensor& rows, const at::Tensor& row_norms, const at::Tensor& values,
                                 std::int64_t block_rows) {
  check_posterior_inputs(x, sqrt_abar, one_minus_abar, rows, row_norms, block_rows);
  if (values.dim() != 2 || values.size(0) != rows.size(0) || values.scalar_type() != x.scalar_type() ||
      values.device() != x.device()) {
    throw std::invalid_argument("empirical optimum: the values must be [N, c] beside the N candidate rows, of x's type and device");
  }
  torch::NoGradGuard no_grad;
  // logit_i = a x . x_i - b ||x_i||^2 with a = sqrt(abar) / (1 - abar), b = abar / (2 (1 - abar)).
  const at::Tensor scaled = x * (sqrt_abar / one_minus_abar).unsqueeze(1);
  const at::Tensor norm_weight = (sqrt_abar * sqrt_abar / (2 * one_minus_abar)).unsqueeze(1);
  at::Tensor running_max = at::full({x.size(0), 1}, -std::numeric_limits<double>::infinity(), x.options());
  at::Tensor total = at::zeros({x.size(0), 1}, x.options());
  at::Tensor weighted = at::zeros({x.size(0), values.size(1)}, x.options());
  // In float, the weights of far rows underflow into subnormal numbers, which make the second
  // product several times slower on x86 (measured: 70 against 200 GFLOP/s at N = 8192). Below
  // 1e-30 of the largest weight (which is 1) a row cannot move a float result, so it is dropped.
  const double flush_below = x.scalar_type() == at::kDouble ? 0.0 : 1e-30;
  for (std::int64_t first = 0; first < rows.size(0); first += block_rows) {
    const std::int64_t count = std::min(block_rows, rows.size(0) - first);
    const at::Tensor block = rows.narrow(0, first, count);
    at::Tensor weights = at::addmm(norm_weight * row_norms.narrow(0, first, count).unsqueeze(0), scaled, block.t(), -1, 1);
    const at::Tensor block_max = std::get<0>(weights.max(1, true));
    const at::Tensor new_max = at::maximum(running_max, block_max);
    const at::Tensor carried = (running_max - new_max).exp_();  // 0 for the first block
    weights.sub_(new_max).exp_();
    if (flush_below > 0) at::threshold_(weights, flush_below, 0);
    total.mul_(carried).add_(weights.sum(1, true));
    weighted.mul_(carried).addmm_(weights, values.narrow(0, first, count));
    running_max = new_max;
  }
  return weighted.div_(total);
}

std::shared_ptr<const Denoiser> empirical_denoiser(const at::Tensor& training_rows, const Schedule& schedule,
                                                   c10::Device device, std::int64_t block_rows) {
  return std::make_shared<EmpiricalDenoiser>(training_rows, schedule, device, block_rows);
}

EmpiricalCost empirical_cost(std::int64_t queries, std::int64_t rows, std::int64_t dim, std::int64_t element_bytes,
                             std::int64_t block_rows) {
  const double b = static_cast<double>(queries), n = static_cast<double>(rows), d = static_cast<double>(dim);
  const double block = static_cast<double>(std::min(block_rows, rows));
  // The scaled queries, the result and the logits of one block, plus the row norms.
  const double bytes = static_cast<double>(element_bytes) * (2 * b * d + 2 * b * block + n + 4 * b);
  return {bytes, 2 * b * n * d};
}

}  // namespace lindiff
