#include "datasets/image_source.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstring>
#include <set>

#include "datasets/file_bytes.h"
#include "datasets/image_codecs.h"
#include "src/common/error.h"
#include "src/common/npy.h"

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
  RawImage image(std::int64_t i) const override { return array_.item(i); }
  std::string origin(std::int64_t i) const override {
    return path_.string() + "[" + std::to_string(i) + "]";
  }

 private:
  std::filesystem::path path_;
  IdxArray array_;
};

// Images of a NumPy array: [N, d] (rows of d values), [N, H, W] (grey) or [N, C, H, W] with C
// = 1 or 3 (PyTorch's layout), uint8, float32 or float64.
class NpySource : public ImageSource {
 public:
  explicit NpySource(const std::filesystem::path& path) : path_(path), array_(read_npy(path)) {
    const std::vector<std::int64_t>& s = array_.shape;
    const auto fail = [&](const std::string& what) {
      throw DataError("'" + path.string() + "' (shape " + shape_text() + "): " + what);
    };
    if (s.size() < 2 || s.size() > 4) fail("images need [N, d], [N, H, W] or [N, C, H, W]");
    if (s.size() == 4 && s[1] != 1 && s[1] != 3) fail("[N, C, H, W] needs C = 1 (grey) or 3 (RGB)");
    if (array_.type == NpyType::kInt64) fail("int64 pixels are not read; save uint8, float32 or float64");
    for (std::size_t k = 1; k < s.size(); ++k) {
      if (s[k] < 1 || s[k] > (1 << 20)) fail("each image dimension must lie in 1 .. 1048576");
    }
  }
  std::int64_t size() const override { return array_.shape[0]; }
  RawImage image(std::int64_t i) const override {
    const std::vector<std::int64_t>& s = array_.shape;
    RawImage image;
    image.channels = s.size() == 4 ? static_cast<int>(s[1]) : 1;
    image.height = s.size() == 2 ? 1 : static_cast<int>(s[s.size() - 2]);
    image.width = static_cast<int>(s.back());
    image.type = array_.type == NpyType::kUInt8 ? PixelType::kUint8
                 : array_.type == NpyType::kFloat32 ? PixelType::kFloat32 : PixelType::kFloat64;
    const std::size_t plane = static_cast<std::size_t>(image.height) * static_cast<std::size_t>(image.width);
    const std::size_t per_image = plane * static_cast<std::size_t>(image.channels);
    image.values.resize(per_image);
    for (std::size_t c = 0; c < static_cast<std::size_t>(image.channels); ++c) {  // planar to interleaved
      for (std::size_t p = 0; p < plane; ++p) image.values[p * image.channels + c] = value(i * per_image + c * plane + p);
    }
    return image;
  }
  std::string origin(std::int64_t i) const override { return path_.string() + "[" + std::to_string(i) + "]"; }

 private:
  double value(std::size_t k) const {
    const char* at = array_.bytes.data() + k * npy_element_size(array_.type);
    switch (array_.type) {
      case NpyType::kUInt8: return static_cast<unsigned char>(*at);
      case NpyType::kFloat32: {
        float v;
        std::memcpy(&v, at, sizeof v);
        return v;
      }
      default: {
        double v;
        std::memcpy(&v, at, sizeof v);
        return v;
      }
    }
  }
  std::string shape_text() const {
    std::string text;
    for (const std::int64_t n : array_.shape) text += (text.empty() ? "" : " x ") + std::to_string(n);
    return text;
  }

  std::filesystem::path path_;
  NpyArray array_;
};

constexpr int kCifarSide = 32;
constexpr std::size_t kCifarPlane = kCifarSide * kCifarSide;
constexpr std::size_t kCifarRecord = 1 + 3 * kCifarPlane;
constexpr std::size_t kCifarMaxRecords = 60000;

