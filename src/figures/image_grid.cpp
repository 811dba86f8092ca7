#include "src/figures/image_grid.h"

#include <algorithm>
#include <atomic>
#include <cstdio>

#include "datasets/image_codecs.h"
#include "datasets/preprocess.h"
#include "src/common/error.h"

namespace lindiff {

Image8 tile_images(const std::vector<Image8>& images, int columns, int zoom, int pad) {
  if (images.empty()) return Image8{0, 0, 1, {}};
  const int rows = (static_cast<int>(images.size()) + columns - 1) / columns;
  const int h = images[0].height * zoom, w = images[0].width * zoom, channels = images[0].channels;
  Image8 grid{pad + rows * (h + pad), pad + columns * (w + pad), channels, {}};
  grid.bytes.assign(static_cast<std::size_t>(grid.height) * grid.width * channels, 255);
  for (std::size_t i = 0; i < images.size(); ++i) {
    const int top = pad + static_cast<int>(i) / columns * (h + pad), left = pad + static_cast<int>(i) % columns * (w + pad);
    for (int r = 0; r < h; ++r) {
      for (int c = 0; c < w; ++c) {
        for (int k = 0; k < channels; ++k) grid.at(top + r, left + c, k) = images[i].at(r / zoom, c / zoom, k);
      }
    }
  }
  return grid;
}

std::vector<Image8> rows_as_images(const DataMatrix& rows, const ImageShape& shape, double lo, double hi) {
  std::vector<Image8> images;
  for (Index i = 0; i < rows.rows(); ++i) images.push_back(row_to_image(rows.row(i).data(), shape, lo, hi));
  return images;
}

std::vector<Image8> vectors_as_images(const Matrix& vectors, const ImageShape& shape) {
  std::vector<Image8> images;
  for (Index k = 0; k < vectors.cols(); ++k) {
    const double peak = std::max(vectors.col(k).cwiseAbs().maxCoeff(), 1e-300);
    Eigen::VectorXf column = vectors.col(k).cast<float>();
    images.push_back(row_to_image(column.data(), shape, -peak, peak));
  }
  return images;
}

int default_zoom(const ImageShape& shape) { return std::max(1, 84 / std::max(1, shape.width)); }

void write_grid(const Image8& grid, const std::filesystem::path& path) {
  if (!image_codecs_available()) {
    static std::atomic<bool> said{false};
    if (!said.exchange(true)) {
      std::fprintf(stderr, "note: this build has no image codecs (built without OpenCV); image grids such as %s "
                           "are not written\n", path.filename().c_str());
    }
    return;
  }
  if (grid.bytes.empty()) throw Error(ExitCode::kFailure, "cannot write image '" + path.string() + "': it is empty");
  write_png(grid, path);
}

}  // namespace lindiff
