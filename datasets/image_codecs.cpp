#include "datasets/image_codecs.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "datasets/file_bytes.h"
#include "src/common/atomic_file.h"
#include "src/common/error.h"

#if LINDIFF_WITH_OPENCV
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#endif

namespace lindiff {

namespace {

std::uint32_t big_endian(const std::vector<unsigned char>& bytes, std::size_t at, int width) {
  std::uint32_t value = 0;
  for (int k = 0; k < width; ++k) value = (value << 8) | bytes[at + k];
  return value;
}

void check_pixels(std::uint64_t width, std::uint64_t height, const std::filesystem::path& path) {
  if (width * height > kMaxImagePixels) {
    throw DataError("image '" + path.string() + "': its header claims " + std::to_string(width) + " x " +
                    std::to_string(height) + " pixels, more than the " + std::to_string(kMaxImagePixels) +
                    " lindiff decodes (corrupt or hostile header; resize such images before use)");
  }
}

bool ends_with_marker(const std::vector<unsigned char>& bytes, const std::string& marker, std::size_t window) {
  const std::size_t from = bytes.size() > window ? bytes.size() - window : 0;
  const auto same = [](unsigned char byte, char wanted) { return byte == static_cast<unsigned char>(wanted); };
  return std::search(bytes.begin() + static_cast<std::ptrdiff_t>(from), bytes.end(), marker.begin(), marker.end(), same) !=
         bytes.end();
}

// The JPEG frame size from its first SOFn segment (markers C0-CF other than C4, C8, CC).
void check_jpeg_size(const std::vector<unsigned char>& bytes, const std::filesystem::path& path) {
  std::size_t i = 2;
  while (i + 9 <= bytes.size() && bytes[i] == 0xFF) {
    const unsigned marker = bytes[i + 1];
    if (marker == 0xFF) {  // fill byte
      ++i;
      continue;
    }
    if (marker == 0xDA || marker == 0xD9) return;  // image data: no frame header before it
    const std::size_t length = big_endian(bytes, i + 2, 2);
    if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) {
      check_pixels(big_endian(bytes, i + 7, 2), big_endian(bytes, i + 5, 2), path);
      return;
    }
    i += 2 + length;
  }
}

}  // namespace

void check_image_bytes(const std::vector<unsigned char>& bytes, const std::filesystem::path& path) {
  static const std::string kPngSignature("\x89PNG\r\n\x1a\n", 8);
  const std::string head(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(std::min<std::size_t>(bytes.size(), 8)));
  if (head == kPngSignature) {
    if (bytes.size() < 24) throw DataError("image '" + path.string() + "' is truncated inside its PNG header");
    check_pixels(big_endian(bytes, 16, 4), big_endian(bytes, 20, 4), path);
    if (!ends_with_marker(bytes, "IEND", 12)) {
      throw DataError("image '" + path.string() + "' is truncated: a PNG ends with an IEND chunk and this one has none");
    }
  } else if (bytes.size() >= 3 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF) {
    check_jpeg_size(bytes, path);
    // libjpeg fills what is missing with grey and only prints a warning.
    if (!ends_with_marker(bytes, "\xFF\xD9", 4096)) {
      throw DataError("image '" + path.string() + "' is truncated: a JPEG ends with an EOI marker (FF D9) and this one "
                      "has none (cut in its image data?)");
    }
  }
}

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
  const std::vector<unsigned char> bytes = read_file_bytes(path, kMaxImageFileBytes, "lindiff reads of one image file");
  check_image_bytes(bytes, path);
  cv::Mat image;
  try {
    const cv::Mat encoded(1, static_cast<int>(bytes.size()), CV_8U, const_cast<unsigned char*>(bytes.data()));
    image = cv::imdecode(encoded, grey ? cv::IMREAD_GRAYSCALE : cv::IMREAD_ANYCOLOR);
  } catch (const cv::Exception& e) {
    throw DataError("cannot decode image '" + path.string() + "': " + e.err);
  }
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
  std::vector<unsigned char> encoded;
  if (image.bytes.empty() || !cv::imencode(".png", image.channels == 3 ? bgr : mat, encoded)) {
    throw Error(ExitCode::kFailure, "cannot encode image '" + path.string() + "' as PNG");
  }
  // Through the atomic writer: a full disk is exit 6 naming the file, a half-written PNG never stays.
  write_file_atomically(path, std::string_view(reinterpret_cast<const char*>(encoded.data()), encoded.size()));
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
