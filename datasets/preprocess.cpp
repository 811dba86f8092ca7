#include "datasets/preprocess.h"

#include <limits>

#include <opencv2/imgproc.hpp>

#include "src/common/error.h"

namespace lindiff {

namespace {

// Scale factor and offset that map a depth's nominal range to [0, 1]; floats are taken
// to be in [0, 1] already.
void unit_range(int depth, double* alpha, double* beta) {
  switch (depth) {
    case CV_8U:
      *alpha = 1.0 / 255.0, *beta = 0;
      return;
    case CV_8S:
      *alpha = 1.0 / 255.0, *beta = 128.0 / 255.0;
      return;
    case CV_16U:
      *alpha = 1.0 / 65535.0, *beta = 0;
      return;
    case CV_16S:
      *alpha = 1.0 / 65535.0, *beta = 32768.0 / 65535.0;
      return;
    case CV_32S: {
      const double span = 4294967295.0;
      *alpha = 1.0 / span, *beta = 2147483648.0 / span;
      return;
    }
    default:
      *alpha = 1.0, *beta = 0;
  }
}

std::pair<int, int> height_width(const std::vector<int>& size) {
  return size.size() == 1 ? std::pair{size[0], size[0]} : std::pair{size[0], size[1]};
}

}  // namespace

Preprocessor::Preprocessor(const DatasetSpec& spec) : spec_(spec) {
  if (spec.channels == "gray") target_channels_ = 1;
  if (spec.channels == "color") target_channels_ = 3;
}

cv::Mat Preprocessor::convert_channels(const cv::Mat& image) const {
  cv::Mat source = image;
  if (image.channels() == 2) cv::extractChannel(image, source, 0);  // grey + alpha
  if (image.channels() == 4) cv::cvtColor(image, source, cv::COLOR_BGRA2BGR);
  if (source.channels() == target_channels_) return source;
  cv::Mat out;
  cv::cvtColor(source, out, target_channels_ == 1 ? cv::COLOR_BGR2GRAY : cv::COLOR_GRAY2BGR);
  return out;
}

cv::Mat Preprocessor::crop_and_resize(const cv::Mat& image, const std::string& origin) const {
  cv::Mat out = image;
  if (!spec_.crop.empty()) {
    auto [h, w] = height_width(spec_.crop);
    if (image.rows < h || image.cols < w) {
      throw DataError("image '" + origin + "' is " + std::to_string(image.rows) + "x" +
                      std::to_string(image.cols) + ", smaller than the crop " + std::to_string(h) +
                      "x" + std::to_string(w));
    }
    out = image(cv::Rect((image.cols - w) / 2, (image.rows - h) / 2, w, h));
  }
  if (!spec_.resize.empty()) {
    auto [h, w] = height_width(spec_.resize);
    if (out.rows != h || out.cols != w) {
      cv::Mat resized;
      cv::resize(out, resized, cv::Size(w, h), 0, 0, cv::INTER_AREA);
      out = resized;
    }
  }
  return out;
}

void Preprocessor::add(const cv::Mat& raw, const std::string& origin) {
  if (target_channels_ == 0) target_channels_ = (raw.channels() == 1 || raw.channels() == 2) ? 1 : 3;
  double alpha = 1, beta = 0;
  if (spec_.scale != "none") unit_range(raw.depth(), &alpha, &beta);
  cv::Mat unit;
  convert_channels(raw).convertTo(unit, CV_32F, alpha, beta);
  cv::Point bad;
  if (!cv::checkRange(unit, true, &bad)) {
    throw DataError("image '" + origin + "' holds a non-finite value (NaN or infinity) at row " + std::to_string(bad.y) +
                    ", column " + std::to_string(bad.x) + "; every pixel must be a finite number");
  }
  cv::Mat image = crop_and_resize(unit, origin);

  if (shape_.size() == 0) {
    shape_ = ImageShape{image.channels(), image.rows, image.cols};
  } else if (image.rows != shape_.height || image.cols != shape_.width) {
    throw DataError("image '" + origin + "' is " + std::to_string(image.rows) + "x" +
                    std::to_string(image.cols) + " after preprocessing but earlier images are " +
                    std::to_string(shape_.height) + "x" + std::to_string(shape_.width) +
                    "; set resize: [H, W] (and crop) to bring all images to one size");
  }
  if (spec_.scale == "minus_one_one") image = image * 2.0 - 1.0;

  std::vector<cv::Mat> planes;
  cv::split(image, planes);
  if (planes.size() == 3) std::swap(planes[0], planes[2]);  // OpenCV's BGR to RGB
  for (const cv::Mat& plane : planes) {
    cv::Mat contiguous = plane.isContinuous() ? plane : plane.clone();
    const float* p = contiguous.ptr<float>();
    values_.insert(values_.end(), p, p + contiguous.total());
  }
}

DataMatrix Preprocessor::take_rows() {
  const Index d = shape_.size();
  const Index n = rows();
  DataMatrix rows = d == 0 ? DataMatrix(0, 0) : Eigen::Map<DataMatrix>(values_.data(), n, d);
  values_.clear();
  values_.shrink_to_fit();
  return rows;
}

cv::Mat row_to_image(const float* row, const ImageShape& shape, double lo, double hi) {
  const int plane = shape.height * shape.width;
  std::vector<cv::Mat> planes;
  for (int c = 0; c < shape.channels; ++c) {
    cv::Mat channel(shape.height, shape.width, CV_32F, const_cast<float*>(row + c * plane));
    cv::Mat bytes;
    channel.convertTo(bytes, CV_8U, 255.0 / (hi - lo), -lo * 255.0 / (hi - lo));
    planes.push_back(bytes);
  }
  if (planes.size() == 3) std::swap(planes[0], planes[2]);  // RGB back to OpenCV's BGR
  cv::Mat image;
  cv::merge(planes, image);
  return image;
}

}  // namespace lindiff
