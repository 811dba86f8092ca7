// Dataset files built to mislead the loaders: symbolic link loops, images cut short or claiming
// absurd sizes, compressed files that inflate far beyond what their header announces.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <zlib.h>

#include <fstream>
#include <string>

#include "datasets/file_bytes.h"
#include "datasets/idx.h"
#include "datasets/image_codecs.h"
#include "datasets/registry.h"
#include "src/common/error.h"
#include "tests/support/image_codecs_skip.h"
#include "tests/support/temp_dir.h"

namespace lindiff {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::ThrowsMessage;
using testing::TempDir;

DatasetSpec folder_spec(const std::filesystem::path& path) {
  DatasetSpec spec;
  spec.name = "image_folder";
  spec.path = path.string();
  spec.test_fraction = 0.25;
  resolve_dataset_spec(spec, "", [](const std::string& key, const std::string& message) {
    throw ConfigError(key + ": " + message);
  });
  return spec;
}

void write_grey_png(const std::filesystem::path& path, int side, int value) {
  std::filesystem::create_directories(path.parent_path());
  write_png(Image8{side, side, 1, std::vector<std::uint8_t>(static_cast<std::size_t>(side) * side, static_cast<std::uint8_t>(value))},
            path);
}

std::string bytes_of(const std::filesystem::path& path) { return testing::read_text(path); }

TEST(HostileFolder, ASymbolicLinkLoopReadsEachImageOnce) {
  SKIP_WITHOUT_IMAGE_CODECS();
  TempDir dir;
  for (int i = 0; i < 8; ++i) write_grey_png(dir / "images" / "sub" / (std::to_string(i) + ".png"), 4, 10 * i);
  std::filesystem::create_directory_symlink("..", dir / "images" / "sub" / "loop");      // back up the tree
  std::filesystem::create_directory_symlink("sub", dir / "images" / "again");            // a second way in
  const Dataset data = load_dataset(folder_spec(dir / "images"));
  EXPECT_EQ(data.pool.rows() + data.test.rows(), 8);
}

TEST(HostileImage, APngCutShortIsRefusedByName) {
  SKIP_WITHOUT_IMAGE_CODECS();
  TempDir dir;
  write_grey_png(dir / "whole.png", 32, 7);
  const std::string whole = bytes_of(dir / "whole.png");
  testing::write_bytes(dir / "cut.png", whole.substr(0, whole.size() - 20));
  EXPECT_THAT([&] { decode_image_file(dir / "cut.png", false); },
              ThrowsMessage<DataError>(AllOf(HasSubstr("cut.png"), HasSubstr("truncated"))));
  EXPECT_EQ(decode_image_file(dir / "whole.png", false).width, 32);
}

TEST(HostileImage, APngHeaderClaimingTenGigapixelsIsRefusedBeforeDecoding) {
  SKIP_WITHOUT_IMAGE_CODECS();
  TempDir dir;
  write_grey_png(dir / "small.png", 4, 1);
  std::string bytes = bytes_of(dir / "small.png");
  const std::string side("\x00\x01\x86\xa0", 4);  // 100000, big-endian
  bytes.replace(16, 4, side);
  bytes.replace(20, 4, side);
  testing::write_bytes(dir / "huge.png", bytes);
  EXPECT_THAT([&] { decode_image_file(dir / "huge.png", false); },
              ThrowsMessage<DataError>(AllOf(HasSubstr("huge.png"), HasSubstr("100000 x 100000"))));
}

// A JPEG's markers by hand: SOI, a frame header (SOF0) of the given size, SOS, scan bytes.
std::string jpeg_bytes(int width, int height, bool with_end) {
  std::string bytes("\xFF\xD8", 2);
  bytes += std::string("\xFF\xC0\x00\x0B\x08", 5);
  bytes += static_cast<char>(height >> 8);
  bytes += static_cast<char>(height & 0xFF);
  bytes += static_cast<char>(width >> 8);
  bytes += static_cast<char>(width & 0xFF);
  bytes += std::string("\x01\x01\x11\x00", 4);
  bytes += std::string("\xFF\xDA\x00\x08\x01\x01\x00\x00\x3F\x00", 10);
  bytes += std::string(64, '\x55');
  if (with_end) bytes += std::string("\xFF\xD9", 2);
  return bytes;
}

TEST(HostileImage, AJpegWithoutItsEndMarkerIsRefusedNotFilledWithGrey) {
  EXPECT_THAT([&] { check_image_bytes([] { const std::string b = jpeg_bytes(16, 16, false); return std::vector<unsigned char>(b.begin(), b.end()); }(), "cut.jpg"); },
              ThrowsMessage<DataError>(AllOf(HasSubstr("cut.jpg"), HasSubstr("EOI"))));
  const std::string whole = jpeg_bytes(16, 16, true);
  EXPECT_NO_THROW(check_image_bytes(std::vector<unsigned char>(whole.begin(), whole.end()), "whole.jpg"));
  const std::string huge = jpeg_bytes(60000, 60000, true);
  EXPECT_THAT([&] { check_image_bytes(std::vector<unsigned char>(huge.begin(), huge.end()), "huge.jpg"); },
              ThrowsMessage<DataError>(AllOf(HasSubstr("huge.jpg"), HasSubstr("60000 x 60000"))));
}

TEST(HostileIdx, PlainTrailingBytesAreRefusedByTheFileSizeAlone) {
  TempDir dir;
  IdxArray array;
  array.dims = {2, 2, 2};
  array.data.assign(8, 3);
  write_idx(dir / "a.idx", array, false);
  {
    std::ofstream out(dir / "a.idx", std::ios::binary | std::ios::app);
    out << std::string(1000, 'x');
  }
  EXPECT_THAT([&] { read_idx(dir / "a.idx"); },
              ThrowsMessage<DataError>(AllOf(HasSubstr("a.idx"), HasSubstr("more than the 24 bytes its IDX header announces"))));
}

TEST(HostileIdx, AGzipThatInflatesFarBeyondItsHeaderStopsAfterTheAnnouncedBytes) {
  TempDir dir;
  // 20 bytes of IDX, then 64 MiB of zeros: a few hundred KiB compressed.
  gzFile file = gzopen((dir / "bomb.idx.gz").c_str(), "wb9");
  const std::string header("\x00\x00\x08\x03\x00\x00\x00\x02\x00\x00\x00\x02\x00\x00\x00\x02", 16);
  gzwrite(file, header.data(), static_cast<unsigned>(header.size()));
  const std::string zeros(1 << 20, '\0');
  for (int i = 0; i < 64; ++i) gzwrite(file, zeros.data(), static_cast<unsigned>(zeros.size()));
  gzclose(file);
  EXPECT_THAT([&] { read_idx(dir / "bomb.idx.gz"); },
              ThrowsMessage<DataError>(AllOf(HasSubstr("bomb.idx.gz"), HasSubstr("more than the 24 bytes"))));
  // The prefix reader reads what it is asked for, compressed or not.
  EXPECT_EQ(read_file_prefix(dir / "bomb.idx.gz", 4).size(), 4u);
}

}  // namespace
}  // namespace lindiff
