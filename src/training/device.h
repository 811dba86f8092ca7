// Owns the mapping from the config's device name (training.device) to a LibTorch device,
// and the check that the device exists before any work starts.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <c10/core/Device.h>

namespace lindiff {

// torch::kCUDA for "cuda", else torch::kCPU.
c10::Device torch_device(const std::string& name);

// Where a run trains, as its manifest records it.
struct DeviceFacts {
  std::string device;        // cpu | cuda
  std::string gpu;           // cuda: the host's GPU models as the NVIDIA driver lists them (/proc/driver/nvidia; not narrowed by CUDA_VISIBLE_DEVICES), "" when unknown
  std::string cuda_runtime;  // CUDA runtime version LibTorch was built with, e.g. "12.4"; "" for CPU builds
};

// The facts of device `name` (training.device) on this machine.
DeviceFacts describe_device(const std::string& name);

// Throws ConfigError naming training.device when `name` is cuda and LibTorch has no usable CUDA device.
void check_device(const std::string& name);

// Free and total bytes of a CUDA device's memory.
struct GpuMemory {
  std::uint64_t free = 0;
  std::uint64_t total = 0;
};

// The memory of CUDA device 0 as the CUDA runtime reports it (creating its context on first
// use); nullopt in a build without CUDA or on a machine without a GPU.
std::optional<GpuMemory> gpu_memory();

// The most bytes LibTorch's CUDA caching allocator has held in tensors on device 0 so far;
// 0 in a build without CUDA.
std::uint64_t gpu_peak_allocated_bytes();

}  // namespace lindiff
