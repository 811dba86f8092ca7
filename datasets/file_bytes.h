// Owns reading whole dataset files into memory, gzip-compressed or plain.
#pragma once

#include <cstdint>
#include <filesystem>
#include <limits>
#include <string>
#include <vector>

namespace lindiff {

// The first `count` bytes of a file (fewer if it is shorter), inflated when it is gzip.
std::vector<unsigned char> read_file_prefix(const std::filesystem::path& path, std::size_t count);

// Reads a whole file; a gzip file (by its magic bytes, whatever its name) is inflated. A file
// (inflated) longer than `limit` bytes is refused before more than limit + 1 bytes are read
// (a plain file by its size, before any), the message saying it exceeds the `expected` size
// ("its IDX header announces", ...). Throws DataError naming the path for a missing,
// unreadable, truncated, corrupt or oversized file.
std::vector<unsigned char> read_file_bytes(const std::filesystem::path& path,
                                           std::uint64_t limit = std::numeric_limits<std::uint64_t>::max(),
                                           const std::string& expected = "");

}  // namespace lindiff
