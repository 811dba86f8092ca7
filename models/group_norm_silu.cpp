#include "models/group_norm_silu.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>
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

// Channels-last images: `rows` = H W rows of C values, each channel with its own coefficients.
// Per-channel sums accumulate in float over blocks of kBlockRows rows, then in double. The
// pointers are __restrict: without it GCC cannot vectorise over channels past the stores into
// the accumulators (the backward pass measured 5x slower than the planar one).
constexpr std::int64_t kBlockRows = 64;

// sum[c] += x[p C + c] over the rows.
LINDIFF_VECTOR_CLONES void channel_sums(double* __restrict sum, const float* __restrict x, std::int64_t rows,
                                        std::int64_t channels, float* __restrict acc) {
  for (std::int64_t first = 0; first < rows; first += kBlockRows) {
    std::fill(acc, acc + channels, 0.0f);
    for (std::int64_t p = first; p < std::min(rows, first + kBlockRows); ++p) {
      for (std::int64_t c = 0; c < channels; ++c) acc[c] += x[p * channels + c];
    }
    for (std::int64_t c = 0; c < channels; ++c) sum[c] += acc[c];
  }
}

// sum[c] += (x[p C + c] - mean[c])^2 over the rows.
LINDIFF_VECTOR_CLONES void channel_squares(double* __restrict sum, const float* __restrict x,
                                           const float* __restrict mean, std::int64_t rows, std::int64_t channels,
                                           float* __restrict acc) {
  for (std::int64_t first = 0; first < rows; first += kBlockRows) {
    std::fill(acc, acc + channels, 0.0f);
    for (std::int64_t p = first; p < std::min(rows, first + kBlockRows); ++p) {
      for (std::int64_t c = 0; c < channels; ++c) {
        acc[c] += (x[p * channels + c] - mean[c]) * (x[p * channels + c] - mean[c]);
      }
    }
    for (std::int64_t c = 0; c < channels; ++c) sum[c] += acc[c];
  }
}

// y = silu(a_c x + b_c) over the rows.
LINDIFF_VECTOR_CLONES void silu_affine_rows(float* __restrict y, const float* __restrict x, std::int64_t rows,
                                            std::int64_t channels, const float* __restrict a,
                                            const float* __restrict b) {
  for (std::int64_t p = 0; p < rows; ++p) {
    for (std::int64_t c = 0; c < channels; ++c) {
      const float z = a[c] * x[p * channels + c] + b[c];
      y[p * channels + c] = z * sigmoid(z);
    }
  }
}

// dz = dy silu'(a_c x + b_c) over the rows; sums[2c] += sum dz, sums[2c + 1] += sum dz (x - mean_c) r_c.
LINDIFF_VECTOR_CLONES void silu_affine_rows_backward(float* __restrict dz, const float* __restrict x,
                                                     const float* __restrict dy, std::int64_t rows,
                                                     std::int64_t channels, const float* __restrict a,
                                                     const float* __restrict b, const float* __restrict mean,
                                                     const float* __restrict r, double* __restrict sums,
                                                     float* __restrict acc) {
  float* __restrict acc_dz = acc;
  float* __restrict acc_dzx = acc + channels;
  for (std::int64_t first = 0; first < rows; first += kBlockRows) {
    std::fill(acc_dz, acc_dz + channels, 0.0f);  // through the restrict pointers, never `acc` itself
    std::fill(acc_dzx, acc_dzx + channels, 0.0f);
    for (std::int64_t p = first; p < std::min(rows, first + kBlockRows); ++p) {
      for (std::int64_t c = 0; c < channels; ++c) {
        const std::int64_t i = p * channels + c;
        const float z = a[c] * x[i] + b[c];
        const float s = sigmoid(z);
        dz[i] = dy[i] * s * (1.0f + z * (1.0f - s));
        acc_dz[c] += dz[i];
        acc_dzx[c] += dz[i] * (x[i] - mean[c]) * r[c];
      }
    }
    for (std::int64_t c = 0; c < channels; ++c) sums[2 * c] += acc_dz[c], sums[2 * c + 1] += acc_dzx[c];
  }
}

