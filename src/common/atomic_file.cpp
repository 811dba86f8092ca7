#include "src/common/atomic_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "src/common/error.h"

namespace lindiff {

namespace {

// The host name, or "host" where it cannot be read (the process id still separates processes).
std::string host_name() {
  char name[256] = {};
  if (gethostname(name, sizeof(name) - 1) != 0 || name[0] == '\0') return "host";
  return name;
}

[[noreturn]] void fail_write(const std::filesystem::path& file, const std::filesystem::path& target, int error) {
  throw_file_error("write", error == ENOSPC || error == EDQUOT || error == EFBIG ? target : file, error);
}

}  // namespace

void throw_file_error(const std::string& action, const std::filesystem::path& path, int error) {
  const std::string reason = std::strerror(error);
  if (error == ENOSPC || error == EDQUOT || error == EFBIG) {
    throw ResourceError("cannot " + action + " '" + path.string() + "': " + reason +
                        "; free space on that disk or choose another folder with --out (files already written are intact)");
  }
  throw Error(ExitCode::kUsage, "cannot " + action + " '" + path.string() + "': " + reason +
                                    "; choose a folder this user can write with --out (or output_dir)");
}

std::string host_and_process() { return host_name() + "." + std::to_string(getpid()); }

std::filesystem::path temporary_path_for(const std::filesystem::path& path) {
  std::filesystem::path temporary = path;
  temporary += ".partial." + host_and_process();
  return temporary;
}

void write_file_atomically(const std::filesystem::path& path, std::string_view bytes) {
  const std::filesystem::path temporary = temporary_path_for(path);
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) fail_write(temporary, path, errno);
  std::size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int error = n < 0 ? errno : ENOSPC;
      ::close(fd);
      ::unlink(temporary.c_str());
      fail_write(temporary, path, error);
    }
    written += static_cast<std::size_t>(n);
  }
  // A full disk can surface only at fsync or close (delayed allocation, network file systems).
  if (::fsync(fd) != 0 && errno != EINVAL) {
    const int error = errno;
    ::close(fd);
    ::unlink(temporary.c_str());
    fail_write(temporary, path, error);
  }
  if (::close(fd) != 0) {
    const int error = errno;
    ::unlink(temporary.c_str());
    fail_write(temporary, path, error);
  }
  std::error_code ec;
  std::filesystem::rename(temporary, path, ec);
  if (ec) {
    ::unlink(temporary.c_str());
    throw_file_error("replace", path, ec.value());
  }
}

}  // namespace lindiff
