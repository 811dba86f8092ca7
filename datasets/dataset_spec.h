// Owns the configuration of one dataset: which loader, where its files are, how its
// images are preprocessed and split. Read from YAML by the experiment config.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace lindiff {

// Synthetic Gaussian data with power-law spectrum \lambda_\nu \propto \nu^{-k}, Tr \Sigma = d.
struct SyntheticSpec {
  std::vector<int> shape = {8, 8};  // [H, W] or [H, W, C]; d = H W C
  double k = 1.0;
  std::string basis = "random";     // identity | random (Haar-random orthogonal)
  double mean = 0.0;                // every component of \mu
  std::int64_t n_train = 10000;     // size of the training pool
  std::int64_t n_test = 10000;      // held-out samples (the population itself is exact)

  template <class Visitor>
  void fields(Visitor& v) {
    v("shape", shape, "image shape [H, W] or [H, W, C]; d = H*W*C");
    v("k", k, "power-law exponent: lambda_nu proportional to nu^-k, scaled to Tr Sigma = d");
    v("basis", basis, "eigenbasis of Sigma: identity | random");
    v("mean", mean, "value of every component of the population mean");
    v("n_train", n_train, "number of samples in the training pool");
    v("n_test", n_test, "number of held-out samples");
  }
};

// One dataset as an experiment names it.
struct DatasetSpec {
  // "datasets: [fashion_mnist]" is short for "datasets: [{name: fashion_mnist}]".
  static constexpr const char* kShorthandKey = "name";

  std::string name;                 // registry key: fashion_mnist, mnist, idx, cifar10, celeba,
                                    // image_folder, digits, synthetic
  std::string label;                // name in results and figures; default derived from name
  std::string path;                 // file or folder; default from the registry
  bool optional = false;            // skip with a warning (instead of failing) when files are missing
  std::string channels = "native";  // native | gray | color
  std::vector<int> crop;            // centre crop: [] none, [S] square, [H, W]
  std::vector<int> resize;          // area resize after crop: [] none, [S] square, [H, W]
  std::string scale = "minus_one_one";  // minus_one_one | zero_one | none
  std::string test_path;            // the held-out images of a source without a test split; "" = hold out test_fraction
  double test_fraction = 0.1;       // held-out share for sources without their own test split
  std::int64_t max_train = 0;       // cap on the training pool (seeded choice); 0 = all
  std::int64_t max_test = 0;        // cap on the held-out split; 0 = all
  std::uint64_t seed = 0;           // synthetic generation, held-out split and caps
  std::optional<SyntheticSpec> synthetic;  // only for name: synthetic

  template <class Visitor>
  void fields(Visitor& v) {
    v("name", name, "dataset kind (lindiff datasets lists them)");
    v("label", label, "name used in results and figures (default: name, plus _k<k> for synthetic)");
    v("path", path, "file or folder with the data (default: the dataset's usual place)");
    v("optional", optional, "skip this dataset with a warning when its files are missing");
    v("channels", channels, "native | gray | color");
    v("crop", crop, "centre crop before resizing: [] none, S (square) or [H, W]");
    v("resize", resize, "resize with area interpolation: [] none, S (square) or [H, W]");
    v("scale", scale, "pixel scaling: minus_one_one ([-1, 1]) | zero_one ([0, 1]) | none");
    v("test_path", test_path, "file or folder of the same kind as path with the held-out images, for a source without its own test split (npy, idx, image_folder, ...): path is then the whole training pool; '' = hold out test_fraction of path");
    v("test_fraction", test_fraction, "held-out share where the source has no test split (and no test_path)");
    v("max_train", max_train, "use at most this many training-pool images (0 = all)");
    v("max_test", max_test, "use at most this many held-out images (0 = all)");
    v("seed", seed, "seed of synthetic data, held-out split and caps");
    v("synthetic", synthetic, "settings of synthetic data (name: synthetic only)");
  }
};

}  // namespace lindiff
