// Owns where tensors live: the one mapping from the config's typed device (training.device)
// to a LibTorch device, the check that the device exists before any work starts, the facts a
// manifest records, and the GPU's memory (src/tensors/gpu_memory.cpp, the one file with CUDA headers).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <c10/core/Device.h>

#include "src/config/vocabulary.h"

namespace lindiff {

// The LibTorch device of `kind`: the CPU, or CUDA device 0.
c10::Device torch_device(DeviceKind kind);

// Where a run trains, as its manifest records it.
struct DeviceFacts {
  std::string device;        // cpu | cuda
  std::string gpu;           // cuda: the host's GPU models as the NVIDIA driver lists them (/proc/driver/nvidia; not narrowed by CUDA_VISIBLE_DEVICES), "" when unknown
  std::string cuda_runtime;  // CUDA runtime version LibTorch was built with, e.g. "12.4"; "" for CPU builds
};

// The facts of device `kind` (training.device) on this machine.
DeviceFacts describe_device(DeviceKind kind);

// Throws ConfigError naming training.device when `kind` is cuda and LibTorch has no usable CUDA device.
void check_device(DeviceKind kind);

// The float32 matrix-product rate of `device` now, in multiply-adds per second: [512, 512] x
// [512, 512] products, one untimed, then repeated for at least 50 ms of wall time (each waited for).
double measured_gemm_rate(c10::Device device);

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
