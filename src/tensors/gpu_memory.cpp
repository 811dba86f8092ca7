// The CUDA runtime's and LibTorch's caching allocator's view of GPU memory. Only this file
// includes CUDA headers; a LibTorch without CUDA compiles the fallbacks (LINDIFF_TORCH_CUDA off).
#include "src/tensors/device.h"

#if LINDIFF_TORCH_CUDA
#include <c10/cuda/CUDACachingAllocator.h>
#include <cuda_runtime_api.h>
#include <torch/cuda.h>
#endif

namespace lindiff {

#if LINDIFF_TORCH_CUDA

std::optional<GpuMemory> gpu_memory() {
  if (!torch::cuda::is_available()) return std::nullopt;
  std::size_t free = 0, total = 0;
  if (cudaSetDevice(0) != cudaSuccess || cudaMemGetInfo(&free, &total) != cudaSuccess) return std::nullopt;
  return GpuMemory{free, total};
}

std::uint64_t gpu_peak_allocated_bytes() {
  if (!torch::cuda::is_available()) return 0;
  // Entry 0 of each statistic is the aggregate over pool types in every LibTorch 1.x and 2.x.
  return static_cast<std::uint64_t>(c10::cuda::CUDACachingAllocator::getDeviceStats(0).allocated_bytes[0].peak);
}

#else

std::optional<GpuMemory> gpu_memory() { return std::nullopt; }

std::uint64_t gpu_peak_allocated_bytes() { return 0; }

#endif

}  // namespace lindiff
