// Owns process start-up: thread count for BLAS and LibTorch, detection of the loaded
// BLAS (warning when it is the slow reference one), and version facts.
#pragma once

#include <string>

#include "src/common/runtime_info.h"
#include "src/config/vocabulary.h"

namespace lindiff {

// Sets the thread count once (requested > 0, else every core this process may use) for
// LibTorch (at::set_num_threads) and OpenBLAS, checks which BLAS is loaded and warns on
// stderr when it is the reference implementation. Returns what it found.
RuntimeInfo initialise_runtime(int requested_threads, const std::string& command_line);

// Records in `runtime` the device models train on (training.device), its GPU and CUDA runtime.
void record_training_device(RuntimeInfo& runtime, DeviceKind device);

// Number of cores this process may run on (sched_getaffinity).
int available_cores();

// The thread count of a run: `from_command_line` (--threads) if > 0, else `from_config` (the
// config's `threads`), else 0 (every core). Refuses more than 4 per available core (more only
// adds contention; 100000 once started ~24k threads and hung): Error kUsage for --threads,
// ConfigError for `threads`.
int checked_threads(int from_command_line, int from_config);

}  // namespace lindiff
