// Owns image grids (examples, eigenvectors, samples) written as PNG through OpenCV.
#pragma once

#include <filesystem>
#include <vector>

#include <opencv2/core.hpp>

#include "datasets/image_shape.h"
#include "src/common/matrix.h"

namespace lindiff {

// Tiles equally sized 8-bit images into `columns` columns with a `pad`-pixel white gap,
// each enlarged `zoom` times (nearest neighbour). Grey tiles are drawn in grey.
cv::Mat tile_images(const std::vector<cv::Mat>& images, int columns, int zoom, int pad = 2);

// The rows of `rows` as images, mapping pixel values [lo, hi] to black..white.
std::vector<cv::Mat> rows_as_images(const DataMatrix& rows, const ImageShape& shape, double lo, double hi);

// The columns of `vectors` (d x k) as images, each scaled symmetrically so that 0 is mid
// grey and its largest |entry| is black or white.
std::vector<cv::Mat> vectors_as_images(const Matrix& vectors, const ImageShape& shape);

// A zoom that makes tiles of `shape` about 84 pixels wide.
int default_zoom(const ImageShape& shape);

// Writes a PNG; throws Error naming the path on failure.
void write_png(const cv::Mat& image, const std::filesystem::path& path);

}  // namespace lindiff
