#include "src/figures/image_grid.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

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
  std::vector<cv::Mat> tiles;
  for (int value : {0, 100, 200}) tiles.emplace_back(2, 3, CV_8UC1, cv::Scalar(value));
  const cv::Mat grid = tile_images(tiles, 2, 2, 1);
  EXPECT_EQ(grid.rows, 11);
  EXPECT_EQ(grid.cols, 15);
  EXPECT_EQ(grid.type(), CV_8UC1);
  EXPECT_EQ(grid.at<unsigned char>(0, 0), 255);   // top pad
  EXPECT_EQ(grid.at<unsigned char>(1, 1), 0);     // tile 0
  EXPECT_EQ(grid.at<unsigned char>(4, 6), 0);     // tile 0, last zoomed pixel
  EXPECT_EQ(grid.at<unsigned char>(1, 7), 255);   // gap between columns
  EXPECT_EQ(grid.at<unsigned char>(1, 8), 100);   // tile 1
  EXPECT_EQ(grid.at<unsigned char>(6, 1), 200);   // tile 2, second row
  EXPECT_EQ(grid.at<unsigned char>(6, 8), 255);   // the empty fourth cell
  EXPECT_TRUE(tile_images({}, 2, 2).empty());
}

// Values lo..hi map to 0..255; vectors are scaled so that 0 is mid grey and the peak |entry|
// black or white.
TEST(RowsAsImages, MapValuesToGreyLevels) {
  DataMatrix rows(1, 4);
  rows << -1.0f, 0.0f, 0.5f, 1.0f;
  const std::vector<cv::Mat> images = rows_as_images(rows, ImageShape{1, 2, 2}, -1.0, 1.0);
  ASSERT_EQ(images.size(), 1u);
  EXPECT_EQ(images[0].at<unsigned char>(0, 0), 0);
  EXPECT_EQ(images[0].at<unsigned char>(0, 1), 128);  // 127.5 rounds to 128
  EXPECT_EQ(images[0].at<unsigned char>(1, 0), 191);  // 191.25
  EXPECT_EQ(images[0].at<unsigned char>(1, 1), 255);
  Matrix vectors(4, 1);
  vectors << 0.0, -2.0, 1.0, 2.0;
  const std::vector<cv::Mat> modes = vectors_as_images(vectors, ImageShape{1, 2, 2});
  ASSERT_EQ(modes.size(), 1u);
  EXPECT_EQ(modes[0].at<unsigned char>(0, 1), 0);
  EXPECT_EQ(modes[0].at<unsigned char>(1, 1), 255);
  EXPECT_EQ(modes[0].at<unsigned char>(1, 0), 191);
}

TEST(DefaultZoom, TilesAboutEightyFourPixelsWide) {
  EXPECT_EQ(default_zoom(ImageShape{1, 28, 28}), 3);
  EXPECT_EQ(default_zoom(ImageShape{3, 32, 32}), 2);
  EXPECT_EQ(default_zoom(ImageShape{1, 200, 200}), 1);
}

TEST(WritePng, FailureNamesThePath) {
  TempDir dir;
  write_png(cv::Mat(2, 2, CV_8UC1, cv::Scalar(7)), dir / "a.png");
  EXPECT_TRUE(std::filesystem::exists(dir / "a.png"));
  EXPECT_THAT([&] { write_png(cv::Mat(), dir / "empty.png"); }, ThrowsMessage<Error>(HasSubstr("empty.png")));
}

}  // namespace
}  // namespace lindiff
