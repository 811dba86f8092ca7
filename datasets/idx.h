// Owns the IDX file format of MNIST and Fashion-MNIST: any element type, plain or .gz.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "datasets/image.h"

namespace lindiff {

// IDX element types as coded in the third magic byte.
enum class IdxType : std::uint8_t {
  kUint8 = 0x08,
  kInt8 = 0x09,
  kInt16 = 0x0B,
  kInt32 = 0x0C,
  kFloat32 = 0x0D,
  kFloat64 = 0x0E,
};

// An n-dimensional IDX array with its elements converted to host byte order.
struct IdxArray {
  IdxType type = IdxType::kUint8;
  std::vector<std::int64_t> dims;
  std::vector<unsigned char> data;  // host byte order, row-major

  // Size in bytes of one element.
  int element_size() const;
  // Number of items along the first dimension (images, labels).
  std::int64_t count() const { return dims.empty() ? 0 : dims[0]; }
  // Item i as an image: dims [N, H, W] give H x W x 1, [N, H, W, C] give H x W x C,
  // [N, D] give 1 x D; its pixel type is the element type. O(item size).
  RawImage item(std::int64_t i) const;
  // Item i of a 1-D array as an integer (labels).
  std::int64_t label(std::int64_t i) const;
};

// Parses IDX bytes; `origin` names the file in error messages. Throws DataError for a bad
// magic number, an unknown element type, a zero-dimensional array or a size that does
// not match the header (truncated or trailing bytes).
IdxArray parse_idx(const std::vector<unsigned char>& bytes, const std::string& origin);

// Reads and parses an IDX file, plain or gzip-compressed.
IdxArray read_idx(const std::filesystem::path& path);

// Writes an IDX file (plain; gzip-compressed when `gzip` is set). Used by tests and tools.
void write_idx(const std::filesystem::path& path, const IdxArray& array, bool gzip);

}  // namespace lindiff
