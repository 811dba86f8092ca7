// Owns NumPy's .npy format (version 1.0, https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html)
// for the arrays lindiff hands to Python users: a 6-byte magic, the version, a little-endian
// header length, and a Python dict literal {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }
// padded with spaces to a multiple of 64 bytes, then the data in C order. Files are written
// atomically (a reader never sees half an array) and read back with every field checked, so
// that `np.load(path)` and `read_npy(path)` give the same array.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace lindiff {

// The element types lindiff writes and reads, little-endian.
enum class NpyType { kFloat32, kFloat64, kInt64, kUInt8 };

// Bytes per element of `type`.
std::size_t npy_element_size(NpyType type);
// NumPy's descr of `type` ('<f4', '<f8', '<i8', '|u1').
std::string npy_descr(NpyType type);

// An array read from a file: its type, shape and data bytes (C order).
struct NpyArray {
  NpyType type = NpyType::kFloat32;
  std::vector<std::int64_t> shape;
  std::vector<char> bytes;
  std::int64_t elements() const;
};

// The header NumPy (1.24) writes for `type` and `shape`, magic and length included; newer NumPy
// may pad with more spaces, which readers skip alike.
std::string npy_header(NpyType type, const std::vector<std::int64_t>& shape);

// Writes the array at `data` (product(shape) elements of `type`, C order) to `path`
// atomically. Throws std::invalid_argument for a negative dimension, Error on I/O failure.
void write_npy(const std::filesystem::path& path, NpyType type, const std::vector<std::int64_t>& shape, const void* data);

// Reads an .npy file of a type above; throws DataError naming the file and what is wrong (not
// .npy, another version, Fortran order, big-endian or an unsupported type, truncated data).
NpyArray read_npy(const std::filesystem::path& path);

}  // namespace lindiff
