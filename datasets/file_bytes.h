// Owns reading whole dataset files into memory, gzip-compressed or plain.
#pragma once

#include <filesystem>
#include <vector>

namespace lindiff {

// Reads a whole file; a gzip file (by its magic bytes, whatever its name) is inflated.
// Throws DataError naming the path for a missing, unreadable, truncated or corrupt file.
std::vector<unsigned char> read_file_bytes(const std::filesystem::path& path);

}  // namespace lindiff
