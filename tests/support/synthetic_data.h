// Small synthetic datasets for tests: a DatasetSpec resolved as a config file would resolve it.
#pragma once

#include <cstdint>
#include <string>

#include "datasets/registry.h"
#include "src/config/config.h"
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

// The training tests' data: d = 8 (2 x 4, mean 0.3, generator seed 7), `n_train` pool rows, 10 held out.
inline Dataset synthetic_d8(std::int64_t n_train) {
  SyntheticSpec synthetic;
  synthetic.shape = {2, 4};
  synthetic.mean = 0.3;
  synthetic.n_train = n_train;
  synthetic.n_test = 10;
  return load_dataset(synthetic_spec(synthetic, 7));
}

// A config whose only dataset is synthetic data drawn by `synthetic`, with that data: a
// DatasetContext refers to both, so tests keep them together and make the context where used.
struct ExperimentWithData {
  ExperimentConfig config;
  Dataset dataset;
};

// The experiment of `synthetic` (generator seed `seed`), every other setting at its default.
inline ExperimentWithData synthetic_experiment(const SyntheticSpec& synthetic, std::uint64_t seed = 0) {
  ExperimentWithData e;
  const DatasetSpec spec = synthetic_spec(synthetic, seed);
  e.dataset = load_dataset(spec);
  e.config.datasets = {spec};
  return e;
}

}  // namespace lindiff::testing
