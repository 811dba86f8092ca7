#include "src/report/run_folder.h"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>

#include <chrono>
#include <vector>

#include "src/common/error.h"

namespace lindiff {

namespace fs = std::filesystem;

namespace {

// Staging folders of killed runs ("<final>/.staging-<pid>-<stamp>" whose process is gone).
void remove_abandoned_staging(const fs::path& final_dir) {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(final_dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind(".staging-", 0) != 0) continue;
    const long pid = std::strtol(name.c_str() + 9, nullptr, 10);
    if (pid > 0 && kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH) fs::remove_all(entry.path(), ec);
  }
}

}  // namespace

RunFolder::RunFolder(fs::path final_dir) : final_dir_(std::move(final_dir)) {
  std::error_code ec;
  fs::create_directories(final_dir_, ec);
  if (ec) throw Error(ExitCode::kFailure, "cannot create output folder '" + final_dir_.string() + "': " + ec.message());
  remove_abandoned_staging(final_dir_);
  const auto stamp = std::chrono::steady_clock::now().time_since_epoch().count();
  staging_dir_ = final_dir_ / (".staging-" + std::to_string(getpid()) + "-" + std::to_string(stamp));
  fs::create_directories(staging_dir_, ec);
  if (ec) throw Error(ExitCode::kFailure, "cannot create '" + staging_dir_.string() + "': " + ec.message());
}

RunFolder::~RunFolder() {
  std::error_code ec;
  fs::remove_all(staging_dir_, ec);
}

fs::path RunFolder::stage(const std::string& relative) const {
  fs::path path = staging_dir_ / relative;
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  if (ec) throw Error(ExitCode::kFailure, "cannot create '" + path.parent_path().string() + "': " + ec.message());
  return path;
}

void RunFolder::commit() {
  std::vector<fs::path> staged;
  for (const auto& entry : fs::recursive_directory_iterator(staging_dir_)) {
    if (entry.is_regular_file()) staged.push_back(entry.path());
  }
  for (const fs::path& file : staged) {
    const fs::path target = final_dir_ / fs::relative(file, staging_dir_);
    std::error_code ec;
    fs::create_directories(target.parent_path(), ec);
    fs::rename(file, target, ec);
    if (ec) throw Error(ExitCode::kFailure, "cannot move result into '" + target.string() + "': " + ec.message());
  }
  committed_ = true;
  std::error_code ec;
  fs::remove_all(staging_dir_, ec);
}

}  // namespace lindiff
