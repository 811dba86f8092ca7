// Owns the raw image sources behind each loader: a list of images that can be
// counted and decoded one at a time (IDX arrays, CIFAR-10 batches, image folders,
// the OpenCV digit sheet).
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "datasets/idx.h"
#include "datasets/image.h"

namespace lindiff {

// A sequence of raw images, decoded on demand (any pixel type; grey, grey + alpha, RGB or RGBA).
class ImageSource {
 public:
  virtual ~ImageSource() = default;
  // Number of images.
  virtual std::int64_t size() const = 0;
  // Decodes image i (0 <= i < size()); throws DataError naming the file when it cannot.
  virtual RawImage image(std::int64_t i) const = 0;
  // Where image i comes from, for error messages ("file.png", "file.idx[12]").
  virtual std::string origin(std::int64_t i) const = 0;
};

// Images of an IDX file with 2-4 dimensions ([N, D], [N, H, W] or [N, H, W, C]).
std::unique_ptr<ImageSource> idx_source(const std::filesystem::path& path);

// Images of a NumPy .npy array: [N, d], [N, H, W] or [N, C, H, W] (C = 1 or 3), uint8, float32
// or float64; throws DataError naming the file and the shapes and types it reads otherwise.
std::unique_ptr<ImageSource> npy_source(const std::filesystem::path& path);

// The 10000-record batches of CIFAR-10's binary version (label byte + 3072 RGB-planar bytes).
std::unique_ptr<ImageSource> cifar10_source(const std::vector<std::filesystem::path>& batches);

// Every image file (png, jpg, jpeg, bmp, tif, tiff, webp, ppm, pgm, pnm) under `folder`,
// recursively, in sorted path order.
std::unique_ptr<ImageSource> folder_source(const std::filesystem::path& folder);

// OpenCV's digits.png: a 2000 x 1000 grey sheet of 100 x 50 digits of 20 x 20 pixels.
std::unique_ptr<ImageSource> digit_sheet_source(const std::filesystem::path& sheet);

}  // namespace lindiff
