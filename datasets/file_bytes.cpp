#include "datasets/file_bytes.h"

#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <string>
#include <cstring>
#include <fstream>
#include <memory>

#include "src/common/error.h"

namespace lindiff {

namespace {

bool has_gzip_magic(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  unsigned char magic[2] = {0, 0};
  in.read(reinterpret_cast<char*>(magic), 2);
  return in.gcount() == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
}

[[noreturn]] void refuse_excess(const std::filesystem::path& path, std::uint64_t limit, const std::string& expected) {
  throw DataError("'" + path.string() + "' holds more than the " + std::to_string(limit) + " bytes " + expected +
                  " (trailing data, or not the file it claims to be); nothing beyond was read");
}

// Inflates at most limit + 1 bytes: a small file that inflates to gigabytes is refused after
// limit + 1 of them, not read whole first.
std::vector<unsigned char> read_gzip(const std::filesystem::path& path, std::uint64_t limit, const std::string& expected) {
  std::unique_ptr<gzFile_s, int (*)(gzFile)> file(gzopen(path.c_str(), "rb"), gzclose);
  if (!file) throw DataError("cannot open '" + path.string() + "': " + std::strerror(errno));
  gzbuffer(file.get(), 1 << 20);
  std::vector<unsigned char> bytes;
  std::vector<unsigned char> chunk(1 << 20);
  for (;;) {
    const std::uint64_t room = limit - bytes.size();  // bytes.size() <= limit here
    const unsigned want = static_cast<unsigned>(room >= chunk.size() ? chunk.size() : room + 1);
    const int got = gzread(file.get(), chunk.data(), want);
    if (got < 0) {
      int code = 0;
      const char* message = gzerror(file.get(), &code);
      throw DataError("corrupt gzip file '" + path.string() + "': " + message);
    }
    if (got == 0) break;
    bytes.insert(bytes.end(), chunk.begin(), chunk.begin() + got);
    if (bytes.size() > limit) refuse_excess(path, limit, expected);
  }
  int code = 0;
  const char* message = gzerror(file.get(), &code);
  if (code != Z_OK) {
    throw DataError("corrupt or truncated gzip file '" + path.string() + "': " + message);
  }
  return bytes;
}

}  // namespace

std::vector<unsigned char> read_file_prefix(const std::filesystem::path& path, std::size_t count) {
  std::unique_ptr<gzFile_s, int (*)(gzFile)> file(gzopen(path.c_str(), "rb"), gzclose);  // plain files read as they are
  if (!file) throw DataError("cannot open '" + path.string() + "': " + std::strerror(errno));
  std::vector<unsigned char> bytes(count);
  const int got = gzread(file.get(), bytes.data(), static_cast<unsigned>(count));
  if (got < 0) {
    int code = 0;
    throw DataError("corrupt gzip file '" + path.string() + "': " + gzerror(file.get(), &code));
  }
  bytes.resize(static_cast<std::size_t>(got));
  return bytes;
}

std::vector<unsigned char> read_file_bytes(const std::filesystem::path& path, std::uint64_t limit,
                                           const std::string& expected) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    throw DataError("dataset file '" + path.string() + "' does not exist or is not a file");
  }
  if (has_gzip_magic(path)) return read_gzip(path, limit, expected);
  const std::uintmax_t size = std::filesystem::file_size(path, ec);
  if (ec) throw DataError("cannot read the size of '" + path.string() + "': " + ec.message());
  if (size > limit) refuse_excess(path, limit, expected);
  std::ifstream in(path, std::ios::binary);
  if (!in) throw DataError("cannot open '" + path.string() + "': " + std::strerror(errno));
  std::vector<unsigned char> bytes(size);
  in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(size));
  if (static_cast<std::uintmax_t>(in.gcount()) != size) {
    throw DataError("cannot read '" + path.string() + "': it ended after " + std::to_string(in.gcount()) + " of " +
                    std::to_string(size) + " bytes");
  }
  return bytes;
}

}  // namespace lindiff
