// A libFuzzer stand-in for builds without clang: runs the target on its seeds and on a fixed
// number of deterministic mutations of them (bit flips, byte changes, insertions, deletions,
// splices and 32-bit big-endian "interesting" values, the shape of IDX header fields), so the
// suite exercises every reader with hostile bytes on every build.
//   usage: fuzz_<name> [--iterations N] [--seed S] [--write-seeds DIR] [FILE...]
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include "tests/fuzz/fuzz_target.h"

namespace {

// One random edit of `input`.
std::string mutate(std::string input, const std::vector<std::string>& pool, std::mt19937_64& rng) {
  auto below = [&](std::size_t n) { return n == 0 ? 0 : static_cast<std::size_t>(rng() % n); };
  static const std::uint32_t interesting[] = {0, 1, 2, 3, 4, 255, 256, 511, 512, 513, 65535, 0x7fffffff, 0x80000000,
                                              0xffffffff};
  switch (rng() % 6) {
    case 0:
      if (!input.empty()) input[below(input.size())] ^= static_cast<char>(1u << (rng() % 8));
      break;
    case 1:
      if (!input.empty()) input[below(input.size())] = static_cast<char>(rng());
      break;
    case 2:
      input.insert(below(input.size() + 1), std::string(1 + below(8), static_cast<char>(rng())));
      break;
    case 3:
      if (!input.empty()) input.erase(below(input.size()), 1 + below(16));
      break;
    case 4: {
      const std::string& other = pool[below(pool.size())];
      input = input.substr(0, below(input.size() + 1)) + other.substr(below(other.size() + 1));
      break;
    }
    default: {
      const std::uint32_t value = interesting[below(std::size(interesting))];
      const std::size_t at = below(input.size() + 1);
      const char bytes[4] = {static_cast<char>(value >> 24), static_cast<char>(value >> 16), static_cast<char>(value >> 8),
                             static_cast<char>(value)};
      input.replace(at, std::min<std::size_t>(4, input.size() - at), bytes, 4);
    }
  }
  return input;
}

void run(const std::string& input) {
  LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(input.data()), input.size());
}

}  // namespace

int main(int argc, char** argv) {
  long iterations = 1000;
  unsigned long long seed = 1;
  std::vector<std::string> inputs = lindiff::fuzz::seeds();
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--iterations" && i + 1 < argc) {
      iterations = std::atol(argv[++i]);
    } else if (arg == "--seed" && i + 1 < argc) {
      seed = std::strtoull(argv[++i], nullptr, 10);
    } else if (arg == "--write-seeds" && i + 1 < argc) {
      const std::filesystem::path dir = argv[++i];
      std::filesystem::create_directories(dir);
      for (std::size_t k = 0; k < inputs.size(); ++k) std::ofstream(dir / ("seed" + std::to_string(k)), std::ios::binary) << inputs[k];
      std::printf("wrote %zu seeds into %s\n", inputs.size(), dir.c_str());
      return 0;
    } else {
      std::ifstream in(arg, std::ios::binary);
      if (!in) {
        std::fprintf(stderr, "cannot read '%s' (usage: %s [--iterations N] [--seed S] [--write-seeds DIR] [FILE...])\n",
                     arg.c_str(), argv[0]);
        return 2;
      }
      inputs.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
  }
  for (const std::string& input : inputs) run(input);
  std::mt19937_64 rng(seed);
  std::vector<std::string> pool = inputs;
  for (long i = 0; i < iterations; ++i) {
    std::string input = pool[rng() % pool.size()];
    const int edits = 1 + static_cast<int>(rng() % 4);
    for (int e = 0; e < edits; ++e) input = mutate(std::move(input), inputs, rng);
    run(input);
    if (pool.size() < 256) pool.push_back(std::move(input));  // mutations of mutations
  }
  std::printf("%zu seeds and %ld mutated inputs: no crash, every failure a named lindiff error\n", inputs.size(), iterations);
  return 0;
}
