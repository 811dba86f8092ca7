// Owns lindiff's error types and the process exit codes they map to.
#pragma once

#include <stdexcept>
#include <string>

namespace lindiff {

// Process exit codes; documented in docs/commands.md.
enum class ExitCode : int {
  kOk = 0,
  kFailure = 1,      // unexpected internal failure
  kUsage = 2,        // bad command line
  kConfig = 3,       // malformed config, unknown key, impossible value
  kData = 4,         // missing, unreadable or corrupt dataset file
  kNumeric = 5,      // divergence (NaN/inf) or a failed factorisation
  kResource = 6,     // not enough memory or disk for the requested run; the message names the key to change
  kInterrupted = 130 // SIGINT or SIGTERM; results and checkpoints already written stay intact
};

// Base class of every error lindiff reports to the user; carries its exit code.
class Error : public std::runtime_error {
 public:
  Error(ExitCode code, const std::string& message) : std::runtime_error(message), code_(code) {}
  ExitCode code() const { return code_; }

 private:
  ExitCode code_;
};

// A config file or --set override that is malformed, unknown or impossible.
class ConfigError : public Error {
 public:
  explicit ConfigError(const std::string& message) : Error(ExitCode::kConfig, message) {}
};

// A dataset file that is missing, unreadable, truncated or inconsistent.
class DataError : public Error {
 public:
  explicit DataError(const std::string& message) : Error(ExitCode::kData, message) {}
};

// A dataset whose files are absent (as opposed to present but broken); an optional
// dataset is skipped on this error only.
class MissingDataError : public DataError {
 public:
  explicit MissingDataError(const std::string& message) : DataError(message) {}
};

// A numerical failure: non-finite values, a failed eigendecomposition.
class NumericError : public Error {
 public:
  explicit NumericError(const std::string& message) : Error(ExitCode::kNumeric, message) {}
};

// A run stopped by SIGINT or SIGTERM at a safe point (between steps, cells or stages).
class InterruptedError : public Error {
 public:
  explicit InterruptedError(const std::string& message) : Error(ExitCode::kInterrupted, message) {}
};

// A run that does not fit the machine: memory, disk, threads or work estimated or found
// insufficient; the message names the setting to change.
class ResourceError : public Error {
 public:
  explicit ResourceError(const std::string& message) : Error(ExitCode::kResource, message) {}
};

}  // namespace lindiff
