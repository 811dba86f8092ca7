// Owns what a crash leaves behind: on SIGSEGV, SIGBUS, SIGILL, SIGFPE or SIGABRT the process
// writes the signal and a backtrace to stderr, then dies of the same signal (exit status
// 128 + signal, core dump where enabled). A crash on a machine lent for minutes (a GPU node
// without gdb) then still says where it happened.
#pragma once

namespace lindiff {

// Installs the handlers (on an alternate stack, so that a stack overflow is reported too).
void install_crash_report();

}  // namespace lindiff
