// Owns the typed experiment config: what a YAML experiment file may contain, its
// defaults, validation before any work starts, and the resolved copy saved with results.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "datasets/dataset_spec.h"

namespace lindiff {

// Settings of the covariance-spectrum analysis (THEORY.md section 8).
struct SpectrumSpec {
  std::int64_t n_train = 0;                     // training-set size N; 0 = the whole pool
  std::string solver = "dsyevd";                // dsyevd | eigen
  std::string route = "auto";                   // auto | covariance | gram
  std::vector<std::int64_t> fit_range = {1, 0};  // ranks [first, last]; last 0 = last positive
  int eigenvectors = 16;                        // top eigenvectors drawn as images
  int examples = 16;                            // training images drawn as examples
  std::vector<std::int64_t> cov_error_n;        // N values of the covariance-error curve; [] = auto

  template <class Visitor>
  void fields(Visitor& v) {
    v("n_train", n_train, "training-set size N (a nested subset of the pool); 0 = the whole pool");
    v("solver", solver, "eigensolver: dsyevd (LAPACK divide and conquer) | eigen");
    v("route", route, "auto (Gram matrix when N < d) | covariance | gram");
    v("fit_range", fit_range, "ranks [first, last] of the power-law fit; last 0 = last positive eigenvalue");
    v("eigenvectors", eigenvectors, "number of top eigenvectors drawn as images");
    v("examples", examples, "number of training images drawn as examples");
    v("cov_error_n", cov_error_n, "N values for the covariance-error curve; [] = log-spaced up to the pool");
  }
};

// A whole experiment file.
struct ExperimentConfig {
  std::string name = "experiment";
  std::string output_dir;  // default: runs/<name>
  std::uint64_t seed = 0;
  int threads = 0;         // 0 = every core
  std::vector<DatasetSpec> datasets;
  SpectrumSpec spectrum;

  template <class Visitor>
  void fields(Visitor& v) {
    v("name", name, "name of the experiment; the default output folder is runs/<name>");
    v("output_dir", output_dir, "folder for results (default runs/<name>)");
    v("seed", seed, "seed of training subsets (and of everything random downstream)");
    v("threads", threads, "threads for BLAS and LibTorch; 0 = every core");
    v("datasets", datasets, "the datasets (a list; 'dataset: X' is accepted for a single one)");
    v("spectrum", spectrum, "covariance-spectrum analysis");
  }
};

// Parses, overrides, resolves and validates an experiment file: `overrides` are
// "key=value" strings applied before validation. Throws ConfigError naming the file, the
// key and its line, and what would be valid.
ExperimentConfig load_config(const std::string& path, const std::vector<std::string>& overrides);

// The resolved config as YAML text (every key, defaults included), loadable again.
std::string to_yaml(const ExperimentConfig& config);

// Every key with its default and help text, one per line.
std::string describe_keys();

}  // namespace lindiff
