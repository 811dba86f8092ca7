#include "models/group_norm_silu.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

#include <ATen/Parallel.h>
#include <torch/torch.h>

// The chunk kernels are compiled for AVX-512, AVX2 and the baseline, picked at load time. GCC 12
// vectorises the exponential's clamp only with AVX-512's masks: the AVX2 and baseline clones of
// the activation loops stay scalar (-fno-trapping-math would vectorise them, but measured 10x
// slower on every ISA), so a portable build is fast on AVX-512 machines only.
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__)
#define LINDIFF_VECTOR_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define LINDIFF_VECTOR_CLONES
#endif

namespace lindiff {

namespace {

constexpr int kLanes = 16;  // partial sums per reduction: fixed, so every ISA adds in the same order

// e^x for x in [-87, 87] (clamped outside) to within 2 ulp: x = n ln 2 + r, |r| <= ln 2 / 2,
// e^r by its degree-7 Taylor-like minimax polynomial (Cephes expf), 2^n through the exponent
// bits. Branch-free, so that loops calling it vectorise (std::exp does not without -ffast-math).
inline float exp_clamped(float x) {
  x = std::min(std::max(x, -87.0f), 87.0f);
  // n = round(x / ln 2) by the 1.5 x 2^23 trick: adding it leaves no fraction bits (a call to
  // std::floor is a library call, not an instruction, below SSE 4.1).
  constexpr float kRound = 12582912.0f;
  const float n = (x * 1.44269504088896341f + kRound) - kRound;
  const float r = x - n * 0.693359375f + n * 2.12194440e-4f;
  float p = 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  const float e = p * r * r + r + 1.0f;
  const std::int32_t bits = (static_cast<std::int32_t>(n) + 127) << 23;
  float scale;
  std::memcpy(&scale, &bits, sizeof scale);
  return e * scale;
}

inline float sigmoid(float z) { return 1.0f / (1.0f + exp_clamped(-z)); }

// sum of p[0..n) in kLanes partial sums, then in double.
LINDIFF_VECTOR_CLONES double lane_sum(const float* p, std::int64_t n) {
  float acc[kLanes] = {};
  std::int64_t i = 0;
  for (; i + kLanes <= n; i += kLanes) {
    for (int l = 0; l < kLanes; ++l) acc[l] += p[i + l];
  }
  double sum = 0;
  for (float a : acc) sum += a;
  for (; i < n; ++i) sum += p[i];
  return sum;
}

// sum of (p[i] - mean)^2 over [0, n), as lane_sum.
LINDIFF_VECTOR_CLONES double lane_squares(const float* p, std::int64_t n, float mean) {
  float acc[kLanes] = {};
  std::int64_t i = 0;
  for (; i + kLanes <= n; i += kLanes) {
    for (int l = 0; l < kLanes; ++l) acc[l] += (p[i + l] - mean) * (p[i + l] - mean);
  }
  double sum = 0;
  for (float a : acc) sum += a;
  for (; i < n; ++i) sum += static_cast<double>(p[i] - mean) * (p[i] - mean);
  return sum;
}

// y = silu(a x + b) over n values.
LINDIFF_VECTOR_CLONES void silu_affine(float* y, const float* x, std::int64_t n, float a, float b) {
  for (std::int64_t i = 0; i < n; ++i) {
    const float z = a * x[i] + b;
    y[i] = z * sigmoid(z);
  }
}

// dz = dy silu'(a x + b) over n values; returns sum dz and sum dz (x - mean) r through `sums`.
LINDIFF_VECTOR_CLONES void silu_affine_backward(float* dz, const float* x, const float* dy, std::int64_t n, float a,
                                                float b, float mean, float r, double sums[2]) {
  float acc_dz[kLanes] = {}, acc_dzx[kLanes] = {};
  std::int64_t i = 0;
  const auto one = [&](std::int64_t k) {
    const float z = a * x[k] + b;
    const float s = sigmoid(z);
    dz[k] = dy[k] * s * (1.0f + z * (1.0f - s));
  };
  for (; i + kLanes <= n; i += kLanes) {
    for (int l = 0; l < kLanes; ++l) {
      one(i + l);
      acc_dz[l] += dz[i + l];
      acc_dzx[l] += dz[i + l] * (x[i + l] - mean) * r;
    }
  }
  double s_dz = 0, s_dzx = 0;
  for (int l = 0; l < kLanes; ++l) s_dz += acc_dz[l], s_dzx += acc_dzx[l];
  for (; i < n; ++i) {
    one(i);
    s_dz += dz[i];
    s_dzx += static_cast<double>(dz[i]) * (x[i] - mean) * r;
  }
  sums[0] = s_dz;
  sums[1] = s_dzx;
}

// dx = k1 dz + k2 + k3 (x - mean) over n values.
LINDIFF_VECTOR_CLONES void input_gradient(float* dx, const float* dz, const float* x, std::int64_t n, float k1, float k2,
                                          float k3, float mean) {
  for (std::int64_t i = 0; i < n; ++i) dx[i] = k1 * dz[i] + k2 + k3 * (x[i] - mean);
}

// bfloat16 <-> float: the upper half of the float's bits, rounded to nearest even (NaN kept NaN).
LINDIFF_VECTOR_CLONES void widen(float* out, const std::uint16_t* in, std::int64_t n) {
  for (std::int64_t i = 0; i < n; ++i) {
    const std::uint32_t bits = static_cast<std::uint32_t>(in[i]) << 16;
    std::memcpy(&out[i], &bits, sizeof bits);
  }
}

LINDIFF_VECTOR_CLONES void narrow(std::uint16_t* out, const float* in, std::int64_t n) {
  for (std::int64_t i = 0; i < n; ++i) {
    std::uint32_t bits;
    std::memcpy(&bits, &in[i], sizeof bits);
    const std::uint32_t rounded = (bits + 0x7FFFu + ((bits >> 16) & 1u)) >> 16;
    const bool nan = (bits & 0x7FFFFFFFu) > 0x7F800000u;
    out[i] = static_cast<std::uint16_t>(nan ? (bits >> 16) | 0x40u : rounded);
  }
}

// The `n` values of a float or bfloat16 tensor from `offset` on, as floats: the data itself
// (float) or a widened copy in `buffer` (bfloat16).
float* as_floats(const at::Tensor& t, std::int64_t offset, std::int64_t n, std::vector<float>& buffer) {
  if (t.scalar_type() == at::kFloat) return t.data_ptr<float>() + offset;
  buffer.resize(static_cast<std::size_t>(n));
  widen(buffer.data(), reinterpret_cast<const std::uint16_t*>(t.data_ptr<at::BFloat16>()) + offset, n);
  return buffer.data();
}

// Where a chunk's float results go: straight into a float tensor, or through `buffer` into a
// bfloat16 one (commit() narrows them).
struct Output {
  Output(const at::Tensor& t, std::int64_t offset, std::int64_t n, std::vector<float>& buffer) : tensor(t), begin(offset), size(n) {
    if (t.scalar_type() == at::kFloat) {
      data = t.data_ptr<float>() + offset;
    } else {
      buffer.resize(static_cast<std::size_t>(n));
      data = buffer.data();
    }
  }
  void commit() const {
    if (tensor.scalar_type() != at::kFloat) {
      narrow(reinterpret_cast<std::uint16_t*>(tensor.data_ptr<at::BFloat16>()) + begin, data, size);
    }
  }
  const at::Tensor& tensor;
  std::int64_t begin, size;
  float* data = nullptr;
};

// The layout of x: B images of G groups of `per_group` channels of `plane` = H W values.
struct Layout {
  std::int64_t images, groups, per_group, plane;
  std::int64_t chunk() const { return per_group * plane; }
  std::int64_t channels() const { return groups * per_group; }
};

Layout layout_of(const at::Tensor& x, std::int64_t groups) {
  return {x.size(0), groups, x.size(1) / groups, x.size(2) * x.size(3)};
}

// Runs f(chunk index, its buffers) for every (image, group), chunks in parallel.
template <class F>
void for_each_chunk(const Layout& l, F f) {
  at::parallel_for(0, l.images * l.groups, 1, [&](std::int64_t begin, std::int64_t end) {
    std::vector<float> a, b, c;
    for (std::int64_t k = begin; k < end; ++k) f(k, a, b, c);
  });
}

struct GroupNormSilu : torch::autograd::Function<GroupNormSilu> {
  static at::Tensor forward(torch::autograd::AutogradContext* ctx, const at::Tensor& input, const at::Tensor& gamma,
                            const at::Tensor& beta, std::int64_t groups, double eps, c10::ScalarType out_type) {
    const at::Tensor x = input.contiguous();
    const Layout l = layout_of(x, groups);
    at::Tensor y = at::empty(x.sizes(), x.options().dtype(out_type));
    at::Tensor stats = at::empty({l.images * l.groups, 2}, x.options().dtype(at::kFloat));  // mean, r
    const float* g = gamma.data_ptr<float>();
    const float* b = beta.data_ptr<float>();
    float* st = stats.data_ptr<float>();
    for_each_chunk(l, [&](std::int64_t k, std::vector<float>& in_buffer, std::vector<float>& out_buffer, std::vector<float>&) {
      const float* in = as_floats(x, k * l.chunk(), l.chunk(), in_buffer);
      const Output out(y, k * l.chunk(), l.chunk(), out_buffer);
      const double n = static_cast<double>(l.chunk());
      const float mean = static_cast<float>(lane_sum(in, l.chunk()) / n);
      const double variance = lane_squares(in, l.chunk(), mean) / n;
      const float r = static_cast<float>(1.0 / std::sqrt(variance + eps));
      st[2 * k] = mean;
      st[2 * k + 1] = r;
      const std::int64_t first = (k % l.groups) * l.per_group;
      for (std::int64_t c = 0; c < l.per_group; ++c) {
        const float a = g[first + c] * r;
        silu_affine(out.data + c * l.plane, in + c * l.plane, l.plane, a, b[first + c] - mean * a);
      }
      out.commit();
    });
    ctx->save_for_backward({x, gamma, beta, stats});
    ctx->saved_data["groups"] = groups;
    return y;
  }

