// Owns the shape of one image, kept next to flattened data for display and U-Nets.
#pragma once

#include <cstdint>
#include <string>

namespace lindiff {

// Channels x height x width; a flattened image stores channel planes one after another (CHW).
struct ImageShape {
  int channels = 1;
  int height = 0;
  int width = 0;

  // Number of values d = C H W of one flattened image.
  std::int64_t size() const {
    return static_cast<std::int64_t>(channels) * height * width;
  }
  // "HxW" or "HxWx3".
  std::string to_string() const {
    return std::to_string(height) + "x" + std::to_string(width) +
           (channels == 1 ? "" : "x" + std::to_string(channels));
  }
  bool operator==(const ImageShape& other) const {
    return channels == other.channels && height == other.height && width == other.width;
  }
};

}  // namespace lindiff
