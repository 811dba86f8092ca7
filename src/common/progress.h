// Owns progress reporting on stderr (rate and time left) for long loops.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace lindiff {

// Prints "label  done/total  rate unit/s  ETA" to stderr, at most twice a second on
// a terminal and every 10 s otherwise, and a final line from finish().
class Progress {
 public:
  Progress(std::string label, std::int64_t total, std::string unit);
  // Records that `count` more units are done; the loop's safe point for SIGINT/SIGTERM
  // (throws InterruptedError, src/common/interrupt.h). Call outside parallel regions.
  void advance(std::int64_t count = 1);
  // Prints the final line with the total time; called by the destructor unless an error unwinds.
  void finish();
  ~Progress();

 private:
  void print(bool final_line);

  std::string label_;
  std::string unit_;
  std::int64_t total_;
  std::int64_t done_ = 0;
  bool finished_ = false;
  bool tty_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_print_;
};

// Formats seconds as "12.3 s", "4 min 05 s" or "2 h 03 min".
std::string format_duration(double seconds);

}  // namespace lindiff
