#include "src/common/interrupt.h"

#include <csignal>
#include <string>

#include "src/common/error.h"

namespace lindiff {

namespace {

volatile std::sig_atomic_t received_signal = 0;

extern "C" void note_signal(int signal_number) {
  received_signal = signal_number;
  std::signal(signal_number, SIG_DFL);
}

}  // namespace

void install_interrupt_handlers() {
  std::signal(SIGINT, note_signal);  // glibc: BSD semantics, interrupted system calls restart
  std::signal(SIGTERM, note_signal);
}

void throw_if_interrupted() {
  const int signal_number = received_signal;
  if (signal_number == 0) return;
  const std::string name = signal_number == SIGINT ? "SIGINT" : signal_number == SIGTERM ? "SIGTERM" : "a signal";
  throw InterruptedError("interrupted by " + name + ": files already written (results, checkpoints) are intact; run "
                         "the same command again to resume from the last checkpoint");
}

}  // namespace lindiff
