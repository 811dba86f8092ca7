#include "datasets/image_source.h"

#include <algorithm>
#include <cctype>
#include <set>

#include <opencv2/imgcodecs.hpp>

#include "datasets/file_bytes.h"
#include "src/common/error.h"

namespace lindiff {

namespace {

class IdxSource : public ImageSource {
 public:
  explicit IdxSource(const std::filesystem::path& path) : path_(path), array_(read_idx(path)) {
    if (array_.dims.size() < 2 || array_.dims.size() > 4) {
      throw DataError("'" + path.string() + "' is a " + std::to_string(array_.dims.size()) +
                      "-dimensional IDX array; images need 2 to 4 dimensions ([N, D], [N, H, W] or "
                      "[N, H, W, C])");
    }
    const std::int64_t channels = array_.dims.size() == 4 ? array_.dims[3] : 1;
    if (channels != 1 && channels != 3) {
      throw DataError("'" + path.string() + "' holds images with " + std::to_string(channels) +
                      " channels (its last dimension); IDX images must have 1 (grey) or 3 (RGB) channels");
    }
  }
  std::int64_t size() const override { return array_.count(); }
  // IDX colour is stored RGB; the preprocessor, like OpenCV's decoders, expects BGR.
  cv::Mat image(std::int64_t i) const override {
    cv::Mat item = array_.item(i);
    if (item.channels() != 3) return item;
    std::vector<cv::Mat> planes;  // split/merge: cvtColor lacks IDX's integer and float64 depths
    cv::split(item, planes);
    std::swap(planes[0], planes[2]);
    cv::merge(planes, item);
    return item;
  }
  std::string origin(std::int64_t i) const override {
    return path_.string() + "[" + std::to_string(i) + "]";
  }

 private:
  std::filesystem::path path_;
  IdxArray array_;
};

constexpr std::size_t kCifarSide = 32;
constexpr std::size_t kCifarPlane = kCifarSide * kCifarSide;
constexpr std::size_t kCifarRecord = 1 + 3 * kCifarPlane;

class CifarSource : public ImageSource {
 public:
  explicit CifarSource(const std::vector<std::filesystem::path>& batches) {
    for (const auto& path : batches) {
      std::vector<unsigned char> bytes = read_file_bytes(path);
      if (bytes.empty() || bytes.size() % kCifarRecord != 0) {
        throw DataError("'" + path.string() + "' is " + std::to_string(bytes.size()) +
                        " bytes, not a whole number of 3073-byte CIFAR-10 records (truncated?)");
      }
      for (std::size_t r = 0; r < bytes.size(); r += kCifarRecord) {
        if (bytes[r] > 9) {
          throw DataError("'" + path.string() + "' record " + std::to_string(r / kCifarRecord) +
                          " has label " + std::to_string(bytes[r]) +
                          " (CIFAR-10 labels are 0-9): not a CIFAR-10 binary batch?");
        }
      }
      for (std::size_t r = 0; r < bytes.size() / kCifarRecord; ++r) origins_.push_back({path, r});
      data_.insert(data_.end(), bytes.begin(), bytes.end());
    }
  }
  std::int64_t size() const override { return static_cast<std::int64_t>(origins_.size()); }
  cv::Mat image(std::int64_t i) const override {
    const unsigned char* record = data_.data() + i * kCifarRecord + 1;
    cv::Mat bgr(kCifarSide, kCifarSide, CV_8UC3);
    for (std::size_t p = 0; p < kCifarPlane; ++p) {
      auto* pixel = bgr.data + 3 * p;
      pixel[0] = record[2 * kCifarPlane + p];
      pixel[1] = record[kCifarPlane + p];
      pixel[2] = record[p];
    }
    return bgr;
  }
  std::string origin(std::int64_t i) const override {
    return origins_[i].first.string() + "[" + std::to_string(origins_[i].second) + "]";
  }

