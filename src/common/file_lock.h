// Owns advisory whole-file locks (flock) that coordinate processes sharing a folder, on one
// host or, over NFS, on several: the kernel drops a lock when its holder dies, however it dies,
// so a lock that can be taken marks its owner as gone (unlike a process id, which means nothing
// in another PID namespace or on another host).
#pragma once

#include <filesystem>
#include <functional>
#include <optional>

namespace lindiff {

// An exclusive lock on a file, held until destruction.
class FileLock {
 public:
  // Takes the lock on `path` (created if absent) if no other process holds it; nullopt if one does.
  // Throws Error naming the file when it cannot be opened.
  static std::optional<FileLock> try_acquire(const std::filesystem::path& path);
  // Takes the lock on `path`, first calling `on_wait` once if another process holds it, then
  // waiting (polled every 0.1 s, so that SIGINT/SIGTERM end the wait with InterruptedError).
  static FileLock acquire(const std::filesystem::path& path, const std::function<void()>& on_wait);

  FileLock(FileLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  FileLock& operator=(FileLock&& other) noexcept;
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;
  ~FileLock();

 private:
  explicit FileLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace lindiff
