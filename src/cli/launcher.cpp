// The `lindiff` command users run: a few kilobytes with no library but libc, so it starts in a
// millisecond. It blocks SIGINT and SIGTERM and executes lindiff-main beside it; the mask
// survives exec, so a signal sent while the dynamic loader maps LibTorch (~0.2-0.3 s, before any
// code of lindiff-main can run) waits, pending, until lindiff-main has installed its handlers
// and unblocks it (src/cli/main.cpp), and the run then ends with exit 130 like any interrupt.
// Without it such a signal killed the process, or, in a background job (SIGINT ignored until
// the handler exists), was lost.
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>

int main(int, char** argv) {
  sigset_t interrupts;
  sigemptyset(&interrupts);
  sigaddset(&interrupts, SIGINT);
  sigaddset(&interrupts, SIGTERM);
  sigprocmask(SIG_BLOCK, &interrupts, nullptr);
  char path[PATH_MAX];
  const ssize_t length = readlink("/proc/self/exe", path, sizeof path - 16);
  if (length <= 0) {
    std::fprintf(stderr, "lindiff: cannot find its own executable (/proc/self/exe): %s\n", std::strerror(errno));
    return 2;
  }
  path[length] = '\0';
  char* slash = std::strrchr(path, '/');
  std::strcpy(slash + 1, "lindiff-main");
  execv(path, argv);
  std::fprintf(stderr, "lindiff: cannot run %s: %s\n", path, std::strerror(errno));
  return 2;
}
