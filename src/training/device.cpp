#include "src/training/device.h"

#include <torch/torch.h>

#include "src/common/error.h"

namespace lindiff {

c10::Device torch_device(const std::string& name) { return name == "cuda" ? torch::kCUDA : torch::kCPU; }

void check_device(const std::string& name) {
  if (name == "cuda" && !torch::cuda::is_available()) {
    throw ConfigError("training.device: 'cuda' was asked for but LibTorch sees no CUDA device (this build: " +
                      std::string(torch::cuda::is_available() ? "CUDA" : "CPU only") + "); use device: cpu");
  }
}

}  // namespace lindiff
