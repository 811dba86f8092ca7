#include "src/tensors/device.h"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>

#include <ATen/detail/CUDAHooksInterface.h>
#include <torch/torch.h>

#include "src/common/error.h"

namespace lindiff {

namespace {

// The "Model:" lines of the NVIDIA driver's per-GPU files, in bus order, joined by " + ".
std::string nvidia_gpu_models() {
  std::error_code ec;
  std::set<std::filesystem::path> gpus;
  for (const auto& entry : std::filesystem::directory_iterator("/proc/driver/nvidia/gpus", ec)) gpus.insert(entry.path());
  std::string models;
  for (const std::filesystem::path& gpu : gpus) {
    std::ifstream in(gpu / "information");
    for (std::string line; std::getline(in, line);) {
      if (line.rfind("Model:", 0) != 0) continue;
      const std::size_t start = line.find_first_not_of(" \t", 6);
      if (start != std::string::npos) models += (models.empty() ? "" : " + ") + line.substr(start);
    }
  }
  return models;
}

// "major.minor" of LibTorch's CUDA runtime; "" when this LibTorch has no CUDA.
std::string cuda_runtime_version() {
  const at::CUDAHooksInterface& hooks = at::detail::getCUDAHooks();
  if (!hooks.hasCUDART()) return "";
  const long version = hooks.versionCUDART();  // e.g. 12040
  return std::to_string(version / 1000) + "." + std::to_string(version % 1000 / 10);
}

}  // namespace

c10::Device torch_device(DeviceKind kind) {
  return kind == DeviceKind::kCuda ? c10::Device(torch::kCUDA, 0) : c10::Device(torch::kCPU);
}

DeviceFacts describe_device(DeviceKind kind) {
  DeviceFacts facts{enum_name(kind), "", cuda_runtime_version()};
  if (kind == DeviceKind::kCuda) facts.gpu = nvidia_gpu_models();
  return facts;
}

void check_device(DeviceKind kind) {
  if (kind == DeviceKind::kCuda && !torch::cuda::is_available()) {
    const bool cuda_build = at::detail::getCUDAHooks().hasCUDART();
    throw ConfigError("training.device: 'cuda' was asked for but LibTorch sees no CUDA device (" +
                      std::string(cuda_build ? "this LibTorch is built with CUDA: is a GPU visible and its driver loaded?"
                                             : "this LibTorch is a CPU-only build: build lindiff against a CUDA LibTorch, "
                                               "docs/gpu.md") +
                      "); or use device: cpu");
  }
}

double measured_gemm_rate(c10::Device device) {
  constexpr std::int64_t kSide = 512;
  torch::NoGradGuard no_grad;
  const torch::Tensor a = torch::randn({kSide, kSide}, torch::TensorOptions().device(device));
  const torch::Tensor b = torch::randn({kSide, kSide}, torch::TensorOptions().device(device));
  a.mm(b).sum().item<float>();  // warm-up; item() waits for the device
  using Clock = std::chrono::steady_clock;
  const Clock::time_point start = Clock::now();
  double seconds = 0;
  int products = 0;
  while (seconds < 0.05) {
    a.mm(b).sum().item<float>();
    ++products;
    seconds = std::chrono::duration<double>(Clock::now() - start).count();
  }
  return static_cast<double>(products) * kSide * kSide * kSide / seconds;
}

}  // namespace lindiff
