// Owns how lindiff starts other programs (gnuplot, sbatch's script): never through a shell.
// The program and its arguments are an argument vector handed to execvp, the working folder is
// set in the child, so no name, label or path, however hostile, is ever parsed as a command.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace lindiff {

// True when `program` (a bare name) is an executable file in a folder of $PATH.
bool program_on_path(const std::string& program);

// Runs argv[0] (looked up on $PATH) with `argv` in folder `cwd`, its standard error written to
// `stderr_path` (created or truncated; empty: inherited), standard input from /dev/null, and
// waits for it. SIGINT/SIGTERM reach lindiff's own handlers while it waits (Ctrl-C reaches the
// child through the terminal's process group); when one arrived, or the child died of one,
// throws InterruptedError (exit 130) after the child is gone. Returns the child's exit status
// (0-255), or 128 + signal when it died of another signal. Throws Error (exit 2) naming the
// program when it cannot be started.
int run_program(const std::vector<std::string>& argv, const std::filesystem::path& cwd,
                const std::filesystem::path& stderr_path = {});

}  // namespace lindiff
