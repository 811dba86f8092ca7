#include "datasets/image_codecs.h"

#include <utility>

#include "src/common/error.h"

#if LINDIFF_WITH_OPENCV
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#endif

namespace lindiff {

#if LINDIFF_WITH_OPENCV

namespace {

PixelType pixel_type_of(int depth) {
  switch (depth) {
    case CV_8U:
      return PixelType::kUint8;
    case CV_8S:
      return PixelType::kInt8;
    case CV_16U:
      return PixelType::kUint16;
    case CV_16S:
      return PixelType::kInt16;
    case CV_32S:
      return PixelType::kInt32;
    case CV_32F:
      return PixelType::kFloat32;
    default:
      return PixelType::kFloat64;
  }
}

// OpenCV's decoders give BGR(A); the rest of lindiff keeps RGB(A).
RawImage raw_from_mat(const cv::Mat& mat) {
  RawImage raw{mat.rows, mat.cols, mat.channels(), pixel_type_of(mat.depth()), {}};
  cv::Mat values;
  mat.convertTo(values, CV_64F);  // exact for every OpenCV depth
  const cv::Mat contiguous = values.isContinuous() ? values : values.clone();
  const double* p = contiguous.ptr<double>();
  raw.values.assign(p, p + contiguous.total() * contiguous.channels());
  if (raw.channels >= 3) {
    for (std::size_t pixel = 0; pixel < raw.values.size(); pixel += raw.channels) std::swap(raw.values[pixel], raw.values[pixel + 2]);
  }
  return raw;
}

}  // namespace

bool image_codecs_available() { return true; }

RawImage decode_image_file(const std::filesystem::path& path, bool grey) {
  const cv::Mat image = cv::imread(path.string(), grey ? cv::IMREAD_GRAYSCALE : cv::IMREAD_ANYCOLOR);
  if (image.empty()) throw DataError("cannot decode image '" + path.string() + "' (corrupt or unsupported)");
  return raw_from_mat(image);
}

FloatImage resize_area(const FloatImage& image, int height, int width) {
  const cv::Mat in(image.height, image.width, CV_32FC(image.channels), const_cast<float*>(image.values.data()));
  cv::Mat out;
  cv::resize(in, out, cv::Size(width, height), 0, 0, cv::INTER_AREA);
  const float* p = out.ptr<float>();
  return FloatImage{height, width, image.channels, std::vector<float>(p, p + out.total() * out.channels())};
}

void write_png(const Image8& image, const std::filesystem::path& path) {
  cv::Mat mat(image.height, image.width, CV_8UC(image.channels), const_cast<std::uint8_t*>(image.bytes.data()));
  cv::Mat bgr;
  if (image.channels == 3) cv::cvtColor(mat, bgr, cv::COLOR_RGB2BGR);
  if (image.bytes.empty() || !cv::imwrite(path.string(), image.channels == 3 ? bgr : mat)) {
    throw Error(ExitCode::kFailure, "cannot write image '" + path.string() + "'");
  }
}

#else

namespace {

[[noreturn]] void needs_opencv(const std::string& what) {
  throw ConfigError(what + " needs OpenCV, which this build of lindiff lacks (configured with "
                    "LINDIFF_WITH_OPENCV=OFF, as the lean GPU build is): use IDX, CIFAR-10 or synthetic data "
                    "without resize, or build with OpenCV (scripts/setup.sh)");
}

}  // namespace

bool image_codecs_available() { return false; }

RawImage decode_image_file(const std::filesystem::path& path, bool) { needs_opencv("decoding '" + path.string() + "'"); }

FloatImage resize_area(const FloatImage&, int, int) { needs_opencv("resizing images (resize:)"); }

void write_png(const Image8&, const std::filesystem::path& path) { needs_opencv("writing '" + path.string() + "'"); }

#endif

}  // namespace lindiff
