// Owns the up-front memory estimate of a job: what its largest allocations will take, compared
// with what the machine (or its cgroup or rlimit) allows, before any work starts.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "datasets/dataset.h"
#include "src/common/memory_part.h"
#include "src/config/config.h"

namespace lindiff {

// The largest allocations `command` (spectrum | theory | train | run | denoise) makes on `dataset`: the
// data, the population's d x d matrices, the theory's per-timestep curves, the linear model's
// T d^2 weights with their gradient, optimizer state, checkpoint and evaluation copies, the
// generated samples, Monte Carlo probes, U-Net activations and the denoise stage's arrays.
// Order-of-magnitude estimates, on the safe side. O(1).
std::vector<MemoryPart> estimate_memory(const std::string& command, const ExperimentConfig& config,
                                        const Dataset& dataset);

// The denoise stage's multiply-adds on `dataset` (docs/denoisers.md#cost): per training size
// (training.n and the networks' n), each reference's predictions on both splits' G M inputs and
// its K shared-noise samples of T steps, and per calibrated cell each candidate setting on the
// G M held-out inputs and the calibrated machine's K T sampling steps (at the costliest
// candidate), from the kinds' query_cost. The networks' own predictions are not
// counted. O(references x sizes x candidates).
double denoise_multiply_adds(const ExperimentConfig& config, const Dataset& dataset);

// Says on stderr how long the denoise stage will take, at the share kAnalyticShareOfGemm of the
// float GEMM rate measured now; throws ResourceError (exit 6) naming denoise.max_minutes and the
// keys that set the cost when the estimate exceeds denoise.max_minutes (0: no limit). Nothing
// without references.
void check_denoise_time(const ExperimentConfig& config, const Dataset& dataset);

// Bytes this process may allocate: the least of physical memory, the cgroup's memory limit and
// RLIMIT_AS / RLIMIT_DATA.
std::uint64_t available_memory();

// Throws ResourceError (exit 6) when the host parts of the estimate exceed 90% of
// available_memory() or, when training.device is cuda, the device parts exceed 90% of the GPU's
// free memory; the message names the memory, the largest part, its size, what is available and
// the key to change.
void check_memory(const std::string& command, const ExperimentConfig& config, const Dataset& dataset);

// What to change when memory runs out after all: the keys of the two largest parts of the last
// estimate check_memory made in this process ("" before any), e.g. "training.unet.batch_size or
// training.unet.base_channels (the U-Net's activations, 3.1 GiB)".
std::string memory_advice();

}  // namespace lindiff