 private:
  std::vector<unsigned char> data_;
  std::vector<std::pair<std::filesystem::path, std::size_t>> origins_;
};

bool is_image_file(const std::filesystem::path& path) {
  static const std::set<std::string> kExtensions = {".png", ".jpg", ".jpeg", ".bmp", ".tif",
                                                    ".tiff", ".webp", ".ppm", ".pgm", ".pnm"};
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  return kExtensions.count(ext) > 0;
}

class FolderSource : public ImageSource {
 public:
  explicit FolderSource(const std::filesystem::path& folder) {
    std::error_code ec;
    if (!std::filesystem::is_directory(folder, ec)) {
      throw DataError("image folder '" + folder.string() + "' does not exist or is not a folder");
    }
    for (auto it = std::filesystem::recursive_directory_iterator(
             folder, std::filesystem::directory_options::follow_directory_symlink, ec);
         !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
      if (it->is_regular_file(ec) && is_image_file(it->path())) files_.push_back(it->path());
    }
    if (ec) throw DataError("cannot list '" + folder.string() + "': " + ec.message());
    if (files_.empty()) {
      throw DataError("no image files (png, jpg, jpeg, bmp, tif, webp, ppm, pgm) found under '" +
                      folder.string() + "'");
    }
    std::sort(files_.begin(), files_.end());
  }
  std::int64_t size() const override { return static_cast<std::int64_t>(files_.size()); }
  cv::Mat image(std::int64_t i) const override {
    cv::Mat image = cv::imread(files_[i].string(), cv::IMREAD_ANYCOLOR);
    if (image.empty()) {
      throw DataError("cannot decode image '" + files_[i].string() + "' (corrupt or unsupported)");
    }
    return image;
  }
  std::string origin(std::int64_t i) const override { return files_[i].string(); }

 private:
  std::vector<std::filesystem::path> files_;
};

constexpr int kDigitSide = 20;
constexpr int kSheetColumns = 100;
constexpr int kSheetRows = 50;

class DigitSheetSource : public ImageSource {
 public:
  explicit DigitSheetSource(const std::filesystem::path& sheet) : path_(sheet) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(sheet, ec)) {
      throw DataError("digit sheet '" + sheet.string() + "' does not exist");
    }
    sheet_ = cv::imread(sheet.string(), cv::IMREAD_GRAYSCALE);
    if (sheet_.empty()) throw DataError("cannot decode digit sheet '" + sheet.string() + "'");
    if (sheet_.cols != kSheetColumns * kDigitSide || sheet_.rows != kSheetRows * kDigitSide) {
      throw DataError("digit sheet '" + sheet.string() + "' is " + std::to_string(sheet_.cols) +
                      "x" + std::to_string(sheet_.rows) +
                      " pixels; OpenCV's digits.png is 2000x1000 (100 x 50 digits of 20x20)");
    }
  }
  std::int64_t size() const override { return kSheetColumns * kSheetRows; }
  cv::Mat image(std::int64_t i) const override {
    const int row = static_cast<int>(i / kSheetColumns), col = static_cast<int>(i % kSheetColumns);
    return sheet_(cv::Rect(col * kDigitSide, row * kDigitSide, kDigitSide, kDigitSide)).clone();
  }
  std::string origin(std::int64_t i) const override {
    return path_.string() + "[digit " + std::to_string(i) + "]";
  }

 private:
  std::filesystem::path path_;
  cv::Mat sheet_;
};

}  // namespace

std::unique_ptr<ImageSource> idx_source(const std::filesystem::path& path) {
  return std::make_unique<IdxSource>(path);
}

std::unique_ptr<ImageSource> cifar10_source(const std::vector<std::filesystem::path>& batches) {
  return std::make_unique<CifarSource>(batches);
}

std::unique_ptr<ImageSource> folder_source(const std::filesystem::path& folder) {
  return std::make_unique<FolderSource>(folder);
}

std::unique_ptr<ImageSource> digit_sheet_source(const std::filesystem::path& sheet) {
  return std::make_unique<DigitSheetSource>(sheet);
}

}  // namespace lindiff
