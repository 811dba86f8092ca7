// Owns one part of a job's up-front memory estimate: an allocation, its size and the setting
// that scales it (src/jobs/resource_estimate.h adds the parts up).
#pragma once

#include <string>

namespace lindiff {

// One allocation of a job, with the setting that scales it.
struct MemoryPart {
  std::string what;   // e.g. "linear model: 100 x 256^2 weights with gradient, optimizer state, ..."
  double bytes = 0;
  std::string key;    // the config key to change to shrink it
  bool on_device = false;  // held on training.device (a GPU's memory when it is cuda), else in host memory
};

}  // namespace lindiff
