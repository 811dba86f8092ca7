#include "src/report/run_folder.h"

#include <cerrno>
#include <chrono>
#include <vector>

#include "src/common/atomic_file.h"
#include "src/common/error.h"

namespace lindiff {

namespace fs = std::filesystem;

namespace {

constexpr const char* kStagingPrefix = ".staging-";
constexpr const char* kLockName = ".lock";

// Removes staging folders of runs that are gone: their lock can be taken (the kernel released
// it when the owner died, on this host or another). A folder without a lock file is still being
// created (or predates the locks) and is left alone.
void remove_abandoned_staging(const fs::path& final_dir) {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(final_dir, ec)) {
    if (entry.path().filename().string().rfind(kStagingPrefix, 0) != 0) continue;
    const fs::path lock_file = entry.path() / kLockName;
    if (!fs::exists(lock_file, ec)) continue;
    try {
      std::optional<FileLock> owner_gone = FileLock::try_acquire(lock_file);
      if (owner_gone) fs::remove_all(entry.path(), ec);
    } catch (const Error&) {
      // Another user's run (its lock file is not ours to open): not ours to judge either.
    }
  }
}

}  // namespace

fs::path path_inside(const fs::path& root, const fs::path& relative) {
  const fs::path normal = relative.lexically_normal();
  const auto escapes = [&] {
    if (normal.empty() || normal.is_absolute() || normal.has_root_name()) return true;
    for (const fs::path& part : normal) {
      if (part == "..") return true;
    }
    return false;
  };
  if (escapes()) {
    throw Error(ExitCode::kFailure, "'" + relative.string() + "' is not a path inside the run folder '" + root.string() + "'");
  }
  fs::path path = root;
  for (const fs::path& part : normal) {
    path /= part;
    std::error_code ec;
    if (fs::is_symlink(fs::symlink_status(path, ec))) {
      throw Error(ExitCode::kUsage, "'" + path.string() + "' is a symbolic link; lindiff writes only inside its run folder "
                                    "'" + root.string() + "' and does not follow links there: remove the link or choose "
                                    "another folder with --out");
    }
  }
  return path;
}

RunFolder::RunFolder(fs::path final_dir) : final_dir_(std::move(final_dir)) {
  std::error_code ec;
  fs::create_directories(final_dir_, ec);
  if (ec) throw_file_error("create the output folder", final_dir_, ec.value());
  if (!fs::is_directory(final_dir_, ec)) throw_file_error("use the output folder", final_dir_, ENOTDIR);
  remove_abandoned_staging(final_dir_);
  const auto stamp = std::chrono::steady_clock::now().time_since_epoch().count();
  const std::string name = host_and_process() + "-" + std::to_string(stamp);
  // Created and locked under another prefix, then renamed: a concurrent run never sees a
  // ".staging-" folder whose lock is not yet held (and would take it for abandoned).
  const fs::path creating = final_dir_ / (".creating-" + name);
  staging_dir_ = final_dir_ / (kStagingPrefix + name);
  fs::create_directories(creating, ec);
  if (ec) throw_file_error("create", creating, ec.value());
  lock_ = FileLock::try_acquire(creating / kLockName);  // the lock stays with the inode through the rename
  fs::rename(creating, staging_dir_, ec);
  if (ec) throw_file_error("create", staging_dir_, ec.value());
}

RunFolder::~RunFolder() {
  std::error_code ec;
  fs::remove_all(staging_dir_, ec);
}

fs::path RunFolder::stage(const std::string& relative) const {
  const fs::path path = path_inside(staging_dir_, relative);
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  if (ec) throw_file_error("create", path.parent_path(), ec.value());
  return path;
}

void RunFolder::commit() {
  std::vector<fs::path> staged;
  for (const auto& entry : fs::recursive_directory_iterator(staging_dir_)) {
    if (entry.is_regular_file() && entry.path().filename() != kLockName) staged.push_back(entry.path());
  }
  for (const fs::path& file : staged) {
    const fs::path target = path_inside(final_dir_, fs::relative(file, staging_dir_));
    std::error_code ec;
    fs::create_directories(target.parent_path(), ec);
    if (ec) throw_file_error("create", target.parent_path(), ec.value());
    fs::rename(file, target, ec);
    if (ec) throw_file_error("move a result into", target, ec.value());
  }
  committed_ = true;
  std::error_code ec;
  fs::remove_all(staging_dir_, ec);
}

}  // namespace lindiff
