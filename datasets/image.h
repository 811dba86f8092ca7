// Owns the image values that pass between the readers, preprocessing and the image grids,
// independent of any image library: a decoded image of any element type, and 8-bit images.
#pragma once

#include <cstdint>
#include <vector>

namespace lindiff {

// The element type an image was stored in; it fixes the nominal range that scaling maps to [0, 1].
enum class PixelType { kUint8, kInt8, kUint16, kInt16, kInt32, kFloat32, kFloat64 };

// A decoded image before preprocessing: height x width x channels values, row-major with the
// channels interleaved in RGB(A) order (1 grey, 2 grey + alpha, 3 RGB, 4 RGBA). The values are
// the stored numbers (exact in double for every PixelType).
struct RawImage {
  int height = 0;
  int width = 0;
  int channels = 1;
  PixelType type = PixelType::kUint8;
  std::vector<double> values;
};

// An image in float with the same layout (what preprocessing works on).
struct FloatImage {
  int height = 0;
  int width = 0;
  int channels = 1;
  std::vector<float> values;

  float& at(int row, int col, int channel) { return values[(static_cast<std::size_t>(row) * width + col) * channels + channel]; }
  float at(int row, int col, int channel) const {
    return values[(static_cast<std::size_t>(row) * width + col) * channels + channel];
  }
};

// An 8-bit image for display (1 grey or 3 RGB channels, interleaved, row-major).
struct Image8 {
  int height = 0;
  int width = 0;
  int channels = 1;
  std::vector<std::uint8_t> bytes;

  std::uint8_t& at(int row, int col, int channel) {
    return bytes[(static_cast<std::size_t>(row) * width + col) * channels + channel];
  }
  std::uint8_t at(int row, int col, int channel) const {
    return bytes[(static_cast<std::size_t>(row) * width + col) * channels + channel];
  }
};

}  // namespace lindiff
