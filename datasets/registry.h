// Owns the one registry that maps a config's dataset name to its loader, default
// location, default preprocessing and instructions for obtaining the files.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "datasets/dataset.h"
#include "datasets/image_source.h"
#include "src/common/config_fail.h"

namespace lindiff {

// The raw images of a dataset: a training split and, where the source has one, a test split.
struct SplitSources {
  std::unique_ptr<ImageSource> train;
  std::unique_ptr<ImageSource> test;  // null: hold out test_fraction of train
};

// One kind of dataset a config can name.
struct DatasetKind {
  std::string name;
  std::string summary;
  std::vector<std::string> default_paths;  // tried in order; relative to the working directory
  std::string how_to_get;                  // shown when the files are missing
  std::vector<int> default_crop;           // applied when the config sets no crop
  std::vector<int> default_resize;         // applied when the config sets no resize
  // Opens the sources at `path`; null for generated data (synthetic).
  std::function<SplitSources(const std::filesystem::path& path)> open;
  // Whether its files are decoded by an image codec (OpenCV): unavailable in a build without one.
  bool decodes_image_files = false;
  // Wiener locality's default threshold for this data (Lukoianov et al.: 0.005 for MNIST-like
  // digits and clothes, 0.05 for CIFAR-10, 0.02 for faces).
  double wiener_threshold = 0.005;
};

// All dataset kinds, in the order `lindiff datasets` lists them.
const std::vector<DatasetKind>& dataset_kinds();

// The kind called `name`; throws ConfigError listing the valid names.
const DatasetKind& find_dataset_kind(const std::string& name);

// Fills the defaults a spec leaves open (label, path, crop, resize, synthetic block) and
// validates every value, reporting the first invalid key (below `prefix`) through `fail`.
void resolve_dataset_spec(DatasetSpec& spec, const std::string& prefix, const ConfigFail& fail);

// Loads and preprocesses a resolved spec. Throws MissingDataError (saying where to put the
// files) when they are absent and DataError when they are unreadable or inconsistent.
Dataset load_dataset(const DatasetSpec& spec);

}  // namespace lindiff