// dx = k1_c dz + k2_c + k3_c (x - mean_c) over the rows.
LINDIFF_VECTOR_CLONES void input_gradient_rows(float* __restrict dx, const float* __restrict dz,
                                               const float* __restrict x, std::int64_t rows, std::int64_t channels,
                                               const float* __restrict k1, const float* __restrict k2,
                                               const float* __restrict k3, const float* __restrict mean) {
  for (std::int64_t p = 0; p < rows; ++p) {
    for (std::int64_t c = 0; c < channels; ++c) {
      const std::int64_t i = p * channels + c;
      dx[i] = k1[c] * dz[i] + k2[c] + k3[c] * (x[i] - mean[c]);
    }
  }
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

// Runs f(chunk index, its buffers) for every (image, group), chunks in parallel in tasks of at
// least LibTorch's grain (32768 values), so that small tensors stay on the calling thread.
template <class F>
void for_each_chunk(const Layout& l, F f) {
  const std::int64_t grain = std::max<std::int64_t>(1, at::internal::GRAIN_SIZE / std::max<std::int64_t>(1, l.chunk()));
  at::parallel_for(0, l.images * l.groups, grain, [&](std::int64_t begin, std::int64_t end) {
    std::vector<float> a, b, c;
    for (std::int64_t k = begin; k < end; ++k) f(k, a, b, c);
  });
}

// Channels last when x is laid out so and not also plainly contiguous (C = 1 or H W = 1 are both).
at::MemoryFormat memory_format_of(const at::Tensor& x) {
  return x.is_contiguous(at::MemoryFormat::ChannelsLast) && !x.is_contiguous() ? at::MemoryFormat::ChannelsLast
                                                                                 : at::MemoryFormat::Contiguous;
}

// Runs f(image, buffers) for every image, images in parallel in tasks of at least LibTorch's grain.
template <class F>
void for_each_image(const Layout& l, F f) {
  const std::int64_t size = l.channels() * l.plane;
  at::parallel_for(0, l.images, std::max<std::int64_t>(1, at::internal::GRAIN_SIZE / std::max<std::int64_t>(1, size)),
                   [&](std::int64_t begin, std::int64_t end) {
                     std::vector<float> a, b, c;
                     for (std::int64_t i = begin; i < end; ++i) f(i, a, b, c);
                   });
}

// Per-channel coefficients of one image's groups, from their statistics st[2 k] (mean), st[2 k + 1] (r).
struct ChannelCoefficients {
  std::vector<float> mean, r, scale, shift;  // z = scale_c x + shift_c
  ChannelCoefficients(const Layout& l, const float* st, std::int64_t image, const float* gamma, const float* beta)
      : mean(l.channels()), r(l.channels()), scale(l.channels()), shift(l.channels()) {
    for (std::int64_t c = 0; c < l.channels(); ++c) {
      const std::int64_t k = image * l.groups + c / l.per_group;
      mean[c] = st[2 * k];
      r[c] = st[2 * k + 1];
      scale[c] = gamma[c] * r[c];
      shift[c] = beta[c] - mean[c] * scale[c];
    }
  }
};

// The forward pass over channels-last x into y, writing every (image, group)'s mean and r into st.
void forward_channels_last(const at::Tensor& x, const at::Tensor& y, const Layout& l, const float* gamma,
                           const float* beta, double eps, float* st) {
  const std::int64_t channels = l.channels(), size = channels * l.plane;
  const double n = static_cast<double>(l.chunk());
  for_each_image(l, [&](std::int64_t i, std::vector<float>& in_buffer, std::vector<float>& out_buffer, std::vector<float>& acc) {
    const float* in = as_floats(x, i * size, size, in_buffer);
    acc.resize(static_cast<std::size_t>(2 * channels));
    float* mean = acc.data() + channels;
    std::vector<double> sums(static_cast<std::size_t>(channels), 0.0);
    channel_sums(sums.data(), in, l.plane, channels, acc.data());
    for (std::int64_t g = 0; g < l.groups; ++g) {
      const double total = std::accumulate(sums.begin() + g * l.per_group, sums.begin() + (g + 1) * l.per_group, 0.0);
      st[2 * (i * l.groups + g)] = static_cast<float>(total / n);
      std::fill(mean + g * l.per_group, mean + (g + 1) * l.per_group, st[2 * (i * l.groups + g)]);
    }
    std::fill(sums.begin(), sums.end(), 0.0);
    channel_squares(sums.data(), in, mean, l.plane, channels, acc.data());
    for (std::int64_t g = 0; g < l.groups; ++g) {
      const double squares = std::accumulate(sums.begin() + g * l.per_group, sums.begin() + (g + 1) * l.per_group, 0.0);
      st[2 * (i * l.groups + g) + 1] = static_cast<float>(1.0 / std::sqrt(squares / n + eps));
    }
    const ChannelCoefficients k(l, st, i, gamma, beta);
    const Output out(y, i * size, size, out_buffer);
    silu_affine_rows(out.data, in, l.plane, channels, k.scale.data(), k.shift.data());
    out.commit();
  });
}

// The backward pass over channels-last x and dy into dx; per image sums of dz and dz xhat per
// channel into s ([images, C, 2]).
void backward_channels_last(const at::Tensor& x, const at::Tensor& dy, const at::Tensor& dx, const Layout& l,
                            const float* gamma, const float* beta, const float* st, double* s) {
  const std::int64_t channels = l.channels(), size = channels * l.plane;
  const double n = static_cast<double>(l.chunk());
  for_each_image(l, [&](std::int64_t i, std::vector<float>& x_buffer, std::vector<float>& dy_buffer, std::vector<float>& dz) {
    const float* in = as_floats(x, i * size, size, x_buffer);
    const float* upstream = as_floats(dy, i * size, size, dy_buffer);
    dz.resize(static_cast<std::size_t>(size));
    const ChannelCoefficients k(l, st, i, gamma, beta);
    double* sums = s + 2 * i * channels;
    std::fill(sums, sums + 2 * channels, 0.0);
    std::vector<float> acc(static_cast<std::size_t>(2 * channels)), k1(acc.size() / 2), k2(k1.size()), k3(k1.size());
    silu_affine_rows_backward(dz.data(), in, upstream, l.plane, channels, k.scale.data(), k.shift.data(), k.mean.data(),
                              k.r.data(), sums, acc.data());
    for (std::int64_t g = 0; g < l.groups; ++g) {
      double gamma_dz = 0, gamma_dzx = 0;
      for (std::int64_t c = g * l.per_group; c < (g + 1) * l.per_group; ++c) {
        gamma_dz += gamma[c] * sums[2 * c];
        gamma_dzx += gamma[c] * sums[2 * c + 1];
      }
      const float r = k.r[g * l.per_group];
      for (std::int64_t c = g * l.per_group; c < (g + 1) * l.per_group; ++c) {
        k1[c] = r * gamma[c];
        k2[c] = static_cast<float>(-r * gamma_dz / n);
        k3[c] = static_cast<float>(-r * r * gamma_dzx / n);
      }
    }
    std::vector<float> dx_buffer;
    const Output out(dx, i * size, size, dx_buffer);
    input_gradient_rows(out.data, dz.data(), in, l.plane, channels, k1.data(), k2.data(), k3.data(), k.mean.data());
    out.commit();
  });
}

struct GroupNormSilu : torch::autograd::Function<GroupNormSilu> {
  static at::Tensor forward(torch::autograd::AutogradContext* ctx, const at::Tensor& input, const at::Tensor& gamma,
                            const at::Tensor& beta, std::int64_t groups, double eps, c10::ScalarType out_type) {
    const at::MemoryFormat format = memory_format_of(input);
    const at::Tensor x = input.contiguous(format);
    const Layout l = layout_of(x, groups);
    at::Tensor y = at::empty(x.sizes(), x.options().dtype(out_type).memory_format(format));
    at::Tensor stats = at::empty({l.images * l.groups, 2}, x.options().dtype(at::kFloat));  // mean, r
    const float* g = gamma.data_ptr<float>();
    const float* b = beta.data_ptr<float>();
    float* st = stats.data_ptr<float>();
    ctx->saved_data["groups"] = groups;
    if (format == at::MemoryFormat::ChannelsLast) {
      forward_channels_last(x, y, l, g, b, eps, st);
      ctx->save_for_backward({x, gamma, beta, stats});
      return y;
    }
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
    return y;
  }

  static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx, torch::autograd::variable_list grads) {
    const auto saved = ctx->get_saved_variables();
    const at::Tensor &x = saved[0], &gamma = saved[1], &beta = saved[2], &stats = saved[3];
    const Layout l = layout_of(x, ctx->saved_data["groups"].toInt());
    const at::MemoryFormat format = memory_format_of(x);
    const at::Tensor dy = grads[0].contiguous(format);
    at::Tensor dx = at::empty(x.sizes(), x.options().memory_format(format));
    // Per image sums, added over images afterwards in a fixed order (independent of threads).
    at::Tensor sums = at::empty({l.images, l.channels(), 2}, x.options().dtype(at::kDouble));
    const float* g = gamma.data_ptr<float>();
    const float* b = beta.data_ptr<float>();
    const float* st = stats.data_ptr<float>();
    double* s = sums.data_ptr<double>();
    if (format == at::MemoryFormat::ChannelsLast) {
      backward_channels_last(x, dy, dx, l, g, b, st, s);
    } else {
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
    }
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