class CifarSource : public ImageSource {
 public:
  explicit CifarSource(const std::vector<std::filesystem::path>& batches) {
    for (const auto& path : batches) {
      // A batch holds 10000 records; anything far longer is not one (and is not read whole).
      std::vector<unsigned char> bytes = read_file_bytes(path, kCifarMaxRecords * kCifarRecord,
                                                         "of 60000 CIFAR-10 records (a batch holds 10000)");
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
  // A record holds the red, green and blue planes one after another.
  RawImage image(std::int64_t i) const override {
    const unsigned char* record = data_.data() + i * kCifarRecord + 1;
    RawImage rgb{kCifarSide, kCifarSide, 3, PixelType::kUint8, std::vector<double>(3 * kCifarPlane)};
    for (std::size_t p = 0; p < kCifarPlane; ++p) {
      for (std::size_t c = 0; c < 3; ++c) rgb.values[3 * p + c] = record[c * kCifarPlane + p];
    }
    return rgb;
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
    // Symbolic links to folders are followed, but each folder and each file is read once: a link
    // back up the tree (a loop) or a second link to one folder would otherwise multiply images.
    std::set<std::filesystem::path> folders{std::filesystem::canonical(folder, ec)};
    std::set<std::filesystem::path> seen;
    std::vector<std::string> skipped;
    for (auto it = std::filesystem::recursive_directory_iterator(
             folder, std::filesystem::directory_options::follow_directory_symlink, ec);
         !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
      std::error_code entry_ec;
      if (it->is_directory(entry_ec)) {
        if (!folders.insert(std::filesystem::canonical(it->path(), entry_ec)).second) {
          it.disable_recursion_pending();
          skipped.push_back(it->path().string());
        }
        continue;
      }
      if (it->is_regular_file(entry_ec) && is_image_file(it->path()) &&
          seen.insert(std::filesystem::canonical(it->path(), entry_ec)).second) {
        files_.push_back(it->path());
      }
    }
    if (ec) throw DataError("cannot list '" + folder.string() + "': " + ec.message());
    for (const std::string& link : skipped) {
      std::fprintf(stderr, "note: %s leads to a folder already read (a symbolic link loop or a second link); skipped\n",
                   link.c_str());
    }
    if (files_.empty()) {
      throw DataError("no image files (png, jpg, jpeg, bmp, tif, webp, ppm, pgm) found under '" +
                      folder.string() + "'");
    }
    std::sort(files_.begin(), files_.end());
  }
  std::int64_t size() const override { return static_cast<std::int64_t>(files_.size()); }
  RawImage image(std::int64_t i) const override { return decode_image_file(files_[i], false); }
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
    sheet_ = decode_image_file(sheet, true);
    if (sheet_.width != kSheetColumns * kDigitSide || sheet_.height != kSheetRows * kDigitSide) {
      throw DataError("digit sheet '" + sheet.string() + "' is " + std::to_string(sheet_.width) +
                      "x" + std::to_string(sheet_.height) +
                      " pixels; OpenCV's digits.png is 2000x1000 (100 x 50 digits of 20x20)");
    }
  }
  std::int64_t size() const override { return kSheetColumns * kSheetRows; }
  RawImage image(std::int64_t i) const override {
    const int top = static_cast<int>(i / kSheetColumns) * kDigitSide, left = static_cast<int>(i % kSheetColumns) * kDigitSide;
    RawImage digit{kDigitSide, kDigitSide, 1, sheet_.type, {}};
    for (int r = 0; r < kDigitSide; ++r) {
      const auto row = sheet_.values.begin() + static_cast<std::ptrdiff_t>(top + r) * sheet_.width + left;
      digit.values.insert(digit.values.end(), row, row + kDigitSide);
    }
    return digit;
  }
  std::string origin(std::int64_t i) const override {
    return path_.string() + "[digit " + std::to_string(i) + "]";
  }

 private:
  std::filesystem::path path_;
  RawImage sheet_;
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

std::unique_ptr<ImageSource> npy_source(const std::filesystem::path& path) { return std::make_unique<NpySource>(path); }

}  // namespace lindiff
