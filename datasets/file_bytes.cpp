#include "datasets/file_bytes.h"

#include <zlib.h>

#include <cerrno>
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

std::vector<unsigned char> read_gzip(const std::filesystem::path& path) {
  std::unique_ptr<gzFile_s, int (*)(gzFile)> file(gzopen(path.c_str(), "rb"), gzclose);
  if (!file) throw DataError("cannot open '" + path.string() + "': " + std::strerror(errno));
  gzbuffer(file.get(), 1 << 20);
  std::vector<unsigned char> bytes;
  std::vector<unsigned char> chunk(1 << 20);
  for (;;) {
    int got = gzread(file.get(), chunk.data(), static_cast<unsigned>(chunk.size()));
    if (got < 0) {
      int code = 0;
      const char* message = gzerror(file.get(), &code);
      throw DataError("corrupt gzip file '" + path.string() + "': " + message);
    }
    if (got == 0) break;
    bytes.insert(bytes.end(), chunk.begin(), chunk.begin() + got);
  }
  int code = 0;
  const char* message = gzerror(file.get(), &code);
  if (code != Z_OK) {
    throw DataError("corrupt or truncated gzip file '" + path.string() + "': " + message);
  }
  return bytes;
}

}  // namespace

std::vector<unsigned char> read_file_bytes(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    throw DataError("dataset file '" + path.string() + "' does not exist or is not a file");
  }
  if (has_gzip_magic(path)) return read_gzip(path);
  std::ifstream in(path, std::ios::binary);
  if (!in) throw DataError("cannot open '" + path.string() + "': " + std::strerror(errno));
  return std::vector<unsigned char>(std::istreambuf_iterator<char>(in), {});
}

}  // namespace lindiff
