// Owns the description of the process environment recorded in every manifest.
#pragma once

#include <string>

namespace lindiff {

// Facts about how this process runs, filled once at start-up by the command line.
struct RuntimeInfo {
  int threads = 1;              // threads given to BLAS and LibTorch
  std::string blas;             // e.g. "OpenBLAS 0.3.21 ..." or a warning about reference BLAS
  bool optimized_blas = false;  // false when reference BLAS was loaded
  std::string torch_version;    // LibTorch version ("" when not linked)
  std::string device = "cpu";   // where models train (training.device)
  std::string gpu;              // the host's GPU models when device is cuda
  std::string cuda_runtime;     // CUDA runtime of LibTorch ("" for a CPU build)
  std::string command_line;
};

}  // namespace lindiff
