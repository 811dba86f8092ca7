// Owns the up-front memory estimate of a job: what its largest allocations will take, compared
// with what the machine (or its cgroup or rlimit) allows, before any work starts.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "datasets/dataset.h"
#include "src/config/config.h"

namespace lindiff {

// One allocation of a job, with the setting that scales it.
struct MemoryPart {
  std::string what;   // e.g. "linear model: 100 x 256^2 weights with gradient, optimizer state, ..."
  double bytes = 0;
  std::string key;    // the config key to change to shrink it
  bool on_device = false;  // held on training.device (a GPU's memory when it is cuda), else in host memory
};

// The largest allocations `command` (spectrum | theory | train | run) makes on `dataset`: the
// data, the population's d x d matrices, the theory's per-timestep curves, the linear model's
// T d^2 weights with their gradient, optimizer state, checkpoint and evaluation copies, the
// generated samples, Monte Carlo probes and U-Net activations. Order-of-magnitude estimates,
// on the safe side. O(1).
std::vector<MemoryPart> estimate_memory(const std::string& command, const ExperimentConfig& config,
                                        const Dataset& dataset);

// Bytes this process may allocate: the least of physical memory, the cgroup's memory limit and
// RLIMIT_AS / RLIMIT_DATA.
std::uint64_t available_memory();

// Throws ResourceError (exit 6) when the host parts of the estimate exceed 90% of
// available_memory() or, when training.device is cuda, the device parts exceed 90% of the GPU's
// free memory; the message names the memory, the largest part, its size, what is available and
// the key to change.
void check_memory(const std::string& command, const ExperimentConfig& config, const Dataset& dataset);

}  // namespace lindiff
