// Owns every use of OpenCV: decoding image files, area resizing and writing PNG. A build
// without OpenCV (LINDIFF_WITH_OPENCV off, as the lean GPU build) has the same functions:
// each then throws a ConfigError saying what needs OpenCV, and image_codecs_available() is false.
#pragma once

#include <cstdint>
#include <filesystem>
#include <vector>
#include <string>

#include "datasets/image.h"

namespace lindiff {

// The largest image lindiff decodes (8192 x 8192 pixels) and the largest image file it reads.
inline constexpr std::uint64_t kMaxImagePixels = std::uint64_t{1} << 26;
inline constexpr std::uint64_t kMaxImageFileBytes = std::uint64_t{1} << 28;

// Refuses by name (DataError) what OpenCV's decoders would accept or fail on obscurely: a PNG
// or JPEG cut short (no IEND chunk, no EOI marker: libjpeg fills the rest with grey and only
// warns) and a header claiming more than kMaxImagePixels pixels. Other formats pass. O(size).
void check_image_bytes(const std::vector<unsigned char>& bytes, const std::filesystem::path& path);

// Whether this build decodes and writes image files (it has OpenCV).
bool image_codecs_available();

// Decodes an image file (PNG, JPEG, BMP, TIFF, WebP, PNM) as stored, or converted to one grey
// channel when `grey` is set. Throws DataError naming the file when it cannot be decoded.
RawImage decode_image_file(const std::filesystem::path& path, bool grey);

// `image` resized to height x width by area interpolation (OpenCV's INTER_AREA: each output
// pixel the area-weighted mean of the input pixels it covers). O(input + output pixels).
FloatImage resize_area(const FloatImage& image, int height, int width);

// Writes an 8-bit image as PNG; throws Error naming the path when it cannot.
void write_png(const Image8& image, const std::filesystem::path& path);

}  // namespace lindiff
