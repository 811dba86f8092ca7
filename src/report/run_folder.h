// Owns a run's output folder and the guarantee that a failed run leaves earlier
// results intact: files are written to a staging folder and moved into place only
// when the run commits.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "src/common/file_lock.h"

namespace lindiff {

// `root`/`relative` after checking that it stays inside `root`: `relative` has no root and no
// "..", and no existing part of the path below `root` is a symbolic link (a link inside a shared
// run folder would carry lindiff's writes elsewhere). Throws Error naming the path.
std::filesystem::path path_inside(const std::filesystem::path& root, const std::filesystem::path& relative);

// A results folder with staged writes.
class RunFolder {
 public:
  // Creates `final_dir` (if needed) and a fresh staging folder inside it, named for this host
  // and process and locked for the run's lifetime (FileLock); removes staging folders whose
  // lock is free (their run died, here or on another host sharing the folder).
  explicit RunFolder(std::filesystem::path final_dir);
  RunFolder(const RunFolder&) = delete;
  RunFolder& operator=(const RunFolder&) = delete;
  // Removes the staging folder and whatever it holds unless commit() ran.
  ~RunFolder();

  // Path inside the staging folder for `relative` (e.g. "figures/spectrum.png"); creates parents.
  std::filesystem::path stage(const std::string& relative) const;
  // The staging folder (what this run has written so far).
  const std::filesystem::path& staging_dir() const { return staging_dir_; }
  // The folder results end up in.
  const std::filesystem::path& final_dir() const { return final_dir_; }
  // Moves every staged file into the final folder (each move is an atomic rename that
  // replaces an older file of the same name) and removes the staging folder.
  void commit();

 private:
  std::filesystem::path final_dir_;
  std::filesystem::path staging_dir_;
  std::optional<FileLock> lock_;  // held while the run lives; marks the staging folder as in use
  bool committed_ = false;
};

}  // namespace lindiff
