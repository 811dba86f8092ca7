#include "datasets/idx.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstring>

#include "src/common/error.h"
#include "tests/support/temp_dir.h"

namespace lindiff {
namespace {

using ::testing::AllOfArray;
using ::testing::HasSubstr;
using ::testing::ThrowsMessage;
using testing::TempDir;

template <class T>
IdxArray make_array(IdxType type, std::vector<std::int64_t> dims, const std::vector<T>& values) {
  IdxArray array;
  array.type = type;
  array.dims = std::move(dims);
  array.data.resize(values.size() * sizeof(T));
  std::memcpy(array.data.data(), values.data(), array.data.size());
  return array;
}

// Expects `call` to throw DataError whose message contains every fragment.
template <class F>
void expect_data_error(F call, const std::vector<std::string>& fragments) {
  std::vector<::testing::Matcher<std::string>> contains;
  for (const auto& fragment : fragments) contains.push_back(HasSubstr(fragment));
  EXPECT_THAT(call, ThrowsMessage<DataError>(AllOfArray(contains)));
}

class IdxRoundTrip : public ::testing::TestWithParam<bool> {};

TEST_P(IdxRoundTrip, Uint8ImagesPlainAndGzip) {
  TempDir dir;
  const auto path = dir / "images.idx";
  const std::vector<std::uint8_t> pixels = {0, 1, 2, 3, 250, 251, 252, 255};
  write_idx(path, make_array(IdxType::kUint8, {2, 2, 2}, pixels), GetParam());
  const IdxArray read = read_idx(path);
  EXPECT_EQ(read.dims, (std::vector<std::int64_t>{2, 2, 2}));
  EXPECT_EQ(read.count(), 2);
  const RawImage second = read.item(1);
  EXPECT_EQ(second.type, PixelType::kUint8);
  EXPECT_EQ(second.channels, 1);
  EXPECT_EQ(second.values, (std::vector<double>{250, 251, 252, 255}));
}

INSTANTIATE_TEST_SUITE_P(PlainAndGzip, IdxRoundTrip, ::testing::Bool());

TEST(Idx, EveryElementTypeReadsBackInHostOrder) {
  TempDir dir;
  {
    write_idx(dir / "i16", make_array<std::int16_t>(IdxType::kInt16, {1, 1, 3}, {-300, 0, 30000}), false);
    const RawImage m = read_idx(dir / "i16").item(0);
    EXPECT_EQ(m.type, PixelType::kInt16);
    EXPECT_EQ(m.values, (std::vector<double>{-300, 0, 30000}));
  }
  {
    write_idx(dir / "i32", make_array<std::int32_t>(IdxType::kInt32, {3}, {-7, 70000, 2}), true);
    const IdxArray labels = read_idx(dir / "i32");
    EXPECT_EQ(labels.label(0), -7);
    EXPECT_EQ(labels.label(1), 70000);
  }
  {
    write_idx(dir / "f32", make_array<float>(IdxType::kFloat32, {2, 2}, {0.25f, -1.5f, 3.0f, 1e-3f}), false);
    const RawImage m = read_idx(dir / "f32").item(1);  // [N, D] gives 1 x D
    EXPECT_EQ(m.type, PixelType::kFloat32);
    EXPECT_EQ(m.height, 1);
    EXPECT_EQ(m.width, 2);
    EXPECT_EQ(m.values, (std::vector<double>{3.0, static_cast<double>(1e-3f)}));
  }
  {
    write_idx(dir / "f64", make_array<double>(IdxType::kFloat64, {1, 1, 1, 2}, {0.1, -2.5}), true);
    const RawImage m = read_idx(dir / "f64").item(0);  // [N, H, W, C]
    EXPECT_EQ(m.type, PixelType::kFloat64);
    EXPECT_EQ(m.channels, 2);
    EXPECT_EQ(m.values, (std::vector<double>{0.1, -2.5}));
  }
  {
    write_idx(dir / "i8", make_array<std::int8_t>(IdxType::kInt8, {2}, {-128, 127}), false);
    EXPECT_EQ(read_idx(dir / "i8").label(0), -128);
  }
}

TEST(Idx, BadMagicNumberNamesFileAndValidMagic) {
  TempDir dir;
  testing::write_bytes(dir / "bad.idx", std::string("\x01\x02\x08\x03", 4) + std::string(12, '\0'));
  expect_data_error([&] { read_idx(dir / "bad.idx"); }, {"bad.idx", "magic", "01 02 08 03"});
  testing::write_bytes(dir / "type.idx", std::string("\x00\x00\x07\x01", 4) + std::string(4, '\0'));
  expect_data_error([&] { read_idx(dir / "type.idx"); }, {"type.idx", "magic"});
}

TEST(Idx, TruncatedAndOverlongFilesAreRejected) {
  TempDir dir;
  write_idx(dir / "a.idx", make_array<std::uint8_t>(IdxType::kUint8, {4, 2, 2}, std::vector<std::uint8_t>(16, 9)),
            false);
  testing::truncate_file(dir / "a.idx", 4 + 12 + 10);
  expect_data_error([&] { read_idx(dir / "a.idx"); }, {"a.idx", "10 data bytes", "16", "truncated"});
  testing::truncate_file(dir / "a.idx", 6);
  expect_data_error([&] { read_idx(dir / "a.idx"); }, {"a.idx", "header"});
  testing::write_bytes(dir / "b.idx", std::string("\x00\x00\x08\x01\x00\x00\x00\x02", 8) + "abc");
  expect_data_error([&] { read_idx(dir / "b.idx"); }, {"b.idx", "trailing"});
  testing::write_bytes(dir / "tiny.idx", "ab");
  expect_data_error([&] { read_idx(dir / "tiny.idx"); }, {"tiny.idx", "2 bytes"});
}

TEST(Idx, HostileHeaderSizesAreRefusedBeforeAnyAllocation) {
  TempDir dir;
  // 2^31 - 1 cubed overflows 64 bits; 2^31 x 2^31 x 2^31 once wrapped to 0 and passed.
  testing::write_bytes(dir / "huge.idx", std::string("\x00\x00\x08\x03\x7f\xff\xff\xff\x7f\xff\xff\xff\x7f\xff\xff\xff", 16));
  expect_data_error([&] { read_idx(dir / "huge.idx"); }, {"huge.idx", "0 data bytes", "more than the file holds"});
  testing::write_bytes(dir / "wrap.idx", std::string("\x00\x00\x0e\x03\x80\x00\x00\x00\x80\x00\x00\x00\x80\x00\x00\x00", 16));
  expect_data_error([&] { read_idx(dir / "wrap.idx"); }, {"wrap.idx", "2147483648", "1 .. 2^31 - 1"});
  testing::write_bytes(dir / "zero.idx", std::string("\x00\x00\x08\x02\x00\x00\x00\x00\x00\x00\x00\x05", 12));
  expect_data_error([&] { read_idx(dir / "zero.idx"); }, {"zero.idx", "dimension 1 is 0"});
}

// An item of any channel count holds exactly its values (513 once overran OpenCV's channel
// limit); the image sources refuse channel counts other than 1 and 3 by name.
TEST(Idx, ItemsOfAnyChannelCountHoldExactlyTheirValues) {
  std::vector<std::uint8_t> values(2 * 513);
  for (std::size_t i = 0; i < values.size(); ++i) values[i] = static_cast<std::uint8_t>(i % 251);
  const IdxArray array = make_array<std::uint8_t>(IdxType::kUint8, {2, 1, 1, 513}, values);
  const RawImage second = array.item(1);
  EXPECT_EQ(second.channels, 513);
  ASSERT_EQ(second.values.size(), 513u);
  EXPECT_EQ(second.values.front(), 513 % 251);
  EXPECT_EQ(second.values.back(), (2 * 513 - 1) % 251);
  expect_data_error([&] { array.item(2); }, {"item 2"});
}

TEST(Idx, CorruptAndTruncatedGzipAreRejected) {
  TempDir dir;
  std::vector<std::uint8_t> pixels(4000);
  for (std::size_t i = 0; i < pixels.size(); ++i) pixels[i] = static_cast<std::uint8_t>((i * 7919) % 251);
  write_idx(dir / "c.idx.gz", make_array(IdxType::kUint8, {10, 20, 20}, pixels), true);
  const auto size = std::filesystem::file_size(dir / "c.idx.gz");
  testing::truncate_file(dir / "c.idx.gz", size / 2);
  expect_data_error([&] { read_idx(dir / "c.idx.gz"); }, {"c.idx.gz", "gzip"});

  testing::write_bytes(dir / "d.idx.gz", std::string("\x1f\x8b\x08\x00", 4) + std::string(40, 'x'));
  expect_data_error([&] { read_idx(dir / "d.idx.gz"); }, {"d.idx.gz"});
}

TEST(Idx, MissingFileIsADataErrorNamingThePath) {
  expect_data_error([] { read_idx("/nonexistent/train-images-idx3-ubyte.gz"); },
                    {"/nonexistent/train-images-idx3-ubyte.gz", "does not exist"});
}

}  // namespace
}  // namespace lindiff
