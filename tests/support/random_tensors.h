// Seeded random tensors for the LibTorch tests.
#pragma once

#include <cstdint>

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>

namespace lindiff::testing {

// n rows of d float entries N(0.2, 0.5^2) from a generator seeded with `seed`.
inline at::Tensor random_rows(std::int64_t n, std::int64_t d, std::uint64_t seed) {
  at::Generator g = at::detail::createCPUGenerator(seed);
  return at::randn({n, d}, g, at::kFloat) * 0.5 + 0.2;
}

}  // namespace lindiff::testing
