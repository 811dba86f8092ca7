#include "src/common/interrupt.h"

#include <csignal>
#include <string>

#include "src/common/error.h"

namespace lindiff {

namespace {

volatile std::sig_atomic_t received_signal = 0;

extern "C" void note_signal(int signal_number) { received_signal = signal_number; }

}  // namespace

void install_interrupt_handlers() {
  struct sigaction action {};
  action.sa_handler = note_signal;
  sigemptyset(&action.sa_mask);
  // Interrupted system calls restart; the handler is reset after its first call, so that a
  // second signal kills at once (the default action).
  action.sa_flags = SA_RESTART | SA_RESETHAND;
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

void throw_if_interrupted() {
  const int signal_number = received_signal;
  if (signal_number == 0) return;
  const std::string name = signal_number == SIGINT ? "SIGINT" : signal_number == SIGTERM ? "SIGTERM" : "a signal";
  throw InterruptedError("interrupted by " + name + ": files already written (results, checkpoints) are intact; run "
                         "the same command again to resume from the last checkpoint");
}

}  // namespace lindiff
