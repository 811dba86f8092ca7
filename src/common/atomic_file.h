// Owns the one way lindiff writes a file that a crash, a full disk or a second process must not
// leave half-written: into a temporary beside it, checked, then renamed over it.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace lindiff {

// Throws the error for a failed file operation (`action` as "write", "create", ...) on `path`
// with errno `error`: ResourceError (exit 6) for a full disk or quota, else Error with exit 2
// (a folder that is a file, read-only, not this user's): both name the path and what to change.
[[noreturn]] void throw_file_error(const std::string& action, const std::filesystem::path& path, int error);

// "<host>.<pid>": names this process uniquely among processes sharing a folder across hosts.
std::string host_and_process();

// The temporary `path` is written through before the rename: unique to this host and process
// (a second run or a run on another host sharing the folder never writes the same one).
std::filesystem::path temporary_path_for(const std::filesystem::path& path);

// Replaces `path` by `bytes` so that a reader sees either the old file or the whole new one:
// written to temporary_path_for(path), every write checked and synced, then renamed. Throws
// ResourceError naming the file when the disk is full (the old file and the temporary's space
// are left as they were before the call) and Error for any other failed write. O(bytes).
void write_file_atomically(const std::filesystem::path& path, std::string_view bytes);

}  // namespace lindiff
