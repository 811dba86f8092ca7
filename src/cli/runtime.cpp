#include "src/cli/runtime.h"

#include <dlfcn.h>
#include <sched.h>

#include <cstdio>

#include <ATen/Parallel.h>
#include <torch/version.h>

#include "src/common/error.h"
#include "src/theory/eigen_system.h"
#include "src/tensors/device.h"

namespace lindiff {

namespace {

// OpenBLAS announces itself through openblas_get_config; any other provider of dgemm_
// (the reference BLAS, typically) is named by the library file it came from. A build without
// LAPACK calls no BLAS of its own (Eigen's products; LibTorch brings its own).
std::string loaded_blas(bool* optimized) {
  if (!lapack_available()) {
    *optimized = true;
    return "none (built without LINDIFF_WITH_LAPACK: Eigen's own products and eigensolver)";
  }
  using ConfigFn = char* (*)();
  if (auto config = reinterpret_cast<ConfigFn>(dlsym(RTLD_DEFAULT, "openblas_get_config"))) {
    *optimized = true;
    return config();
  }
  *optimized = false;
  void* dgemm = dlsym(RTLD_DEFAULT, "dgemm_");
  Dl_info info{};
  if (dgemm != nullptr && dladdr(dgemm, &info) != 0 && info.dli_fname != nullptr) {
    return std::string("reference BLAS (") + info.dli_fname + ")";
  }
  return "unknown BLAS";
}

void set_openblas_threads(int threads) {
  using SetThreadsFn = void (*)(int);
  if (auto set = reinterpret_cast<SetThreadsFn>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads"))) set(threads);
}

}  // namespace

int available_cores() {
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof set, &set) == 0) return CPU_COUNT(&set);
  return 1;
}

int checked_threads(int from_command_line, int from_config) {
  constexpr int kThreadsPerCore = 4;
  const int cores = available_cores();
  const int limit = kThreadsPerCore * cores;
  const std::string allowed = "; at most " + std::to_string(limit) + " (" + std::to_string(kThreadsPerCore) + " x the " +
                              std::to_string(cores) + " cores this process may use), 0 = every core";
  if (from_command_line > limit) {
    throw Error(ExitCode::kUsage, "--threads " + std::to_string(from_command_line) + " is too many" + allowed);
  }
  if (from_command_line > 0) return from_command_line;
  if (from_config > limit) throw ConfigError("key 'threads' is " + std::to_string(from_config) + allowed);
  return from_config;
}

RuntimeInfo initialise_runtime(int requested_threads, const std::string& command_line) {
  RuntimeInfo info;
  info.threads = requested_threads > 0 ? requested_threads : available_cores();
  info.command_line = command_line;
  at::set_num_threads(info.threads);
  set_openblas_threads(info.threads);
  info.blas = loaded_blas(&info.optimized_blas);
  info.torch_version = TORCH_VERSION;
  if (!info.optimized_blas) {
    std::fprintf(stderr,
                 "warning: %s is loaded: matrix products and eigendecompositions run 25-50x slower. "
                 "Install libopenblas0-openmp (scripts/setup.sh does).\n",
                 info.blas.c_str());
  }
  return info;
}

void record_training_device(RuntimeInfo& runtime, DeviceKind device) {
  const DeviceFacts facts = describe_device(device);
  runtime.device = facts.device;
  runtime.gpu = facts.gpu;
  runtime.cuda_runtime = facts.cuda_runtime;
}

}  // namespace lindiff
