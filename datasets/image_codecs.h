// Owns every use of OpenCV: decoding image files, area resizing and writing PNG. A build
// without OpenCV (LINDIFF_WITH_OPENCV off, as the lean GPU build) has the same functions:
// each then throws a ConfigError saying what needs OpenCV, and image_codecs_available() is false.
#pragma once

#include <filesystem>
#include <string>

#include "datasets/image.h"

namespace lindiff {

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
