// Owns manifest.json: versions, commit, environment, seed and wall time per stage.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "src/common/runtime_info.h"

namespace lindiff {

// Builds a run's manifest and records stage timings.
class Manifest {
 public:
  // Starts the clock and records versions, git commit, host and `runtime`.
  Manifest(const std::string& command, const RuntimeInfo& runtime);
  // Sets a top-level entry (e.g. "seed", "config_file").
  void set(const std::string& key, nlohmann::json value) { json_[key] = std::move(value); }
  // Adds `seconds` to the wall time of stage `name`.
  void add_stage_time(const std::string& name, double seconds);
  // Writes the manifest with the total wall time so far.
  void write(const std::filesystem::path& path);
  // The JSON so far.
  const nlohmann::json& json() const { return json_; }

 private:
  nlohmann::json json_;
  std::chrono::steady_clock::time_point start_;
};

// Times a scope and adds it to a manifest stage when it ends.
class StageTimer {
 public:
  StageTimer(Manifest& manifest, std::string stage);
  ~StageTimer();

 private:
  Manifest& manifest_;
  std::string stage_;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace lindiff
