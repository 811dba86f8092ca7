#include "src/common/subprocess.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <sstream>

#include "src/common/error.h"
#include "src/common/interrupt.h"

namespace lindiff {

bool program_on_path(const std::string& program) {
  const char* path = std::getenv("PATH");
  if (program.empty() || program.find('/') != std::string::npos || path == nullptr) return false;
  std::istringstream folders(path);
  std::string folder;
  while (std::getline(folders, folder, ':')) {
    const std::string candidate = (folder.empty() ? "." : folder) + "/" + program;
    struct stat info {};
    if (::stat(candidate.c_str(), &info) == 0 && S_ISREG(info.st_mode) && ::access(candidate.c_str(), X_OK) == 0) return true;
  }
  return false;
}

namespace {

// In the child, between fork and exec: only async-signal-safe calls. Exits 127 when the
// program cannot be started (as a shell does), after telling the parent errno through `report`.
[[noreturn]] void exec_child(char* const* args, const char* cwd, const char* stderr_path, int report) {
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
  const int input = ::open("/dev/null", O_RDONLY);
  if (input >= 0) ::dup2(input, STDIN_FILENO);
  if (stderr_path[0] != '\0') {
    const int err = ::open(stderr_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (err < 0 || ::dup2(err, STDERR_FILENO) < 0) {
      const int code = errno;
      (void)!::write(report, &code, sizeof code);
      ::_exit(127);
    }
  }
  if (cwd[0] != '\0' && ::chdir(cwd) != 0) {
    const int code = errno;
    (void)!::write(report, &code, sizeof code);
    ::_exit(127);
  }
  ::execvp(args[0], args);
  const int code = errno;
  (void)!::write(report, &code, sizeof code);
  ::_exit(127);
}

}  // namespace

int run_program(const std::vector<std::string>& argv, const std::filesystem::path& cwd,
                const std::filesystem::path& stderr_path) {
  if (argv.empty()) throw Error(ExitCode::kFailure, "run_program: no program given");
  std::vector<char*> args;
  for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  const std::string folder = cwd.string();
  const std::string err_path = stderr_path.string();
  int report[2];  // the child writes errno here when exec fails; closed on a successful exec
  if (::pipe2(report, O_CLOEXEC) != 0) throw Error(ExitCode::kResource, "cannot start " + argv[0] + ": " + std::strerror(errno));
  const pid_t child = ::fork();
  if (child < 0) {
    ::close(report[0]);
    ::close(report[1]);
    throw Error(ExitCode::kResource, "cannot start " + argv[0] + ": " + std::strerror(errno));
  }
  if (child == 0) exec_child(args.data(), folder.c_str(), err_path.c_str(), report[1]);
  ::close(report[1]);
  int exec_errno = 0;
  ssize_t got;
  do got = ::read(report[0], &exec_errno, sizeof exec_errno);
  while (got < 0 && errno == EINTR);
  ::close(report[0]);
  int status = 0;
  while (::waitpid(child, &status, 0) < 0) {
    if (errno != EINTR) throw Error(ExitCode::kFailure, "waiting for " + argv[0] + ": " + std::strerror(errno));
  }
  throw_if_interrupted();
  if (got == static_cast<ssize_t>(sizeof exec_errno)) {
    throw Error(ExitCode::kUsage, "cannot run " + argv[0] + (folder.empty() ? "" : " in '" + folder + "'") + ": " +
                                      std::strerror(exec_errno));
  }
  if (WIFSIGNALED(status)) {
    const int signal_number = WTERMSIG(status);
    if (signal_number == SIGINT || signal_number == SIGTERM) {
      throw InterruptedError(argv[0] + " was interrupted (" + std::string(signal_number == SIGINT ? "SIGINT" : "SIGTERM") +
                             "): files already written are intact; run the same command again to resume");
    }
    return 128 + signal_number;
  }
  return WEXITSTATUS(status);
}

}  // namespace lindiff
