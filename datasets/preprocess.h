// Owns image preprocessing: scaling to the unit range, channel conversion, centre crop, area
// resize, the final pixel scale, and flattening to rows of a data matrix (channel planes, RGB).
#pragma once

#include <string>
#include <vector>

#include "datasets/dataset_spec.h"
#include "datasets/image.h"
#include "datasets/image_shape.h"
#include "src/common/matrix.h"

namespace lindiff {

// Turns raw images into equally shaped flattened rows; the first image fixes the shape.
class Preprocessor {
 public:
  // Takes channels, crop, resize and scale from `spec` (already validated).
  explicit Preprocessor(const DatasetSpec& spec);

  // Appends `image` as one row. Throws DataError naming `origin` when the image holds a
  // non-finite value, is smaller than the crop or, without resize, differs in size from the
  // first image.
  void add(const RawImage& image, const std::string& origin);

  // Shape of every row so far (valid after the first add()).
  const ImageShape& shape() const { return shape_; }
  // Number of rows added.
  Index rows() const { return shape_.size() == 0 ? 0 : static_cast<Index>(values_.size() / shape_.size()); }
  // Moves the rows out as an N x d matrix and resets the row buffer.
  DataMatrix take_rows();

 private:
  FloatImage convert_channels(FloatImage image) const;
  FloatImage crop_and_resize(FloatImage image, const std::string& origin) const;

  DatasetSpec spec_;
  int target_channels_ = 0;  // 0 until fixed by the first image ("native")
  ImageShape shape_{};
  std::vector<float> values_;
};

// `image` in float: its stored values, or with `unit_range` each mapped affinely from the
// nominal range of its element type to [0, 1] (8-bit: v / 255; floats are taken as in [0, 1]).
FloatImage to_float_image(const RawImage& image, bool unit_range);

// One flattened row (channel planes) as an 8-bit image, mapping [lo, hi] to 0..255 (clamped).
Image8 row_to_image(const float* row, const ImageShape& shape, double lo, double hi);

}  // namespace lindiff
