#include "src/figures/image_grid.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "datasets/image_codecs.h"
#include "src/common/error.h"
#include "tests/support/temp_dir.h"

namespace lindiff {
namespace {

using ::testing::HasSubstr;
using ::testing::ThrowsMessage;
using testing::TempDir;

// Three 2x3 tiles in two columns, zoom 2, pad 1: 2 rows of (4 + 1) plus 1 = 11 high and
// 2 columns of (6 + 1) plus 1 = 15 wide; the gaps stay white.
TEST(TileImages, GridSizeZoomAndWhiteGaps) {
  std::vector<Image8> tiles;
  for (int value : {0, 100, 200}) tiles.push_back(Image8{2, 3, 1, std::vector<std::uint8_t>(6, value)});
  const Image8 grid = tile_images(tiles, 2, 2, 1);
  EXPECT_EQ(grid.height, 11);
  EXPECT_EQ(grid.width, 15);
  EXPECT_EQ(grid.channels, 1);
  EXPECT_EQ(grid.at(0, 0, 0), 255);   // top pad
  EXPECT_EQ(grid.at(1, 1, 0), 0);     // tile 0
  EXPECT_EQ(grid.at(4, 6, 0), 0);     // tile 0, last zoomed pixel
  EXPECT_EQ(grid.at(1, 7, 0), 255);   // gap between columns
  EXPECT_EQ(grid.at(1, 8, 0), 100);   // tile 1
  EXPECT_EQ(grid.at(6, 1, 0), 200);   // tile 2, second row
  EXPECT_EQ(grid.at(6, 8, 0), 255);   // the empty fourth cell
  EXPECT_TRUE(tile_images({}, 2, 2).bytes.empty());
}

// Values lo..hi map to 0..255; vectors are scaled so that 0 is mid grey and the peak |entry|
// black or white.
TEST(RowsAsImages, MapValuesToGreyLevels) {
  DataMatrix rows(1, 4);
  rows << -1.0f, 0.0f, 0.5f, 1.0f;
  const std::vector<Image8> images = rows_as_images(rows, ImageShape{1, 2, 2}, -1.0, 1.0);
  ASSERT_EQ(images.size(), 1u);
  EXPECT_EQ(images[0].at(0, 0, 0), 0);
  EXPECT_EQ(images[0].at(0, 1, 0), 128);  // 127.5 rounds to even, 128
  EXPECT_EQ(images[0].at(1, 0, 0), 191);  // 191.25
  EXPECT_EQ(images[0].at(1, 1, 0), 255);
  Matrix vectors(4, 1);
  vectors << 0.0, -2.0, 1.0, 2.0;
  const std::vector<Image8> modes = vectors_as_images(vectors, ImageShape{1, 2, 2});
  ASSERT_EQ(modes.size(), 1u);
  EXPECT_EQ(modes[0].at(0, 1, 0), 0);
  EXPECT_EQ(modes[0].at(1, 1, 0), 255);
  EXPECT_EQ(modes[0].at(1, 0, 0), 191);
}

TEST(DefaultZoom, TilesAboutEightyFourPixelsWide) {
  EXPECT_EQ(default_zoom(ImageShape{1, 28, 28}), 3);
  EXPECT_EQ(default_zoom(ImageShape{3, 32, 32}), 2);
  EXPECT_EQ(default_zoom(ImageShape{1, 200, 200}), 1);
}

// Colour rows are channel planes (R, G, B); the grid keeps them as RGB pixels.
TEST(RowsAsImages, ColourPlanesBecomeRgbPixels) {
  DataMatrix row(1, 6);
  row << 1.0f, 0.0f, 0.0f, 1.0f, 0.0f, 0.0f;  // R plane (1, 0), G plane (0, 1), B plane (0, 0)
  const Image8 image = rows_as_images(row, ImageShape{3, 1, 2}, 0.0, 1.0).front();
  EXPECT_EQ(image.bytes, (std::vector<std::uint8_t>{255, 0, 0, 0, 255, 0}));
}

TEST(WriteGrid, WritesPngOrSaysWhyNotAndNamesAFailingPath) {
  TempDir dir;
  write_grid(Image8{2, 2, 1, std::vector<std::uint8_t>(4, 7)}, dir / "a.png");
  EXPECT_EQ(std::filesystem::exists(dir / "a.png"), image_codecs_available());
  if (!image_codecs_available()) return;
  EXPECT_THAT([&] { write_grid(Image8{}, dir / "empty.png"); }, ThrowsMessage<Error>(HasSubstr("empty.png")));
  EXPECT_THAT([&] { write_grid(Image8{2, 2, 1, std::vector<std::uint8_t>(4, 7)}, dir / "missing" / "b.png"); },
              ThrowsMessage<Error>(HasSubstr("b.png")));
}

}  // namespace
}  // namespace lindiff
