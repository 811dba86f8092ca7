// Owns image grids (examples, eigenvectors, samples): 8-bit tiles laid out in a grid and written
// as PNG; a build without image codecs (the lean GPU build) skips the files with one note.
#pragma once

#include <filesystem>
#include <vector>

#include "datasets/image.h"
#include "datasets/image_shape.h"
#include "src/common/matrix.h"

namespace lindiff {

// Tiles equally sized 8-bit images into `columns` columns with a `pad`-pixel white gap,
// each enlarged `zoom` times (nearest neighbour). Grey tiles are drawn in grey.
Image8 tile_images(const std::vector<Image8>& images, int columns, int zoom, int pad = 2);

// The rows of `rows` as images, mapping pixel values [lo, hi] to black..white.
std::vector<Image8> rows_as_images(const DataMatrix& rows, const ImageShape& shape, double lo, double hi);

// The columns of `vectors` (d x k) as images, each scaled symmetrically so that 0 is mid
// grey and its largest |entry| is black or white.
std::vector<Image8> vectors_as_images(const Matrix& vectors, const ImageShape& shape);

// A zoom that makes tiles of `shape` about 84 pixels wide.
int default_zoom(const ImageShape& shape);

// Writes the grid as a PNG; throws Error naming the path on failure (an empty grid included).
// Without image codecs it writes nothing and says so once on stderr.
void write_grid(const Image8& grid, const std::filesystem::path& path);

}  // namespace lindiff
