#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstring>
#include <limits>

#include "datasets/image_codecs.h"
#include "datasets/registry.h"
#include "src/common/error.h"
#include "src/common/npy.h"
#include "tests/support/image_codecs_skip.h"
#include "tests/support/temp_dir.h"

namespace lindiff {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::ThrowsMessage;
using testing::TempDir;

DatasetSpec spec_for(const std::string& name, const std::filesystem::path& path) {
  DatasetSpec spec;
  spec.name = name;
  spec.path = path.string();
  resolve_dataset_spec(spec, "", [](const std::string& key, const std::string& message) {
    throw ConfigError(key + ": " + message);
  });
  return spec;
}

// MNIST-style folder: train/t10k image files whose pixel i of image n is (n * 16 + i) % 256.
void write_idx_pair(const std::filesystem::path& dir, int train, int test, bool gzip) {
  std::filesystem::create_directories(dir);
  for (auto [name, count] : {std::pair{"train-images-idx3-ubyte", train}, std::pair{"t10k-images-idx3-ubyte", test}}) {
    IdxArray array;
    array.dims = {count, 4, 4};
    for (int n = 0; n < count; ++n)
      for (int i = 0; i < 16; ++i) array.data.push_back(static_cast<unsigned char>((n * 16 + i) % 256));
    write_idx(dir / (std::string(name) + (gzip ? ".gz" : "")), array, gzip);
  }
}

TEST(IdxDatasets, FashionMnistLayoutLoadsBothSplitsScaledToMinusOneOne) {
  TempDir dir;
  write_idx_pair(dir.path(), 12, 5, true);
  const Dataset data = load_dataset(spec_for("fashion_mnist", dir.path()));
  EXPECT_EQ(data.pool.rows(), 12);
  EXPECT_EQ(data.test.rows(), 5);
  EXPECT_EQ(data.shape, (ImageShape{1, 4, 4}));
  EXPECT_FLOAT_EQ(data.pool(0, 0), -1.0f);                       // byte 0
  EXPECT_FLOAT_EQ(data.pool(0, 5), 2.0f * 5 / 255 - 1);          // byte 5
  EXPECT_FLOAT_EQ(data.pool(11, 15), 2.0f * 191 / 255 - 1);      // byte (11 * 16 + 15) % 256
  EXPECT_FLOAT_EQ(data.test(4, 0), 2.0f * 64 / 255 - 1);         // test image 4, byte 64
}

TEST(IdxDatasets, PlainFilesAndZeroOneScaling) {
  TempDir dir;
  write_idx_pair(dir.path(), 3, 2, false);
  DatasetSpec spec = spec_for("mnist", dir.path());
  spec.scale = "zero_one";
  const Dataset data = load_dataset(spec);
  EXPECT_FLOAT_EQ(data.pool(1, 2), 18.0f / 255);
  EXPECT_FLOAT_EQ(data.test(1, 0), 16.0f / 255);
}

TEST(IdxDatasets, MissingFilesSayWhereToPutThem) {
  TempDir dir;
  std::filesystem::create_directories(dir / "empty");
  EXPECT_THAT([&] { load_dataset(spec_for("mnist", dir / "empty")); },
              ThrowsMessage<MissingDataError>(AllOf(HasSubstr("train-images-idx3-ubyte"), HasSubstr("data/mnist/"))));
  EXPECT_THAT([&] { load_dataset(spec_for("cifar10", dir / "nope")); },
              ThrowsMessage<MissingDataError>(AllOf(HasSubstr("nope"), HasSubstr("cifar-10-batches-bin"))));
}

TEST(IdxDatasets, GenericIdxFileHoldsOutTestFraction) {
  TempDir dir;
  IdxArray array;
  array.type = IdxType::kFloat32;
  array.dims = {20, 3};
  std::vector<float> values(60);
  for (int i = 0; i < 60; ++i) values[i] = i / 60.0f;
  array.data.resize(values.size() * 4);
  std::memcpy(array.data.data(), values.data(), array.data.size());
  write_idx(dir / "x.idx", array, false);
  DatasetSpec spec = spec_for("idx", dir / "x.idx");
  spec.test_fraction = 0.25;
  spec.scale = "none";
  const Dataset data = load_dataset(spec);
  EXPECT_EQ(data.pool.rows(), 15);
  EXPECT_EQ(data.test.rows(), 5);
  EXPECT_EQ(data.shape, (ImageShape{1, 1, 3}));
  // Float data keep their values with scale: none; every row is one of the originals.
  const float first = data.pool(0, 0);
  EXPECT_NEAR(data.pool(0, 1) - first, 1.0f / 60, 1e-6);
}

// A generic IDX image file [count, 2, 2, channels] of uint8 whose channel k holds the value k * 40.
std::filesystem::path write_channel_idx(const std::filesystem::path& dir, std::int64_t channels) {
  IdxArray array;
  array.type = IdxType::kUint8;
  array.dims = {8, 2, 2, channels};
  for (int pixel = 0; pixel < 8 * 4; ++pixel) {
    for (std::int64_t k = 0; k < channels; ++k) array.data.push_back(static_cast<unsigned char>((k * 40) % 256));
  }
  const std::filesystem::path path = dir / ("c" + std::to_string(channels) + ".idx");
  write_idx(path, array, false);
  return path;
}

TEST(IdxDatasets, ThreeChannelsLoadAsRgbPlanesInFileOrder) {
  TempDir dir;
  DatasetSpec spec = spec_for("idx", write_channel_idx(dir.path(), 3));
  spec.scale = "none";
  const Dataset data = load_dataset(spec);
  EXPECT_EQ(data.shape, (ImageShape{3, 2, 2}));
  EXPECT_FLOAT_EQ(data.pool(0, 0), 0.0f);   // plane 0 = the file's channel 0
  EXPECT_FLOAT_EQ(data.pool(0, 4), 40.0f);  // plane 1
  EXPECT_FLOAT_EQ(data.pool(0, 8), 80.0f);  // plane 2
}

TEST(IdxDatasets, ChannelCountsOtherThanOneOrThreeAreRefusedByName) {
  TempDir dir;
  // 2 and 5 once loaded as grey (d = 4 instead of 8) and ended in a raw OpenCV error; 513
  // overflowed OpenCV's channel field and the item copy overran the heap.
  for (std::int64_t channels : {2, 5, 513}) {
    const std::filesystem::path path = write_channel_idx(dir.path(), channels);
    EXPECT_THAT([&] { load_dataset(spec_for("idx", path)); },
                ThrowsMessage<DataError>(AllOf(HasSubstr(path.filename().string()),
                                               HasSubstr(std::to_string(channels) + " channels"),
                                               HasSubstr("1 (grey) or 3 (RGB)"))));
  }
}

TEST(IdxDatasets, NonFiniteValuesAreRefusedNamingFileAndItem) {
  TempDir dir;
  IdxArray array;
  array.type = IdxType::kFloat32;
  array.dims = {6, 2};
  std::vector<float> values(12, 0.25f);
  values[7] = std::numeric_limits<float>::quiet_NaN();  // item 3, column 1
  array.data.resize(values.size() * 4);
  std::memcpy(array.data.data(), values.data(), array.data.size());
  write_idx(dir / "nan.idx", array, false);
  DatasetSpec spec = spec_for("idx", dir / "nan.idx");
  spec.scale = "none";
  EXPECT_THAT([&] { load_dataset(spec); },
              ThrowsMessage<DataError>(AllOf(HasSubstr("nan.idx[3]"), HasSubstr("non-finite"), HasSubstr("column 1"))));
}

std::string cifar_record(unsigned char label, unsigned char r, unsigned char g, unsigned char b) {
  return std::string(1, static_cast<char>(label)) + std::string(1024, static_cast<char>(r)) +
         std::string(1024, static_cast<char>(g)) + std::string(1024, static_cast<char>(b));
}

// A NumPy array [N, C, H, W] (PyTorch's layout) loads as lindiff's planar images: pixel p of
// channel c of image n holds n * 100 + c * 10 + p.
TEST(NpyDatasets, ChannelsFirstArraysLoadAsPlanesAndHoldOutTestFraction) {
  TempDir dir;
  std::vector<float> values;
  for (int n = 0; n < 8; ++n) {
    for (int c = 0; c < 3; ++c) {
      for (int p = 0; p < 4; ++p) values.push_back(static_cast<float>(n * 100 + c * 10 + p));
    }
  }
  write_npy(dir / "rgb.npy", NpyType::kFloat32, {8, 3, 2, 2}, values.data());
  DatasetSpec spec = spec_for("npy", dir / "rgb.npy");
  spec.scale = "none";
  spec.test_fraction = 0.25;
  const Dataset data = load_dataset(spec);
  EXPECT_EQ(data.shape, (ImageShape{3, 2, 2}));
  EXPECT_EQ(data.pool.rows(), 6);
  EXPECT_EQ(data.test.rows(), 2);
  const float image = data.pool(0, 0);  // n * 100 of some image
  for (int c = 0; c < 3; ++c) {
    for (int p = 0; p < 4; ++p) EXPECT_FLOAT_EQ(data.pool(0, c * 4 + p), image + c * 10 + p);
  }
}

TEST(NpyDatasets, RowsAndGreyImagesAndBadArraysAreNamed) {
  TempDir dir;
  const std::vector<std::uint8_t> pixels(8 * 15, 51);
  write_npy(dir / "rows.npy", NpyType::kUInt8, {5, 6}, pixels.data());
  DatasetSpec spec = spec_for("npy", dir / "rows.npy");
  spec.scale = "zero_one";
  const Dataset rows = load_dataset(spec);
  EXPECT_EQ(rows.shape, (ImageShape{1, 1, 6}));
  EXPECT_FLOAT_EQ(rows.pool(0, 5), 0.2f);
  write_npy(dir / "grey.npy", NpyType::kUInt8, {8, 3, 5}, pixels.data());
  EXPECT_EQ(load_dataset(spec_for("npy", dir / "grey.npy")).shape, (ImageShape{1, 3, 5}));
  const std::vector<double> flat(30, 0.5);
  write_npy(dir / "c2.npy", NpyType::kFloat64, {3, 2, 1, 5}, flat.data());
  EXPECT_THAT([&] { load_dataset(spec_for("npy", dir / "c2.npy")); },
              ThrowsMessage<DataError>(AllOf(HasSubstr("c2.npy"), HasSubstr("3 x 2 x 1 x 5"), HasSubstr("C = 1 (grey) or 3"))));
  const std::vector<std::int64_t> labels(4, 1);
  write_npy(dir / "labels.npy", NpyType::kInt64, {4, 1}, labels.data());
  EXPECT_THAT([&] { load_dataset(spec_for("npy", dir / "labels.npy")); },
              ThrowsMessage<DataError>(HasSubstr("int64 pixels are not read")));
  write_npy(dir / "vector.npy", NpyType::kFloat64, {30}, flat.data());
  EXPECT_THAT([&] { load_dataset(spec_for("npy", dir / "vector.npy")); },
              ThrowsMessage<DataError>(HasSubstr("[N, d], [N, H, W] or [N, C, H, W]")));
}

// With test_path the held-out images come from a second file and the whole first file is the
// pool, in file order (a network's own training set, docs/denoisers.md#your-own-network); a
// missing test file is named, and a source with its own test split refuses one.
TEST(NpyDatasets, ATestPathMakesTheWholeFileThePool) {
  TempDir dir;
  std::vector<float> train(5 * 4), test(3 * 4);
  for (std::size_t i = 0; i < train.size(); ++i) train[i] = static_cast<float>(i);
  for (std::size_t i = 0; i < test.size(); ++i) test[i] = 100.0f + static_cast<float>(i);
  write_npy(dir / "train.npy", NpyType::kFloat32, {5, 2, 2}, train.data());
  write_npy(dir / "test.npy", NpyType::kFloat32, {3, 2, 2}, test.data());
  DatasetSpec spec = spec_for("npy", dir / "train.npy");
  spec.scale = "none";
  spec.test_path = (dir / "test.npy").string();
  const Dataset data = load_dataset(spec);
  ASSERT_EQ(data.pool.rows(), 5);
  ASSERT_EQ(data.test.rows(), 3);
  for (int r = 0; r < 5; ++r) EXPECT_FLOAT_EQ(data.pool(r, 3), static_cast<float>(r * 4 + 3));
  EXPECT_FLOAT_EQ(data.test(2, 0), 108.0f);
  spec.test_path = (dir / "absent.npy").string();
  EXPECT_THAT([&] { load_dataset(spec); }, ThrowsMessage<MissingDataError>(AllOf(HasSubstr("test_path"), HasSubstr("absent.npy"))));
  write_npy(dir / "wide.npy", NpyType::kFloat32, {3, 4}, test.data());
  spec.test_path = (dir / "wide.npy").string();
  EXPECT_THAT([&] { load_dataset(spec); }, ThrowsMessage<DataError>(HasSubstr("after preprocessing but earlier images are 2x2")));
  write_idx_pair(dir / "fashion", 4, 2, false);
  DatasetSpec fashion = spec_for("fashion_mnist", dir / "fashion");
  fashion.test_path = (dir / "test.npy").string();
  EXPECT_THAT([&] { load_dataset(fashion); }, ThrowsMessage<ConfigError>(AllOf(HasSubstr("test_path"), HasSubstr("has one"))));
}

TEST(Cifar10, LoadsRgbPlanesInRgbOrder) {
  TempDir dir;
  for (int b = 1; b <= 5; ++b) {
    testing::write_bytes(dir / ("data_batch_" + std::to_string(b) + ".bin"),
                         cifar_record(1, 255, 0, 0) + cifar_record(2, 0, 255, 0));
  }
  testing::write_bytes(dir / "test_batch.bin", cifar_record(3, 0, 0, 255));
  const Dataset data = load_dataset(spec_for("cifar10", dir.path()));
  EXPECT_EQ(data.pool.rows(), 10);
  EXPECT_EQ(data.test.rows(), 1);
  EXPECT_EQ(data.shape, (ImageShape{3, 32, 32}));
  // Row layout is channel planes R, G, B.
  EXPECT_FLOAT_EQ(data.pool(0, 0), 1.0f);
  EXPECT_FLOAT_EQ(data.pool(0, 1024), -1.0f);
  EXPECT_FLOAT_EQ(data.pool(1, 1024), 1.0f);
  EXPECT_FLOAT_EQ(data.test(0, 2048), 1.0f);
}

TEST(Cifar10, TruncatedBatchAndBadLabelAreRejected) {
  TempDir dir;
  for (int b = 1; b <= 5; ++b) testing::write_bytes(dir / ("data_batch_" + std::to_string(b) + ".bin"), cifar_record(0, 1, 2, 3));
  testing::write_bytes(dir / "test_batch.bin", cifar_record(0, 1, 2, 3).substr(0, 3000));
  EXPECT_THAT([&] { load_dataset(spec_for("cifar10", dir.path())); },
              ThrowsMessage<DataError>(AllOf(HasSubstr("test_batch.bin"), HasSubstr("3073"))));
  testing::write_bytes(dir / "test_batch.bin", cifar_record(42, 1, 2, 3));
  EXPECT_THAT([&] { load_dataset(spec_for("cifar10", dir.path())); }, ThrowsMessage<DataError>(HasSubstr("label 42")));
}

Image8 uniform_image(int rows, int cols, int value, int channels = 1) {
  return Image8{rows, cols, channels, std::vector<std::uint8_t>(static_cast<std::size_t>(rows) * cols * channels,
                                                               static_cast<std::uint8_t>(value))};
}

void write_png(const std::filesystem::path& path, int rows, int cols, int value, int channels = 1) {
  std::filesystem::create_directories(path.parent_path());
  write_png(uniform_image(rows, cols, value, channels), path);
}

TEST(ImageFolder, RecursiveSortedAndSplit) {
  SKIP_WITHOUT_IMAGE_CODECS();
  TempDir dir;
  for (int i = 0; i < 10; ++i) write_png(dir / ("sub" + std::to_string(i % 2)) / (std::to_string(i) + ".png"), 6, 4, 25 * i);
  testing::write_bytes(dir / "notes.txt", "not an image");
  DatasetSpec spec = spec_for("image_folder", dir.path());
  spec.test_fraction = 0.2;
  const Dataset data = load_dataset(spec);
  EXPECT_EQ(data.pool.rows(), 8);
  EXPECT_EQ(data.test.rows(), 2);
  EXPECT_EQ(data.shape, (ImageShape{1, 6, 4}));
}

TEST(ImageFolder, MismatchedSizesNeedResize) {
  SKIP_WITHOUT_IMAGE_CODECS();
  TempDir dir;
  write_png(dir / "a.png", 6, 4, 10);
  write_png(dir / "b.png", 6, 4, 10);
  write_png(dir / "c.png", 8, 8, 10);
  write_png(dir / "d.png", 6, 4, 10);
  DatasetSpec spec = spec_for("image_folder", dir.path());
  spec.test_fraction = 0.25;
  EXPECT_THAT([&] { load_dataset(spec); }, ThrowsMessage<DataError>(AllOf(HasSubstr("c.png"), HasSubstr("resize"))));
  spec.resize = {4};
  const Dataset data = load_dataset(spec);
  EXPECT_EQ(data.shape, (ImageShape{1, 4, 4}));
}

TEST(ImageFolder, UnreadableImageAndEmptyFolderAreNamed) {
  SKIP_WITHOUT_IMAGE_CODECS();
  TempDir dir;
  write_png(dir / "good.png", 4, 4, 1);
  testing::write_bytes(dir / "broken.png", "\x89PNG garbage");
  DatasetSpec spec = spec_for("image_folder", dir.path());
  spec.test_fraction = 0.5;
  EXPECT_THAT([&] { load_dataset(spec); }, ThrowsMessage<DataError>(HasSubstr("broken.png")));
  std::filesystem::create_directories(dir / "empty");
  EXPECT_THAT([&] { load_dataset(spec_for("image_folder", dir / "empty")); },
              ThrowsMessage<DataError>(HasSubstr("no image files")));
}

TEST(Preprocess, GreyConversionCentreCropAndAreaResize) {
  SKIP_WITHOUT_IMAGE_CODECS();
  TempDir dir;
  // 4x4 colour image: left half red, right half white; crop 2x4 rows 1..2.
  Image8 image = uniform_image(4, 4, 255, 3);
  for (int r = 0; r < 4; ++r) {
    for (int c = 0; c < 2; ++c) image.at(r, c, 1) = image.at(r, c, 2) = 0;
  }
  for (int i = 0; i < 4; ++i) write_png(image, dir / ("img" + std::to_string(i) + ".png"));
  DatasetSpec spec = spec_for("image_folder", dir.path());
  spec.test_fraction = 0.25;
  spec.crop = {2, 4};
  spec.resize = {1, 2};
  spec.scale = "zero_one";
  Dataset colour = load_dataset(spec);
  EXPECT_EQ(colour.shape, (ImageShape{3, 1, 2}));
  // Planes R, G, B; pixel 0 averages the red half, pixel 1 the white half.
  EXPECT_FLOAT_EQ(colour.pool(0, 0), 1.0f);  // R of red
  EXPECT_FLOAT_EQ(colour.pool(0, 2), 0.0f);  // G of red
  EXPECT_FLOAT_EQ(colour.pool(0, 3), 1.0f);  // G of white
  spec.channels = "gray";
  Dataset grey = load_dataset(spec);
  EXPECT_EQ(grey.shape, (ImageShape{1, 1, 2}));
  EXPECT_NEAR(grey.pool(0, 0), 0.299f, 0.005f);  // luma of pure red
  EXPECT_FLOAT_EQ(grey.pool(0, 1), 1.0f);
  spec.crop = {5, 5};
  EXPECT_THAT([&] { load_dataset(spec); }, ThrowsMessage<DataError>(HasSubstr("smaller than the crop 5x5")));
}

TEST(DigitSheet, CutsFiveThousandDigitsAndChecksSheetSize) {
  SKIP_WITHOUT_IMAGE_CODECS();
  TempDir dir;
  Image8 sheet = uniform_image(1000, 2000, 0);
  for (int r = 0; r < 20; ++r) {
    for (int c = 20; c < 40; ++c) sheet.at(r, c, 0) = 255;  // digit 1 (row 0, column 1) is white
  }
  write_png(sheet, dir / "digits.png");
  DatasetSpec spec = spec_for("digits", dir / "digits.png");
  spec.test_fraction = 0.1;
  const Dataset data = load_dataset(spec);
  EXPECT_EQ(data.pool.rows() + data.test.rows(), 5000);
  EXPECT_EQ(data.test.rows(), 500);
  EXPECT_EQ(data.shape, (ImageShape{1, 20, 20}));
  const float total = data.pool.sum() + data.test.sum();
  EXPECT_FLOAT_EQ(total, -1.0f * 400 * 4999 + 400.0f);
  write_png(dir / "small.png", 100, 200, 0);
  EXPECT_THAT([&] { load_dataset(spec_for("digits", dir / "small.png")); },
              ThrowsMessage<DataError>(HasSubstr("2000x1000")));
}

TEST(Registry, UnknownNameListsValidNames) {
  EXPECT_THAT([] { find_dataset_kind("imagenet"); },
              ThrowsMessage<ConfigError>(AllOf(HasSubstr("fashion_mnist"), HasSubstr("synthetic"))));
}

TEST(Registry, WithoutImageCodecsDecodedKindsAndResizeAreRefusedByKey) {
  if (image_codecs_available()) GTEST_SKIP() << "this build has image codecs";
  auto fail = [](const std::string& key, const std::string& message) { throw ConfigError(key + ": " + message); };
  for (const char* name : {"celeba", "image_folder", "digits"}) {
    DatasetSpec spec;
    spec.name = name;
    spec.path = "somewhere";
    EXPECT_THAT([&] { resolve_dataset_spec(spec, "datasets.0.", fail); },
                ThrowsMessage<ConfigError>(AllOf(HasSubstr("datasets.0.name"), HasSubstr("OpenCV"), HasSubstr("fashion_mnist"))));
  }
  DatasetSpec resized;
  resized.name = "fashion_mnist";
  resized.resize = {16};
  EXPECT_THAT([&] { resolve_dataset_spec(resized, "datasets.0.", fail); },
              ThrowsMessage<ConfigError>(AllOf(HasSubstr("datasets.0.resize"), HasSubstr("OpenCV"))));
}

TEST(Registry, ResolveFillsDefaultsAndRejectsBadValues) {
  DatasetSpec celeba;
  celeba.name = "celeba";
  auto fail = [](const std::string& key, const std::string& message) { throw ConfigError(key + ": " + message); };
  if (image_codecs_available()) {
    resolve_dataset_spec(celeba, "", fail);
    EXPECT_EQ(celeba.crop, (std::vector<int>{140, 140}));
    EXPECT_EQ(celeba.path, "data/celeba/img_align_celeba");
  }
  DatasetSpec bad;
  bad.name = "mnist";
  bad.channels = "rgb";
  EXPECT_THAT([&] { resolve_dataset_spec(bad, "x.", fail); }, ThrowsMessage<ConfigError>(HasSubstr("x.channels")));
  DatasetSpec stray;
  stray.name = "mnist";
  stray.synthetic = SyntheticSpec{};
  EXPECT_THAT([&] { resolve_dataset_spec(stray, "", fail); },
              ThrowsMessage<ConfigError>(HasSubstr("only to name: synthetic")));
  DatasetSpec idx;
  idx.name = "idx";  // a kind without a usual place
  EXPECT_THAT([&] { resolve_dataset_spec(idx, "", fail); }, ThrowsMessage<ConfigError>(HasSubstr("path")));
}

}  // namespace
}  // namespace lindiff
