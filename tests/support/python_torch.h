// Python with PyTorch for tests that load networks saved by torch.jit.save: /usr/bin/python3, as
// Debian's python3-torch installs it (tests skip where it is absent).
#pragma once

#include <filesystem>
#include <fstream>
#include <string>

#include "src/common/subprocess.h"

namespace lindiff::testing {

inline const char* const kPython = "/usr/bin/python3";

// Whether kPython exists and imports `modules` (e.g. "torch, numpy").
inline bool python_imports(const std::string& modules, const std::filesystem::path& dir) {
  return std::filesystem::exists(kPython) && run_program({kPython, "-c", "import " + modules}, dir, dir / "err.txt") == 0;
}

// Runs `script` with kPython in `dir` from a file (torch.jit.script reads a class's source from
// its file, so `python -c` cannot script one); its stderr goes to dir/err.txt. Returns the exit code.
inline int run_python_file(const std::string& script, const std::filesystem::path& dir) {
  std::ofstream(dir / "script.py") << script;
  return run_program({kPython, "script.py"}, dir, dir / "err.txt");
}

// Python that scripts and saves `net.pt` (as `net`): forward(x, t) = conv3x3(x) + embed(t) on
// one-channel images, t in 0..10, weights seeded.
inline const char* const kConvNetworkScript =
    "import torch\n"
    "class Net(torch.nn.Module):\n"
    "    def __init__(self):\n"
    "        super().__init__()\n"
    "        self.conv = torch.nn.Conv2d(1, 1, 3, padding=1)\n"
    "        self.embed = torch.nn.Embedding(11, 1)\n"
    "    def forward(self, x, t):\n"
    "        return self.conv(x) + self.embed(t).view(-1, 1, 1, 1)\n"
    "torch.manual_seed(0)\n"
    "net = torch.jit.script(Net())\n"
    "torch.jit.save(net, 'net.pt')\n";

}  // namespace lindiff::testing
