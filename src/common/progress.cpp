#include "src/common/progress.h"

#include <unistd.h>

#include <cstdio>
#include <exception>

#include "src/common/interrupt.h"

namespace lindiff {

Progress::Progress(std::string label, std::int64_t total, std::string unit)
    : label_(std::move(label)),
      unit_(std::move(unit)),
      total_(total),
      tty_(isatty(STDERR_FILENO) != 0),
      start_(std::chrono::steady_clock::now()),
      last_print_(start_) {}

void Progress::advance(std::int64_t count) {
  throw_if_interrupted();
  done_ += count;
  auto now = std::chrono::steady_clock::now();
  double since = std::chrono::duration<double>(now - last_print_).count();
  if (since >= (tty_ ? 0.5 : 10.0)) {
    last_print_ = now;
    print(false);
  }
}

void Progress::finish() {
  if (finished_) return;
  finished_ = true;
  print(true);
}

Progress::~Progress() {
  if (std::uncaught_exceptions() == 0) finish();  // no "done" line for a loop an error left
}

void Progress::print(bool final_line) {
  double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  double rate = elapsed > 0 ? static_cast<double>(done_) / elapsed : 0.0;
  std::string tail;
  if (final_line) {
    tail = "done in " + format_duration(elapsed);
  } else if (rate > 0 && total_ > 0) {
    tail = "ETA " + format_duration(static_cast<double>(total_ - done_) / rate);
  }
  std::fprintf(stderr, "%s%s  %lld/%lld  %.3g %s/s  %s%s", tty_ ? "\r\033[K" : "", label_.c_str(),
               static_cast<long long>(done_), static_cast<long long>(total_), rate, unit_.c_str(),
               tail.c_str(), (tty_ && !final_line) ? "" : "\n");
  std::fflush(stderr);
}

std::string format_duration(double seconds) {
  char buffer[64];
  if (seconds < 60) {
    std::snprintf(buffer, sizeof buffer, "%.1f s", seconds);
  } else if (seconds < 3600) {
    std::snprintf(buffer, sizeof buffer, "%d min %02d s", static_cast<int>(seconds) / 60,
                  static_cast<int>(seconds) % 60);
  } else {
    std::snprintf(buffer, sizeof buffer, "%d h %02d min", static_cast<int>(seconds) / 3600,
                  (static_cast<int>(seconds) % 3600) / 60);
  }
  return buffer;
}

}  // namespace lindiff