  static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx, torch::autograd::variable_list grads) {
    const auto saved = ctx->get_saved_variables();
    const at::Tensor &x = saved[0], &gamma = saved[1], &beta = saved[2], &stats = saved[3];
    const Layout l = layout_of(x, ctx->saved_data["groups"].toInt());
    const at::Tensor dy = grads[0].contiguous();
    at::Tensor dx = at::empty_like(x);
    // Per image sums, added over images afterwards in a fixed order (independent of threads).
    at::Tensor sums = at::empty({l.images, l.channels(), 2}, x.options().dtype(at::kDouble));
    const float* g = gamma.data_ptr<float>();
    const float* b = beta.data_ptr<float>();
    const float* st = stats.data_ptr<float>();
    double* s = sums.data_ptr<double>();
    for_each_chunk(l, [&](std::int64_t k, std::vector<float>& x_buffer, std::vector<float>& dy_buffer,
                          std::vector<float>& dz_buffer) {
      const float* in = as_floats(x, k * l.chunk(), l.chunk(), x_buffer);
      const float* upstream = as_floats(dy, k * l.chunk(), l.chunk(), dy_buffer);
      dz_buffer.resize(static_cast<std::size_t>(l.chunk()));
      float* dz = dz_buffer.data();
      const float mean = st[2 * k], r = st[2 * k + 1];
      const std::int64_t first = (k % l.groups) * l.per_group;
      double* chunk_sums = s + 2 * ((k / l.groups) * l.channels() + first);
      double gamma_dz = 0, gamma_dzx = 0;
      for (std::int64_t c = 0; c < l.per_group; ++c) {
        const float a = g[first + c] * r;
        silu_affine_backward(dz + c * l.plane, in + c * l.plane, upstream + c * l.plane, l.plane, a,
                             b[first + c] - mean * a, mean, r, chunk_sums + 2 * c);
        gamma_dz += g[first + c] * chunk_sums[2 * c];
        gamma_dzx += g[first + c] * chunk_sums[2 * c + 1];
      }
      std::vector<float> dx_buffer;  // bfloat16 x only
      const Output out(dx, k * l.chunk(), l.chunk(), dx_buffer);
      const double n = static_cast<double>(l.chunk());
      const float k2 = static_cast<float>(-r * gamma_dz / n), k3 = static_cast<float>(-r * r * gamma_dzx / n);
      for (std::int64_t c = 0; c < l.per_group; ++c) {
        input_gradient(out.data + c * l.plane, dz + c * l.plane, in + c * l.plane, l.plane, r * g[first + c], k2,
                       k3, mean);
      }
      out.commit();
    });
    const at::Tensor totals = sums.sum(0).to(at::kFloat);  // [C, 2]: sum dz, sum dz xhat
    return {dx, totals.select(1, 1).contiguous(), totals.select(1, 0).contiguous(), at::Tensor(), at::Tensor(), at::Tensor()};
  }
};

void check_arguments(const at::Tensor& x, const at::Tensor& gamma, const at::Tensor& beta, std::int64_t groups,
                     c10::ScalarType out_type) {
  const auto fail = [](const std::string& what) { throw std::invalid_argument("group_norm_silu: " + what); };
  const auto precision = [](c10::ScalarType t) { return t == at::kFloat || t == at::kBFloat16; };
  if (!x.is_cpu() || x.dim() != 4 || !precision(x.scalar_type())) fail("x must be a [B, C, H, W] float or bfloat16 CPU tensor");
  if (!precision(out_type)) fail("the output type must be float or bfloat16");
  if (groups < 1 || x.size(1) % groups != 0) {
    fail("groups " + std::to_string(groups) + " must divide the " + std::to_string(x.size(1)) + " channels");
  }
  for (const at::Tensor* p : {&gamma, &beta}) {
    if (!p->is_cpu() || p->scalar_type() != at::kFloat || p->dim() != 1 || p->size(0) != x.size(1) || !p->is_contiguous()) {
      fail("gamma and beta must be contiguous float CPU tensors of the " + std::to_string(x.size(1)) + " channels");
    }
  }
}

}  // namespace

at::Tensor group_norm_silu(const at::Tensor& x, const at::Tensor& gamma, const at::Tensor& beta, std::int64_t groups,
                           double eps, c10::ScalarType out_type) {
  check_arguments(x, gamma, beta, groups, out_type);
  return GroupNormSilu::apply(x, gamma, beta, groups, eps, out_type);
}

}  // namespace lindiff
