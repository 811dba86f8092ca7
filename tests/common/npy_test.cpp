#include "src/common/npy.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <vector>

#include "src/common/error.h"
#include "src/common/subprocess.h"
#include "tests/support/temp_dir.h"

namespace lindiff {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::ThrowsMessage;

void write_bytes(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

// The header NumPy 1.24 writes for np.save(path, np.zeros((2, 3), np.float32)): magic, version
// 1.0, length 118 (0x76), the dict padded with spaces to 127 bytes, a newline; 128 in all.
TEST(Npy, HeaderIsNumPysByteForByte) {
  const std::string dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
  const std::string want = std::string("\x93NUMPY\x01\x00\x76\x00", 10) + dict + std::string(117 - dict.size(), ' ') + "\n";
  EXPECT_EQ(npy_header(NpyType::kFloat32, {2, 3}), want);
  EXPECT_EQ(npy_header(NpyType::kFloat32, {2, 3}).size(), 128u);
  EXPECT_THAT(npy_header(NpyType::kInt64, {5}), HasSubstr("'descr': '<i8', 'fortran_order': False, 'shape': (5,), }"));
  EXPECT_THAT(npy_header(NpyType::kFloat64, {}), HasSubstr("'shape': (), }"));
  for (const auto& shape : std::vector<std::vector<std::int64_t>>{{}, {1}, {7, 1, 28, 28}, {123456789, 2}}) {
    EXPECT_EQ(npy_header(NpyType::kUInt8, shape).size() % 64, 0u);
  }
}

TEST(Npy, WrittenArraysReadBackExactly) {
  testing::TempDir dir;
  const std::vector<double> values = {1.5, -2.25, 3e-300, 4e300, 0.0, -0.0};
  write_npy(dir / "a.npy", NpyType::kFloat64, {3, 2}, values.data());
  const NpyArray read = read_npy(dir / "a.npy");
  EXPECT_EQ(read.type, NpyType::kFloat64);
  EXPECT_EQ(read.shape, (std::vector<std::int64_t>{3, 2}));
  ASSERT_EQ(read.bytes.size(), values.size() * sizeof(double));
  EXPECT_EQ(std::memcmp(read.bytes.data(), values.data(), read.bytes.size()), 0);

  const std::vector<std::uint8_t> pixels = {0, 255, 7};
  write_npy(dir / "p.npy", NpyType::kUInt8, {3}, pixels.data());
  EXPECT_EQ(read_npy(dir / "p.npy").shape, (std::vector<std::int64_t>{3}));
  write_npy(dir / "empty.npy", NpyType::kFloat32, {0, 4}, nullptr);
  EXPECT_EQ(read_npy(dir / "empty.npy").elements(), 0);
}

TEST(Npy, BrokenFilesAreRefusedByNameAndReason) {
  testing::TempDir dir;
  const auto refused = [&](const std::string& name, const std::string& bytes, const std::string& reason) {
    write_bytes(dir / name, bytes);
    EXPECT_THAT([&] { read_npy(dir / name); },
                ThrowsMessage<DataError>(AllOf(HasSubstr((dir / name).string()), HasSubstr(reason))))
        << name;
  };
  refused("text.npy", "just some text, not numpy", "magic");
  const std::string good = npy_header(NpyType::kFloat32, {2, 3}) + std::string(24, '\0');
  refused("short.npy", good.substr(0, good.size() - 4), "needs 24 data bytes, the file holds 20");
  refused("long.npy", good + "xx", "the file holds 26");
  std::string fortran = good;
  fortran.replace(fortran.find("False"), 5, "True ");
  refused("fortran.npy", fortran, "Fortran order");
  std::string big = good;
  big.replace(big.find("<f4"), 3, ">f4");
  refused("big.npy", big, "'>f4' is not one of");
  std::string version = good;
  version[6] = '\x09';
  refused("version.npy", version, "format version 9");
  refused("cut.npy", good.substr(0, 40), "cut short");
  std::string huge = npy_header(NpyType::kFloat64, {4611686018427387904LL, 4}) + std::string(8, '\0');  // 2^62 x 4 x 8 bytes wraps to 0
  refused("huge.npy", huge, "overflows 64 bits");
  std::string wide = good;
  wide.replace(wide.find("(2, 3)"), 6, "(99999999999999999999, 3)");
  refused("wide.npy", wide, "beyond 64 bits");
  EXPECT_THAT([&] { read_npy(dir / "absent.npy"); }, ThrowsMessage<DataError>(HasSubstr("cannot be opened")));
}

// NumPy itself reads lindiff's file and writes one lindiff reads (skipped without NumPy).
TEST(Npy, NumPyReadsAndWritesTheSameArrays) {
  const std::string python = "/usr/bin/python3";
  testing::TempDir dir;
  if (!std::filesystem::exists(python) || run_program({python, "-c", "import numpy"}, dir.path(), dir / "err.txt") != 0) {
    GTEST_SKIP() << "NumPy not installed for " << python;
  }
  const std::vector<float> values = {0.5f, -1.0f, 2.0f, 3.25f, 1e-38f, 7.0f};
  write_npy(dir / "ours.npy", NpyType::kFloat32, {1, 2, 3}, values.data());
  const std::string script =
      "import numpy as np\n"
      "a = np.load('ours.npy')\n"
      "assert a.dtype == np.float32 and a.shape == (1, 2, 3), (a.dtype, a.shape)\n"
      "assert (a.ravel() == np.array([0.5, -1, 2, 3.25, 1e-38, 7], np.float32)).all(), a\n"
      "np.save('theirs.npy', np.arange(12, dtype=np.int64).reshape(3, 4))\n";
  ASSERT_EQ(run_program({python, "-c", script}, dir.path(), dir / "err.txt"), 0);
  const NpyArray theirs = read_npy(dir / "theirs.npy");
  EXPECT_EQ(theirs.type, NpyType::kInt64);
  EXPECT_EQ(theirs.shape, (std::vector<std::int64_t>{3, 4}));
  std::vector<std::int64_t> read(12);
  std::memcpy(read.data(), theirs.bytes.data(), theirs.bytes.size());
  for (std::int64_t i = 0; i < 12; ++i) EXPECT_EQ(read[static_cast<std::size_t>(i)], i);
}

}  // namespace
}  // namespace lindiff
