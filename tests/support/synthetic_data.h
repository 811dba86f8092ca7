// Small synthetic datasets for tests: a DatasetSpec resolved as a config file would resolve it.
#pragma once

#include <cstdint>
#include <string>

#include "datasets/registry.h"
#include "src/common/error.h"

namespace lindiff::testing {

// `spec` resolved (label, defaults, validation); a mistake in a test's spec throws ConfigError naming the key.
inline DatasetSpec resolved(DatasetSpec spec) {
  resolve_dataset_spec(spec, "", [](const std::string& key, const std::string& message) {
    throw ConfigError(key + ": " + message);
  });
  return spec;
}

// The resolved spec of synthetic data drawn by `synthetic` with generator seed `seed`.
inline DatasetSpec synthetic_spec(const SyntheticSpec& synthetic, std::uint64_t seed = 0) {
  DatasetSpec spec;
  spec.name = "synthetic";
  spec.seed = seed;
  spec.synthetic = synthetic;
  return resolved(spec);
}

}  // namespace lindiff::testing
