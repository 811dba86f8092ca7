// What every fuzz target defines and shares: libFuzzer's entry point, the seed inputs it starts
// from, and the rule that only lindiff's own errors are expected.
#pragma once

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "datasets/registry.h"
#include "src/common/error.h"

// libFuzzer's entry point: feeds one input to the reader under test. Returns 0.
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace lindiff::fuzz {

// Valid inputs of the target's format, the starting corpus (written out by the smoke driver's
// --write-seeds for libFuzzer).
std::vector<std::string> seeds();

// A scratch file of this process (created once, under the system's temp folder) that file
// readers are pointed at; `name` keeps the extension a reader needs.
inline std::filesystem::path scratch_path(const std::string& name) {
  // Removed at exit (a function-local static's destructor).
  struct ScratchDir {
    // In memory (/dev/shm) where there is one: every input is written to a file.
    std::filesystem::path path = (std::filesystem::is_directory("/dev/shm") ? std::filesystem::path("/dev/shm")
                                                                           : std::filesystem::temp_directory_path()) /
                                 ("lindiff-fuzz-" + std::to_string(static_cast<long long>(::getpid())));
    ScratchDir() { std::filesystem::create_directories(path); }
    ~ScratchDir() {
      std::error_code ec;
      std::filesystem::remove_all(path, ec);
    }
  };
  static const ScratchDir dir;
  return dir.path / name;
}

// Runs `read`; lindiff::Error (a named, documented failure) is an expected outcome, any other
// exception escapes and is reported as a finding.
template <class F>
void expect_only_named_errors(F read) {
  try {
    read();
  } catch (const lindiff::Error&) {
  }
}

// Loads dataset kind `name` from `path` as a config naming it would (resize [] = none).
inline void load_as(const std::string& name, const std::filesystem::path& path, std::vector<int> resize = {}) {
  DatasetSpec spec;
  spec.name = name;
  spec.path = path.string();
  spec.resize = std::move(resize);
  resolve_dataset_spec(spec, "", [](const std::string& key, const std::string& message) {
    throw ConfigError(key + ": " + message);
  });
  load_dataset(spec);
}

}  // namespace lindiff::fuzz
