#include "datasets/registry.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <sstream>

#include "datasets/image_codecs.h"
#include "datasets/preprocess.h"
#include "datasets/synthetic.h"
#include "src/common/error.h"
#include "src/common/progress.h"

namespace lindiff {

namespace fs = std::filesystem;

namespace {

// "name" or "name.gz", whichever exists in `folder` (plain first).
fs::path plain_or_gz(const fs::path& folder, const std::string& name) {
  std::error_code ec;
  if (fs::exists(folder / name, ec)) return folder / name;
  if (fs::exists(folder / (name + ".gz"), ec)) return folder / (name + ".gz");
  throw MissingDataError("'" + folder.string() + "' holds neither " + name + " nor " + name + ".gz");
}

SplitSources open_idx_pair(const fs::path& folder) {
  SplitSources sources;
  sources.train = idx_source(plain_or_gz(folder, "train-images-idx3-ubyte"));
  sources.test = idx_source(plain_or_gz(folder, "t10k-images-idx3-ubyte"));
  return sources;
}

SplitSources open_cifar10(const fs::path& folder) {
  std::vector<fs::path> train;
  for (int b = 1; b <= 5; ++b) {
    fs::path batch = folder / ("data_batch_" + std::to_string(b) + ".bin");
    std::error_code ec;
    if (!fs::exists(batch, ec)) throw MissingDataError("'" + batch.string() + "' is missing");
    train.push_back(batch);
  }
  std::error_code ec;
  if (!fs::exists(folder / "test_batch.bin", ec)) {
    throw MissingDataError("'" + (folder / "test_batch.bin").string() + "' is missing");
  }
  SplitSources sources;
  sources.train = cifar10_source(train);
  sources.test = cifar10_source({folder / "test_batch.bin"});
  return sources;
}

SplitSources only_train(std::unique_ptr<ImageSource> train) {
  SplitSources sources;
  sources.train = std::move(train);
  return sources;
}

std::vector<DatasetKind> make_kinds() {
  const std::string idx_files = "train-images-idx3-ubyte(.gz) and t10k-images-idx3-ubyte(.gz)";
  return {
      {"fashion_mnist", "Fashion-MNIST, 28x28 grey, 60000 train + 10000 test (IDX)",
       {"/usr/share/datasets/fashion-mnist", "data/fashion-mnist"},
       "install the Debian package dataset-fashion-mnist (scripts/setup.sh does), or put " +
           idx_files + " into data/fashion-mnist/",
       {}, {}, open_idx_pair},
      {"mnist", "MNIST digits, 28x28 grey, 60000 train + 10000 test (IDX)",
       {"data/mnist"},
       "put the MNIST files " + idx_files + " into data/mnist/ (or set path: to their folder)",
       {}, {}, open_idx_pair},
      {"idx", "any IDX image file ([N,H,W], [N,H,W,C] or [N,D]; uint8..float64), plain or .gz",
       {},
       "set path: to the IDX file; test_fraction of it is held out",
       {}, {}, [](const fs::path& p) { return only_train(idx_source(p)); }},
      {"npy", "a NumPy .npy array of images: [N, d], [N, H, W] or [N, C, H, W] (C = 1 or 3); uint8, float32 or float64",
       {},
       "set path: to the .npy file (np.save(path, images)); test_fraction of it is held out",
       {}, {}, [](const fs::path& p) { return only_train(npy_source(p)); }},
      {"cifar10", "CIFAR-10, 32x32 colour, 50000 train + 10000 test (binary version)",
       {"data/cifar-10-batches-bin"},
       "extract cifar-10-binary.tar.gz into data/ so that data/cifar-10-batches-bin/data_batch_1.bin "
       "exists (or set path: to that folder)",
       {}, {}, open_cifar10, false, 0.05},
      {"celeba", "CelebA aligned faces (img_align_celeba), 178x218 colour; default crop 140, resize 32",
       {"data/celeba/img_align_celeba"},
       "extract img_align_celeba.zip into data/celeba/ so that data/celeba/img_align_celeba/000001.jpg "
       "exists (or set path: to the image folder)",
       {140, 140}, {32, 32}, [](const fs::path& p) { return only_train(folder_source(p)); }, true, 0.02},
      {"image_folder", "every PNG/JPG/... image under a folder, recursively",
       {},
       "set path: to a folder of images; test_fraction of them is held out",
       {}, {}, [](const fs::path& p) { return only_train(folder_source(p)); }, true},
      {"digits", "OpenCV's digits.png sheet: 5000 handwritten digits, 20x20 grey",
       {"/usr/share/doc/opencv-doc/examples/data/digits.png", "data/digits.png"},
       "install the Debian package opencv-doc (scripts/setup.sh does), or copy OpenCV's "
       "samples/data/digits.png to data/digits.png",
       {}, {}, [](const fs::path& p) { return only_train(digit_sheet_source(p)); }, true},
      {"synthetic", "Gaussian data with power-law spectrum nu^-k, Tr Sigma = d (exact population)",
       {}, "", {}, {}, nullptr},
  };
}

std::string format_double(double value) {
  std::ostringstream out;
  out << value;
  return out.str();
}

void validate_size(const std::vector<int>& size, const std::string& key, const ConfigFail& fail) {
  if (size.size() > 2 || std::any_of(size.begin(), size.end(), [](int v) { return v < 1; })) {
    fail(key, "must be [] (none), a positive size S or [H, W] with H, W >= 1");
  }
}

void resolve_synthetic(DatasetSpec& spec, const std::string& prefix, const ConfigFail& fail) {
  if (spec.name != "synthetic") {
    if (spec.synthetic) fail(prefix + "synthetic", "applies only to name: synthetic");
    return;
  }
  if (!spec.synthetic) spec.synthetic = SyntheticSpec{};
  const SyntheticSpec& s = *spec.synthetic;
  const std::string key = prefix + "synthetic.";
  if ((s.shape.size() != 2 && s.shape.size() != 3) ||
      std::any_of(s.shape.begin(), s.shape.end(), [](int v) { return v < 1; })) {
    fail(key + "shape", "must be [H, W] or [H, W, C] with positive entries");
  }
  if (!(s.k >= 0) || !std::isfinite(s.k)) fail(key + "k", "must be a finite number >= 0");
  validate_choice(s.basis, {"identity", "random"}, key + "basis", fail);
  if (s.n_train < 1) fail(key + "n_train", "must be >= 1");
  if (s.n_test < 1) fail(key + "n_test", "must be >= 1");
  if (spec.label.empty()) spec.label = "synthetic_k" + format_double(s.k);
}

// Decodes the images at `indices` of `source` through `pre` (with progress on big sets).
DataMatrix decode(const ImageSource& source, const std::vector<Index>& indices, Preprocessor& pre,
                  const std::string& what) {
  std::unique_ptr<Progress> progress;
  if (indices.size() >= 20000) progress = std::make_unique<Progress>(what, indices.size(), "images");
  for (Index i : indices) {
    pre.add(source.image(i), source.origin(i));
    if (progress) progress->advance();
  }
  return pre.take_rows();
}

std::vector<Index> capped(std::vector<Index> indices, std::int64_t cap, std::uint64_t seed) {
  if (cap <= 0 || cap >= static_cast<std::int64_t>(indices.size())) return indices;
  std::vector<Index> order = seeded_permutation(static_cast<Index>(indices.size()), seed);
  std::vector<Index> kept;
  for (std::int64_t i = 0; i < cap; ++i) kept.push_back(indices[order[i]]);
  std::sort(kept.begin(), kept.end());
  return kept;
}

std::vector<Index> all_indices(Index n) {
  std::vector<Index> indices(static_cast<std::size_t>(n));
  for (Index i = 0; i < n; ++i) indices[i] = i;
  return indices;
}

}  // namespace

const std::vector<DatasetKind>& dataset_kinds() {
  static const std::vector<DatasetKind> kinds = make_kinds();
  return kinds;
}

const DatasetKind& find_dataset_kind(const std::string& name) {
  for (const auto& kind : dataset_kinds()) {
    if (kind.name == name) return kind;
  }
  std::string list;
  for (const auto& kind : dataset_kinds()) list += (list.empty() ? "" : ", ") + kind.name;
  throw ConfigError("unknown dataset '" + name + "' (valid: " + list + ")");
}

void resolve_dataset_spec(DatasetSpec& spec, const std::string& prefix, const ConfigFail& fail) {
  const DatasetKind* kind = nullptr;
  try {
    kind = &find_dataset_kind(spec.name);
  } catch (const ConfigError& e) {
    fail(prefix + "name", e.what());
  }
  validate_choice(spec.channels, {"native", "gray", "color"}, prefix + "channels", fail);
  validate_choice(spec.scale, {"minus_one_one", "zero_one", "none"}, prefix + "scale", fail);
  validate_size(spec.crop, prefix + "crop", fail);
  validate_size(spec.resize, prefix + "resize", fail);
  if (!(spec.test_fraction > 0 && spec.test_fraction < 1)) {
    fail(prefix + "test_fraction", "must lie strictly between 0 and 1");
  }
  if (spec.max_train < 0) fail(prefix + "max_train", "must be >= 0 (0 = all)");
  if (spec.max_test < 0) fail(prefix + "max_test", "must be >= 0 (0 = all)");
  resolve_synthetic(spec, prefix, fail);
  if (spec.label.empty()) spec.label = spec.name;
  if (spec.crop.empty()) spec.crop = kind->default_crop;
  if (spec.resize.empty()) spec.resize = kind->default_resize;
  if (!image_codecs_available()) {
    const std::string lean = " needs OpenCV, which this build of lindiff lacks (configured with LINDIFF_WITH_OPENCV=OFF, "
                             "as the lean GPU build is): ";
    if (kind->decodes_image_files) {
      fail(prefix + "name", "'" + spec.name + "'" + lean + "use fashion_mnist, mnist, idx, cifar10 or synthetic");
    }
    if (!spec.resize.empty()) fail(prefix + "resize", "resizing" + lean + "leave resize empty (the native size)");
  }
  if (spec.path.empty() && kind->open) {
    if (kind->default_paths.empty()) fail(prefix + "path", "is required for dataset '" + spec.name + "'");
    spec.path = kind->default_paths.front();
    for (const auto& candidate : kind->default_paths) {
      std::error_code ec;
      if (fs::exists(candidate, ec)) {
        spec.path = candidate;
        break;
      }
    }
  }
}

// The held-out images at spec.test_path, opened as the kind opens its path. Throws
// MissingDataError naming the path when it is absent.
std::unique_ptr<ImageSource> open_test_path(const DatasetKind& kind, const DatasetSpec& spec) {
  std::error_code ec;
  if (!fs::exists(spec.test_path, ec)) {
    throw MissingDataError("dataset '" + spec.label + "': nothing at test_path '" + fs::absolute(spec.test_path, ec).string() +
                           "' (a file or folder of the same kind as path, with the held-out images)");
  }
  return std::move(kind.open(spec.test_path).train);
}

Dataset load_dataset(const DatasetSpec& spec) {
  const DatasetKind& kind = find_dataset_kind(spec.name);
  if (!kind.open) return make_synthetic(spec);

  std::error_code ec;
  if (!fs::exists(spec.path, ec)) {
    throw MissingDataError("dataset '" + spec.label + "': nothing at '" +
                           fs::absolute(spec.path, ec).string() + "'. To use it, " + kind.how_to_get);
  }
  SplitSources sources;
  try {
    sources = kind.open(spec.path);
  } catch (const MissingDataError& e) {
    throw MissingDataError("dataset '" + spec.label + "': " + e.what() + ". To use it, " + kind.how_to_get);
  }
  std::vector<Index> train = all_indices(sources.train->size());
  std::vector<Index> test;
  if (!spec.test_path.empty()) {
    if (sources.test) {
      throw ConfigError("dataset '" + spec.label + "': test_path is for sources without a test split of their own; '" +
                        spec.name + "' has one (leave test_path empty)");
    }
    sources.test = open_test_path(kind, spec);
  }
  if (sources.test) {
    test = all_indices(sources.test->size());
  } else {
    // Hold out a seeded share; both halves keep file order.
    std::vector<Index> order = seeded_permutation(static_cast<Index>(train.size()), spec.seed);
    const auto held = static_cast<std::size_t>(std::llround(spec.test_fraction * train.size()));
    test.assign(order.begin(), order.begin() + held);
    train.assign(order.begin() + held, order.end());
    std::sort(test.begin(), test.end());
    std::sort(train.begin(), train.end());
  }
  train = capped(train, spec.max_train, spec.seed + 1);
  test = capped(test, spec.max_test, spec.seed + 2);
  if (train.empty() || test.empty()) {
    throw DataError("dataset '" + spec.label + "' at '" + spec.path + "' has too few images for a " +
                    "training pool and a held-out split (" + std::to_string(train.size()) + " + " +
                    std::to_string(test.size()) + ")");
  }

  Preprocessor pre(spec);
  Dataset dataset;
  dataset.name = spec.name;
  dataset.label = spec.label;
  dataset.source = spec.path;
  dataset.pool = decode(*sources.train, train, pre, "decoding " + spec.label + " (train)");
  const ImageShape train_shape = pre.shape();
  dataset.test = decode(sources.test ? *sources.test : *sources.train, test, pre,
                        "decoding " + spec.label + " (test)");
  dataset.shape = train_shape;
  return dataset;
}

}  // namespace lindiff
