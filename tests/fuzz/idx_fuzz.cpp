// Fuzzes the IDX reader and the image loader behind it: any bytes as an IDX file (hostile
// header sizes, channel counts, element types, NaN), loaded as a dataset.
#include <fstream>

#include "datasets/idx.h"
#include "tests/fuzz/fuzz_target.h"

namespace lindiff::fuzz {

std::vector<std::string> seeds() {
  std::vector<std::string> inputs;
  const std::filesystem::path path = scratch_path("seed.idx");
  for (const auto& [type, dims] : std::vector<std::pair<IdxType, std::vector<std::int64_t>>>{
           {IdxType::kUint8, {4, 3, 3}}, {IdxType::kFloat32, {5, 2}}, {IdxType::kUint8, {2, 2, 2, 3}},
           {IdxType::kInt16, {3, 2, 2}}, {IdxType::kFloat64, {2, 1, 2, 1}}}) {
    IdxArray array;
    array.type = type;
    array.dims = dims;
    std::int64_t count = 1;
    for (std::int64_t dim : dims) count *= dim;
    array.data.assign(static_cast<std::size_t>(count * array.element_size()), 0x3f);
    write_idx(path, array, false);
    std::ifstream in(path, std::ios::binary);
    inputs.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  return inputs;
}

}  // namespace lindiff::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace lindiff;
  const std::filesystem::path path = fuzz::scratch_path("input.idx");
  std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  fuzz::expect_only_named_errors([&] { fuzz::load_as("idx", path); });
  return 0;
}
