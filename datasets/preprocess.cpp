#include "datasets/preprocess.h"

#include <algorithm>
#include <cmath>

#include "datasets/image_codecs.h"
#include "src/common/error.h"

namespace lindiff {

namespace {

// Scale factor and offset that map a type's nominal range to [0, 1]; floats are taken to be
// in [0, 1] already.
void unit_range(PixelType type, double* alpha, double* beta) {
  switch (type) {
    case PixelType::kUint8:
      *alpha = 1.0 / 255.0, *beta = 0;
      return;
    case PixelType::kInt8:
      *alpha = 1.0 / 255.0, *beta = 128.0 / 255.0;
      return;
    case PixelType::kUint16:
      *alpha = 1.0 / 65535.0, *beta = 0;
      return;
    case PixelType::kInt16:
      *alpha = 1.0 / 65535.0, *beta = 32768.0 / 65535.0;
      return;
    case PixelType::kInt32: {
      const double span = 4294967295.0;
      *alpha = 1.0 / span, *beta = 2147483648.0 / span;
      return;
    }
    case PixelType::kFloat32:
    case PixelType::kFloat64:
      *alpha = 1.0, *beta = 0;
  }
}

// Types whose values float holds exactly are scaled in float arithmetic (as OpenCV's
// convertTo did before, which keeps the rows of earlier runs bit for bit); int32 and float64 in double.
bool scales_in_float(PixelType type) { return type != PixelType::kInt32 && type != PixelType::kFloat64; }

std::pair<int, int> height_width(const std::vector<int>& size) {
  return size.size() == 1 ? std::pair{size[0], size[0]} : std::pair{size[0], size[1]};
}

// The luma of OpenCV's RGB-to-grey conversion (ITU-R BT.601), in float.
float grey_of(float r, float g, float b) { return 0.299f * r + 0.587f * g + 0.114f * b; }

}  // namespace

FloatImage to_float_image(const RawImage& raw, bool unit) {
  double alpha = 1, beta = 0;
  if (unit) unit_range(raw.type, &alpha, &beta);
  FloatImage image{raw.height, raw.width, raw.channels, std::vector<float>(raw.values.size())};
  if (scales_in_float(raw.type)) {
    const float a = static_cast<float>(alpha), b = static_cast<float>(beta);
    std::transform(raw.values.begin(), raw.values.end(), image.values.begin(),
                   [&](double v) { return static_cast<float>(v) * a + b; });
  } else {
    std::transform(raw.values.begin(), raw.values.end(), image.values.begin(),
                   [&](double v) { return static_cast<float>(v * alpha + beta); });
  }
  return image;
}

Preprocessor::Preprocessor(const DatasetSpec& spec) : spec_(spec) {
  if (spec.channels == "gray") target_channels_ = 1;
  if (spec.channels == "color") target_channels_ = 3;
}

FloatImage Preprocessor::convert_channels(FloatImage image) const {
  const int kept = image.channels <= 2 ? 1 : 3;  // alpha is dropped
  if (image.channels == kept && kept == target_channels_) return image;
  FloatImage out{image.height, image.width, target_channels_, {}};
  out.values.resize(static_cast<std::size_t>(out.height) * out.width * out.channels);
  for (int r = 0; r < image.height; ++r) {
    for (int c = 0; c < image.width; ++c) {
      if (target_channels_ == 1) {
        out.at(r, c, 0) = kept == 1 ? image.at(r, c, 0) : grey_of(image.at(r, c, 0), image.at(r, c, 1), image.at(r, c, 2));
      } else {
        for (int k = 0; k < 3; ++k) out.at(r, c, k) = image.at(r, c, kept == 1 ? 0 : k);
      }
    }
  }
  return out;
}

FloatImage Preprocessor::crop_and_resize(FloatImage image, const std::string& origin) const {
  if (!spec_.crop.empty()) {
    auto [h, w] = height_width(spec_.crop);
    if (image.height < h || image.width < w) {
      throw DataError("image '" + origin + "' is " + std::to_string(image.height) + "x" + std::to_string(image.width) +
                      ", smaller than the crop " + std::to_string(h) + "x" + std::to_string(w));
    }
    const int top = (image.height - h) / 2, left = (image.width - w) / 2;
    FloatImage cropped{h, w, image.channels, {}};
    cropped.values.reserve(static_cast<std::size_t>(h) * w * image.channels);
    for (int r = 0; r < h; ++r) {
      const auto row = image.values.begin() + (static_cast<std::ptrdiff_t>(top + r) * image.width + left) * image.channels;
      cropped.values.insert(cropped.values.end(), row, row + static_cast<std::ptrdiff_t>(w) * image.channels);
    }
    image = std::move(cropped);
  }
  if (!spec_.resize.empty()) {
    auto [h, w] = height_width(spec_.resize);
    if (image.height != h || image.width != w) image = resize_area(image, h, w);
  }
  return image;
}

void Preprocessor::add(const RawImage& raw, const std::string& origin) {
  if (target_channels_ == 0) target_channels_ = raw.channels <= 2 ? 1 : 3;
  FloatImage image = convert_channels(to_float_image(raw, spec_.scale != "none"));
  const auto bad = std::find_if(image.values.begin(), image.values.end(), [](float v) { return !std::isfinite(v); });
  if (bad != image.values.end()) {
    const std::size_t pixel = static_cast<std::size_t>(bad - image.values.begin()) / image.channels;
    throw DataError("image '" + origin + "' holds a non-finite value (NaN or infinity) at row " +
                    std::to_string(pixel / image.width) + ", column " + std::to_string(pixel % image.width) +
                    "; every pixel must be a finite number");
  }
  image = crop_and_resize(std::move(image), origin);

  if (shape_.size() == 0) {
    shape_ = ImageShape{image.channels, image.height, image.width};
  } else if (image.height != shape_.height || image.width != shape_.width) {
    throw DataError("image '" + origin + "' is " + std::to_string(image.height) + "x" + std::to_string(image.width) +
                    " after preprocessing but earlier images are " + std::to_string(shape_.height) + "x" +
                    std::to_string(shape_.width) + "; set resize: [H, W] (and crop) to bring all images to one size");
  }
  if (spec_.scale == "minus_one_one") {
    for (float& v : image.values) v = v * 2.0f - 1.0f;
  }
  for (int k = 0; k < image.channels; ++k) {
    for (std::size_t p = k; p < image.values.size(); p += image.channels) values_.push_back(image.values[p]);
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

Image8 row_to_image(const float* row, const ImageShape& shape, double lo, double hi) {
  const std::size_t plane = static_cast<std::size_t>(shape.height) * shape.width;
  const float scale = static_cast<float>(255.0 / (hi - lo)), shift = static_cast<float>(-lo * 255.0 / (hi - lo));
  Image8 image{shape.height, shape.width, shape.channels, std::vector<std::uint8_t>(plane * shape.channels)};
  for (int c = 0; c < shape.channels; ++c) {
    for (std::size_t p = 0; p < plane; ++p) {
      const float v = std::nearbyint(row[c * plane + p] * scale + shift);
      image.bytes[p * shape.channels + c] = v >= 255.0f ? 255 : v > 0.0f ? static_cast<std::uint8_t>(v) : 0;  // NaN: 0
    }
  }
  return image;
}

}  // namespace lindiff
