// Owns image preprocessing: channel conversion, centre crop, area resize, scaling,
// and flattening to rows of a data matrix (channel planes in RGB order).
#pragma once

#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "datasets/dataset_spec.h"
#include "datasets/image_shape.h"
#include "src/common/matrix.h"

namespace lindiff {

// Turns raw images into equally shaped flattened rows; the first image fixes the shape.
class Preprocessor {
 public:
  // Takes channels, crop, resize and scale from `spec` (already validated).
  explicit Preprocessor(const DatasetSpec& spec);

  // Appends `image` as one row. Throws DataError naming `origin` when the image is smaller
  // than the crop or, without resize, differs in size from the first image.
  void add(const cv::Mat& image, const std::string& origin);

  // Shape of every row so far (valid after the first add()).
  const ImageShape& shape() const { return shape_; }
  // Number of rows added.
  Index rows() const { return shape_.size() == 0 ? 0 : static_cast<Index>(values_.size() / shape_.size()); }
  // Moves the rows out as an N x d matrix and resets the row buffer.
  DataMatrix take_rows();

 private:
  cv::Mat convert_channels(const cv::Mat& image) const;
  cv::Mat crop_and_resize(const cv::Mat& image, const std::string& origin) const;

  DatasetSpec spec_;
  int target_channels_ = 0;  // 0 until fixed by the first image ("native")
  ImageShape shape_{};
  std::vector<float> values_;
};

// Converts one flattened row back to an 8-bit BGR (or grey) image, mapping [lo, hi] to [0, 255].
cv::Mat row_to_image(const float* row, const ImageShape& shape, double lo, double hi);

}  // namespace lindiff
