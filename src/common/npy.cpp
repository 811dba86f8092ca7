#include "src/common/npy.h"

#include <cstring>
#include <fstream>
#include <regex>
#include <stdexcept>

#include "src/common/atomic_file.h"
#include "src/common/error.h"

namespace lindiff {

namespace {

constexpr char kMagic[] = "\x93NUMPY";
constexpr std::size_t kMagicSize = 6;
constexpr std::size_t kAlignment = 64;  // NumPy pads the header so that the data starts aligned

const std::vector<NpyType> kTypes = {NpyType::kFloat32, NpyType::kFloat64, NpyType::kInt64, NpyType::kUInt8};

bool host_is_little_endian() {
  const std::uint16_t one = 1;
  unsigned char first = 0;
  std::memcpy(&first, &one, 1);
  return first == 1;
}

std::string shape_literal(const std::vector<std::int64_t>& shape) {
  std::string text = "(";
  for (std::size_t i = 0; i < shape.size(); ++i) text += (i ? ", " : "") + std::to_string(shape[i]);
  return text + (shape.size() == 1 ? ",)" : ")");  // a 1-tuple keeps its comma, as Python writes it
}

std::int64_t element_count(const std::vector<std::int64_t>& shape) {
  std::int64_t count = 1;
  for (const std::int64_t n : shape) count *= n;
  return count;
}

// The dict of a header, its three fields; `fail` says what is wrong.
template <class Fail>
NpyArray parse_header(const std::string& dict, Fail fail) {
  std::smatch match;
  NpyArray array;
  if (!std::regex_search(dict, match, std::regex(R"('descr'\s*:\s*'([^']*)')"))) fail("its header has no 'descr'");
  const std::string descr = match[1];
  bool known = false;
  for (const NpyType type : kTypes) {
    if (npy_descr(type) == descr || (descr == "<u1" && type == NpyType::kUInt8)) array.type = type, known = true;
  }
  if (!known) fail("its type '" + descr + "' is not one of <f4, <f8, <i8, |u1 (little-endian float32, float64, int64, uint8)");
  if (!std::regex_search(dict, match, std::regex(R"('fortran_order'\s*:\s*(True|False))"))) fail("its header has no 'fortran_order'");
  if (match[1] == "True") fail("it is in Fortran order; save it with np.save(path, np.ascontiguousarray(a))");
  if (!std::regex_search(dict, match, std::regex(R"('shape'\s*:\s*\(([^)]*)\))"))) fail("its header has no 'shape'");
  const std::string dims = match[1];
  const std::regex number(R"(\s*(\d+)\s*(,|$))");
  for (auto it = std::sregex_iterator(dims.begin(), dims.end(), number); it != std::sregex_iterator(); ++it) {
    const std::string digits = (*it)[1];
    try {
      array.shape.push_back(std::stoll(digits));
    } catch (const std::out_of_range&) {
      fail("its shape has a dimension beyond 64 bits (" + digits.substr(0, 40) + ")");
    }
  }
  return array;
}

}  // namespace

std::size_t npy_element_size(NpyType type) {
  switch (type) {
    case NpyType::kFloat32: return 4;
    case NpyType::kFloat64: return 8;
    case NpyType::kInt64: return 8;
    case NpyType::kUInt8: return 1;
  }
  throw std::logic_error("npy_element_size: unknown type");
}

std::string npy_descr(NpyType type) {
  switch (type) {
    case NpyType::kFloat32: return "<f4";
    case NpyType::kFloat64: return "<f8";
    case NpyType::kInt64: return "<i8";
    case NpyType::kUInt8: return "|u1";
  }
  throw std::logic_error("npy_descr: unknown type");
}

std::int64_t NpyArray::elements() const { return element_count(shape); }

std::string npy_header(NpyType type, const std::vector<std::int64_t>& shape) {
  std::string dict = "{'descr': '" + npy_descr(type) + "', 'fortran_order': False, 'shape': " + shape_literal(shape) + ", }";
  const std::size_t fixed = kMagicSize + 2 + 2;  // magic, version, header length
  dict.append(kAlignment - (fixed + dict.size() + 1) % kAlignment, ' ');
  dict += '\n';
  if (dict.size() > 0xFFFF) throw std::invalid_argument("npy_header: a shape of " + std::to_string(shape.size()) + " dimensions does not fit format 1.0");
  std::string header(kMagic, kMagicSize);
  header += '\x01';
  header += '\x00';
  header += static_cast<char>(dict.size() & 0xFF);
  header += static_cast<char>((dict.size() >> 8) & 0xFF);
  return header + dict;
}

void write_npy(const std::filesystem::path& path, NpyType type, const std::vector<std::int64_t>& shape, const void* data) {
  for (const std::int64_t n : shape) {
    if (n < 0) throw std::invalid_argument("write_npy: negative dimension for " + path.string());
  }
  if (!host_is_little_endian()) throw std::logic_error("write_npy: big-endian hosts are not supported");
  std::string bytes = npy_header(type, shape);
  const std::size_t size = static_cast<std::size_t>(element_count(shape)) * npy_element_size(type);
  bytes.append(static_cast<const char*>(data), size);
  write_file_atomically(path, bytes);
}

NpyArray read_npy(const std::filesystem::path& path) {
  const auto fail = [&](const std::string& what) -> void {
    throw DataError("'" + path.string() + "' is not a readable .npy array: " + what);
  };
  std::ifstream in(path, std::ios::binary);
  if (!in) fail("it cannot be opened");
  in.seekg(0, std::ios::end);
  const std::uint64_t file_size = static_cast<std::uint64_t>(in.tellg());
  in.seekg(0);
  // The fixed part, the header, then the data read straight into the array (one copy in memory).
  std::string fixed(kMagicSize + 2, '\0');
  if (!in.read(fixed.data(), static_cast<std::streamsize>(fixed.size())) || fixed.compare(0, kMagicSize, kMagic, kMagicSize) != 0) {
    fail("it does not start with NumPy's magic \\x93NUMPY");
  }
  const std::size_t major = static_cast<unsigned char>(fixed[kMagicSize]);
  if (major < 1 || major > 3) fail("format version " + std::to_string(major) + " (1, 2 or 3 are read)");
  const std::size_t length_bytes = major == 1 ? 2 : 4;
  unsigned char length_field[4] = {0, 0, 0, 0};
  if (!in.read(reinterpret_cast<char*>(length_field), static_cast<std::streamsize>(length_bytes))) fail("its header is cut short");
  std::uint64_t length = 0;
  for (std::size_t i = 0; i < length_bytes; ++i) length |= static_cast<std::uint64_t>(length_field[i]) << (8 * i);
  const std::uint64_t data_start = kMagicSize + 2 + length_bytes + length;
  if (file_size < data_start) fail("its header is cut short");
  std::string dict(static_cast<std::size_t>(length), '\0');
  in.read(dict.data(), static_cast<std::streamsize>(length));
  NpyArray array = parse_header(dict, fail);
  std::uint64_t expected = npy_element_size(array.type);
  for (const std::int64_t n : array.shape) {  // a hostile shape must not wrap around to the file's size
    if (__builtin_mul_overflow(expected, static_cast<std::uint64_t>(n), &expected)) {
      fail("its shape " + shape_literal(array.shape) + " overflows 64 bits");
    }
  }
  if (file_size - data_start != expected) {
    fail("its shape " + shape_literal(array.shape) + " needs " + std::to_string(expected) + " data bytes, the file holds " +
         std::to_string(file_size - data_start));
  }
  if (!host_is_little_endian()) fail("big-endian hosts are not supported");
  array.bytes.resize(static_cast<std::size_t>(expected));
  if (!in.read(array.bytes.data(), static_cast<std::streamsize>(expected))) fail("its data cannot be read");
  return array;
}

}  // namespace lindiff
