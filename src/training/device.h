// Owns the mapping from the config's device name (training.device) to a LibTorch device,
// and the check that the device exists before any work starts.
#pragma once

#include <string>

#include <c10/core/Device.h>

namespace lindiff {

// torch::kCUDA for "cuda", else torch::kCPU.
c10::Device torch_device(const std::string& name);

// Throws ConfigError naming training.device when `name` is cuda and LibTorch has no usable CUDA device.
void check_device(const std::string& name);

}  // namespace lindiff
