#include "datasets/idx.h"

#include <zlib.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <limits>

#include "datasets/file_bytes.h"
#include "src/common/error.h"

namespace lindiff {

namespace {

constexpr std::size_t kHeaderBytes = 4;

bool known_type(std::uint8_t code) {
  switch (static_cast<IdxType>(code)) {
    case IdxType::kUint8:
    case IdxType::kInt8:
    case IdxType::kInt16:
    case IdxType::kInt32:
    case IdxType::kFloat32:
    case IdxType::kFloat64:
      return true;
  }
  return false;
}

int element_size_of(IdxType type) {
  switch (type) {
    case IdxType::kUint8:
    case IdxType::kInt8:
      return 1;
    case IdxType::kInt16:
      return 2;
    case IdxType::kInt32:
    case IdxType::kFloat32:
      return 4;
    case IdxType::kFloat64:
      return 8;
  }
  return 1;
}

PixelType pixel_type_of(IdxType type) {
  switch (type) {
    case IdxType::kUint8:
      return PixelType::kUint8;
    case IdxType::kInt8:
      return PixelType::kInt8;
    case IdxType::kInt16:
      return PixelType::kInt16;
    case IdxType::kInt32:
      return PixelType::kInt32;
    case IdxType::kFloat32:
      return PixelType::kFloat32;
    case IdxType::kFloat64:
      return PixelType::kFloat64;
  }
  return PixelType::kUint8;
}

// Element `index` of host-order data of `type`, as a double (exact for every IDX type).
double element_value(const unsigned char* data, IdxType type, std::size_t index) {
  const auto read = [&](auto value) {
    std::memcpy(&value, data + index * sizeof value, sizeof value);
    return static_cast<double>(value);
  };
  switch (type) {
    case IdxType::kUint8:
      return read(std::uint8_t{});
    case IdxType::kInt8:
      return read(std::int8_t{});
    case IdxType::kInt16:
      return read(std::int16_t{});
    case IdxType::kInt32:
      return read(std::int32_t{});
    case IdxType::kFloat32:
      return read(float{});
    case IdxType::kFloat64:
      return read(double{});
  }
  return 0;
}

// IDX stores big-endian; swap each element in place on little-endian hosts.
void to_host_order(std::vector<unsigned char>& data, int element_size) {
  if (element_size == 1) return;
  const std::uint16_t probe = 1;
  if (*reinterpret_cast<const unsigned char*>(&probe) == 0) return;  // big-endian host
  for (std::size_t i = 0; i + element_size <= data.size(); i += element_size) {
    std::reverse(data.begin() + i, data.begin() + i + element_size);
  }
}

std::uint32_t read_big_endian_u32(const unsigned char* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) |
         std::uint32_t{p[3]};
}

// "[d1, d2, ...]" for messages.
std::string header_shape(const IdxArray& array) {
  std::string text = "[";
  for (std::size_t k = 0; k < array.dims.size(); ++k) text += (k ? ", " : "") + std::to_string(array.dims[k]);
  return text + "]";
}

// The whole file's length in bytes as `header` (the magic and the dimensions) announces it;
// false when the header is incomplete, malformed or announces more than 2^64 bytes.
bool announced_bytes(const std::vector<unsigned char>& header, std::uint64_t* total) {
  if (header.size() < kHeaderBytes || header[0] != 0 || header[1] != 0 || !known_type(header[2]) || header[3] == 0) {
    return false;
  }
  const std::size_t ndims = header[3];
  if (header.size() < kHeaderBytes + 4 * ndims) return false;
  std::uint64_t bytes = static_cast<std::uint64_t>(element_size_of(static_cast<IdxType>(header[2])));
  for (std::size_t k = 0; k < ndims; ++k) {
    const std::uint32_t dim = read_big_endian_u32(header.data() + kHeaderBytes + 4 * k);
    if (dim == 0 || __builtin_mul_overflow(bytes, std::uint64_t{dim}, &bytes)) return false;
  }
  return !__builtin_add_overflow(bytes, std::uint64_t{kHeaderBytes + 4 * ndims}, total);
}

}  // namespace

int IdxArray::element_size() const { return element_size_of(type); }

RawImage IdxArray::item(std::int64_t i) const {
  if (dims.size() < 2 || dims.size() > 4 || i < 0 || i >= count()) {
    throw DataError("IDX item " + std::to_string(i) + " is not an image of this array");
  }
  RawImage image;
  image.height = dims.size() == 2 ? 1 : static_cast<int>(dims[1]);
  image.width = static_cast<int>(dims.size() == 2 ? dims[1] : dims[2]);
  image.channels = dims.size() == 4 ? static_cast<int>(dims[3]) : 1;
  image.type = pixel_type_of(type);
  // Checked sizes: the header's dimensions are each below 2^31, their product is not.
  std::uint64_t item_elements = 0, end_bytes = 0;
  if (__builtin_mul_overflow(static_cast<std::uint64_t>(image.height) * static_cast<std::uint64_t>(image.width),
                             static_cast<std::uint64_t>(image.channels), &item_elements) ||
      __builtin_mul_overflow(static_cast<std::uint64_t>(i + 1) * item_elements, static_cast<std::uint64_t>(element_size()),
                             &end_bytes) ||
      end_bytes > data.size()) {
    throw DataError("IDX item " + std::to_string(i) + " does not fit its array");
  }
  image.values.resize(item_elements);
  const std::size_t first = static_cast<std::size_t>(i) * item_elements;
  for (std::size_t k = 0; k < item_elements; ++k) image.values[k] = element_value(data.data(), type, first + k);
  return image;
}

