// Fuzzes the CIFAR-10 batch reader: any bytes as each of the six binary batches.
#include <fstream>

#include "tests/fuzz/fuzz_target.h"

namespace lindiff::fuzz {

std::vector<std::string> seeds() {
  auto record = [](char label, char value) { return std::string(1, label) + std::string(3072, value); };
  return {record(1, 10) + record(2, 120), record(9, 0), std::string(3073 * 2, '\0')};
}

}  // namespace lindiff::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace lindiff;
  const std::filesystem::path dir = fuzz::scratch_path("cifar");
  // The input is every batch: one file, the other five names linked to it.
  static const bool linked = [&] {
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "input.bin");
    for (const char* name : {"data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin",
                             "data_batch_5.bin", "test_batch.bin"}) {
      std::filesystem::create_symlink(dir / "input.bin", dir / name);
    }
    return true;
  }();
  (void)linked;
  std::ofstream(dir / "input.bin", std::ios::binary).write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  fuzz::expect_only_named_errors([&] { fuzz::load_as("cifar10", dir); });
  return 0;
}
