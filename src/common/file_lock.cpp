#include "src/common/file_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <thread>
#include <cstring>
#include <string>

#include "src/common/error.h"
#include "src/common/interrupt.h"

namespace lindiff {

namespace {

int open_lock_file(const std::filesystem::path& path) {
  // O_NOFOLLOW: a lock file planted as a link in a shared folder must not create files elsewhere.
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
  if (fd < 0) {
    const int error = errno;
    throw Error(error == ENOSPC || error == EDQUOT ? ExitCode::kResource : ExitCode::kUsage,
                "cannot open lock file '" + path.string() + "': " + std::strerror(error) +
                    (error == ELOOP ? " (it is a symbolic link; remove it)" : ""));
  }
  return fd;
}

// flock with EINTR retried; true when the lock was taken.
bool lock(int fd, int operation) {
  for (;;) {
    if (::flock(fd, operation) == 0) return true;
    if (errno != EINTR) return false;
  }
}

}  // namespace

std::optional<FileLock> FileLock::try_acquire(const std::filesystem::path& path) {
  const int fd = open_lock_file(path);
  if (lock(fd, LOCK_EX | LOCK_NB)) return FileLock(fd);
  const int error = errno;
  ::close(fd);
  if (error == EWOULDBLOCK) return std::nullopt;
  throw Error(ExitCode::kUsage, "cannot lock '" + path.string() + "': " + std::strerror(error) +
                                      " (a file system without flock support?)");
}

FileLock FileLock::acquire(const std::filesystem::path& path, const std::function<void()>& on_wait) {
  if (std::optional<FileLock> taken = try_acquire(path)) return std::move(*taken);
  if (on_wait) on_wait();
  // Polled rather than blocking, so that SIGINT/SIGTERM stop the wait (another run may hold the
  // lock for hours).
  for (;;) {
    if (std::optional<FileLock> taken = try_acquire(path)) return std::move(*taken);
    throw_if_interrupted();
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

FileLock& FileLock::operator=(FileLock&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.fd_;
    other.fd_ = -1;
  }
  return *this;
}

FileLock::~FileLock() {
  if (fd_ >= 0) ::close(fd_);  // closing the descriptor releases the lock
}

}  // namespace lindiff
