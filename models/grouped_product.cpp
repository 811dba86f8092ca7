#include "models/grouped_product.h"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include <ATen/Parallel.h>
#include <torch/torch.h>

namespace lindiff {

namespace {

using RowMajor = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using ConstView = Eigen::Map<const RowMajor>;
using View = Eigen::Map<RowMajor>;

// Up to this many rows a group's products are coefficient-wise (each W_g row read once into
// cache and used for every row of the group); beyond it a packed GEMM wins (measured at d = 256).
constexpr std::int64_t kSmallGroup = 16;

ConstView rows_of(const at::Tensor& m, std::int64_t begin, std::int64_t end) {
  return ConstView(m.data_ptr<float>() + begin * m.size(1), end - begin, m.size(1));
}

View rows_of(at::Tensor& m, std::int64_t begin, std::int64_t end) {
  return View(m.data_ptr<float>() + begin * m.size(1), end - begin, m.size(1));
}

ConstView matrix_of(const at::Tensor& w) { return ConstView(w.data_ptr<float>(), w.size(0), w.size(1)); }

// The fewest flops one thread's share of the groups should hold (~20 us of GEMM): a parallel
// region costs a fork and a join, and on busy cores each costs a time slice, so small products
// (sampling with a handful of rows) stay on the calling thread.
constexpr double kFlopsPerTask = 1 << 20;

// Runs body(g) for every group, groups spread over LibTorch's threads in tasks of at least
// kFlopsPerTask, where the `rows` rows of the groups each cost 2 d^2 flops.
template <typename Body>
void for_each_group(std::size_t groups, std::int64_t rows, std::int64_t d, const Body& body) {
  const double flops_per_group = 2.0 * static_cast<double>(rows) * static_cast<double>(d * d) / static_cast<double>(groups);
  const auto grain = static_cast<std::int64_t>(std::ceil(kFlopsPerTask / std::max(flops_per_group, 1.0)));
  at::parallel_for(0, static_cast<std::int64_t>(groups), grain, [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t g = begin; g < end; ++g) body(static_cast<std::size_t>(g));
  });
}

// out (n x d) = a (n x d) * w^T or a * w.
template <typename Weight>
void multiply_rows(View out, const ConstView& a, const Weight& w) {
  if (a.rows() <= kSmallGroup) {
    out.noalias() = a.lazyProduct(w);
  } else {
    out.noalias() = a * w;
  }
}

// grad (d x d) = g^T r for the n rows of one group: a sum of n outer products.
void outer_products(View grad, const ConstView& g, const ConstView& r) {
  if (g.rows() > kSmallGroup) {
    grad.noalias() = g.transpose() * r;
    return;
  }
  for (Eigen::Index j = 0; j < grad.rows(); ++j) {
    grad.row(j) = g(0, j) * r.row(0);
    for (Eigen::Index k = 1; k < g.rows(); ++k) grad.row(j) += g(k, j) * r.row(k);
  }
}

void check_inputs(const at::Tensor& rows, const std::vector<std::int64_t>& offsets, at::TensorList weights) {
  const std::int64_t d = rows.size(1);
  if (!rows.is_cpu() || rows.scalar_type() != at::kFloat || rows.dim() != 2) {
    throw std::invalid_argument("grouped_product: rows must be a [B, d] float CPU tensor");
  }
  if (offsets.size() != weights.size() + 1 || offsets.front() != 0 || offsets.back() != rows.size(0)) {
    throw std::invalid_argument("grouped_product: offsets must run from 0 to B with one more entry than weights (" +
                                std::to_string(offsets.size()) + " offsets, " + std::to_string(weights.size()) + " weights)");
  }
  for (const at::Tensor& w : weights) {
    if (w.dim() != 2 || w.size(0) != d || w.size(1) != d || !w.is_contiguous()) {
      throw std::invalid_argument("grouped_product: every weight must be a contiguous [d, d] tensor, d = " + std::to_string(d));
    }
  }
}

struct GroupedProduct : torch::autograd::Function<GroupedProduct> {
  static at::Tensor forward(torch::autograd::AutogradContext* ctx, const at::Tensor& rows,
                            const std::vector<std::int64_t>& offsets, at::TensorList weights) {
    const at::Tensor r = rows.contiguous();
    at::Tensor out = at::empty_like(r);
    for_each_group(weights.size(), r.size(0), r.size(1), [&](std::size_t g) {
      multiply_rows(rows_of(out, offsets[g], offsets[g + 1]), rows_of(r, offsets[g], offsets[g + 1]),
                    matrix_of(weights[g]).transpose());
    });
    std::vector<at::Tensor> saved{r};
    saved.insert(saved.end(), weights.begin(), weights.end());
    ctx->save_for_backward(saved);
    ctx->saved_data["offsets"] = offsets;
    return out;
  }

  static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx,
                                                 torch::autograd::variable_list grad_outputs) {
    const torch::autograd::variable_list saved = ctx->get_saved_variables();
    const std::vector<std::int64_t> offsets = ctx->saved_data["offsets"].toIntVector();
    const at::Tensor& r = saved[0];
    const at::Tensor grad_out = grad_outputs[0].contiguous();
    const std::size_t groups = saved.size() - 1;
    const std::int64_t d = r.size(1);
    torch::autograd::variable_list grads(groups + 2);  // rows, offsets (none), one per weight
    if (ctx->needs_input_grad(0)) {
      grads[0] = at::empty_like(r);
      for_each_group(groups, r.size(0), d, [&](std::size_t g) {
        multiply_rows(rows_of(grads[0], offsets[g], offsets[g + 1]), rows_of(grad_out, offsets[g], offsets[g + 1]),
                      matrix_of(saved[g + 1]));
      });
    }
    for (std::size_t g = 0; g < groups; ++g) grads[g + 2] = at::empty({d, d}, r.options());
    for_each_group(groups, r.size(0), d, [&](std::size_t g) {
      outer_products(rows_of(grads[g + 2], 0, d), rows_of(grad_out, offsets[g], offsets[g + 1]),
                     rows_of(r, offsets[g], offsets[g + 1]));
    });
    return grads;
  }
};

}  // namespace

at::Tensor grouped_product(const at::Tensor& rows, const std::vector<std::int64_t>& offsets, at::TensorList weights) {
  check_inputs(rows, offsets, weights);
  return GroupedProduct::apply(rows, offsets, weights);
}

}  // namespace lindiff