std::int64_t IdxArray::label(std::int64_t i) const {
  if (dims.size() != 1 || i < 0 || i >= count()) {
    throw DataError("IDX element " + std::to_string(i) + " is not a label of this array");
  }
  const unsigned char* p = data.data() + i * element_size();
  switch (type) {
    case IdxType::kUint8:
      return *p;
    case IdxType::kInt8:
      return *reinterpret_cast<const std::int8_t*>(p);
    case IdxType::kInt16: {
      std::int16_t v;
      std::memcpy(&v, p, sizeof v);
      return v;
    }
    case IdxType::kInt32: {
      std::int32_t v;
      std::memcpy(&v, p, sizeof v);
      return v;
    }
    default:
      throw DataError("IDX labels must have an integer element type");
  }
}

IdxArray parse_idx(const std::vector<unsigned char>& bytes, const std::string& origin) {
  if (bytes.size() < kHeaderBytes) {
    throw DataError("'" + origin + "' is not an IDX file: only " + std::to_string(bytes.size()) +
                    " bytes");
  }
  if (bytes[0] != 0 || bytes[1] != 0 || !known_type(bytes[2]) || bytes[3] == 0) {
    char magic[32];
    std::snprintf(magic, sizeof magic, "%02x %02x %02x %02x", bytes[0], bytes[1], bytes[2], bytes[3]);
    throw DataError("'" + origin + "' has a bad IDX magic number (" + magic +
                    "); expected 00 00 <type 08/09/0b/0c/0d/0e> <ndims >= 1>");
  }
  IdxArray array;
  array.type = static_cast<IdxType>(bytes[2]);
  const std::size_t ndims = bytes[3];
  const std::size_t header = kHeaderBytes + 4 * ndims;
  if (bytes.size() < header) {
    throw DataError("'" + origin + "' is truncated inside its IDX header");
  }
  const std::size_t actual = bytes.size() - header;
  // Checked 64-bit size arithmetic bounded by the bytes present: a hostile header (2^31 x 2^31
  // x 2^31) must not wrap around to a size that passes, nor ask for more memory than the file.
  std::uint64_t expected = static_cast<std::uint64_t>(array.element_size());
  bool overflow = false;
  for (std::size_t k = 0; k < ndims; ++k) {
    const std::uint32_t dim = read_big_endian_u32(bytes.data() + kHeaderBytes + 4 * k);
    if (dim == 0 || dim > static_cast<std::uint32_t>(std::numeric_limits<std::int32_t>::max())) {
      throw DataError("'" + origin + "' has an IDX header whose dimension " + std::to_string(k + 1) + " is " +
                      std::to_string(dim) + "; dimensions must lie in 1 .. 2^31 - 1");
    }
    array.dims.push_back(dim);
    overflow = overflow || __builtin_mul_overflow(expected, std::uint64_t{dim}, &expected);
  }
  if (overflow || expected > actual) {
    throw DataError("'" + origin + "' holds " + std::to_string(actual) + " data bytes but its IDX header announces " +
                    header_shape(array) + " elements of " + std::to_string(array.element_size()) + " bytes = " +
                    (overflow ? std::string("over 2^64") : std::to_string(expected)) +
                    " bytes, more than the file holds (truncated file or corrupt header)");
  }
  if (actual != expected) {
    throw DataError("'" + origin + "' holds " + std::to_string(actual) +
                    " data bytes but its IDX header announces " + std::to_string(expected) +
                    (actual < expected ? " (truncated file?)" : " (trailing bytes)"));
  }
  array.data.assign(bytes.begin() + header, bytes.end());
  to_host_order(array.data, array.element_size());
  return array;
}

IdxArray read_idx(const std::filesystem::path& path) {
  // The header first (4 bytes, then 4 per dimension): it says how long the file must be, so a
  // file with gigabytes of trailing data is refused without reading them.
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    throw DataError("dataset file '" + path.string() + "' does not exist or is not a file");
  }
  const std::vector<unsigned char> magic = read_file_prefix(path, kHeaderBytes);
  if (magic.size() < kHeaderBytes) return parse_idx(magic, path.string());  // names what is wrong
  const std::vector<unsigned char> header = read_file_prefix(path, kHeaderBytes + 4 * std::size_t{magic[3]});
  std::uint64_t total = 0;
  if (!announced_bytes(header, &total)) return parse_idx(header, path.string());  // a bad header: its message
  return parse_idx(read_file_bytes(path, total, "its IDX header announces"), path.string());
}

void write_idx(const std::filesystem::path& path, const IdxArray& array, bool gzip) {
  std::vector<unsigned char> bytes = {0, 0, static_cast<unsigned char>(array.type),
                                      static_cast<unsigned char>(array.dims.size())};
  for (std::int64_t dim : array.dims) {
    for (int shift = 24; shift >= 0; shift -= 8) bytes.push_back((dim >> shift) & 0xff);
  }
  std::vector<unsigned char> body = array.data;
  to_host_order(body, array.element_size());  // the swap is its own inverse
  bytes.insert(bytes.end(), body.begin(), body.end());
  if (gzip) {
    gzFile file = gzopen(path.c_str(), "wb");
    if (!file) throw DataError("cannot write '" + path.string() + "'");
    gzwrite(file, bytes.data(), static_cast<unsigned>(bytes.size()));
    gzclose(file);
  } else {
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    if (!out) throw DataError("cannot write '" + path.string() + "'");
  }
}

}  // namespace lindiff
