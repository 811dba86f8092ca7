#include "src/figures/image_grid.h"

#include <algorithm>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "datasets/preprocess.h"
#include "src/common/error.h"

namespace lindiff {

cv::Mat tile_images(const std::vector<cv::Mat>& images, int columns, int zoom, int pad) {
  if (images.empty()) return cv::Mat();
  const int rows = (static_cast<int>(images.size()) + columns - 1) / columns;
  const int h = images[0].rows * zoom, w = images[0].cols * zoom;
  cv::Mat grid(pad + rows * (h + pad), pad + columns * (w + pad), images[0].type(), cv::Scalar::all(255));
  for (std::size_t i = 0; i < images.size(); ++i) {
    cv::Mat big;
    cv::resize(images[i], big, cv::Size(w, h), 0, 0, cv::INTER_NEAREST);
    const int r = static_cast<int>(i) / columns, c = static_cast<int>(i) % columns;
    big.copyTo(grid(cv::Rect(pad + c * (w + pad), pad + r * (h + pad), w, h)));
  }
  return grid;
}

std::vector<cv::Mat> rows_as_images(const DataMatrix& rows, const ImageShape& shape, double lo, double hi) {
  std::vector<cv::Mat> images;
  for (Index i = 0; i < rows.rows(); ++i) images.push_back(row_to_image(rows.row(i).data(), shape, lo, hi));
  return images;
}

std::vector<cv::Mat> vectors_as_images(const Matrix& vectors, const ImageShape& shape) {
  std::vector<cv::Mat> images;
  for (Index k = 0; k < vectors.cols(); ++k) {
    const double peak = std::max(vectors.col(k).cwiseAbs().maxCoeff(), 1e-300);
    Eigen::VectorXf column = vectors.col(k).cast<float>();
    images.push_back(row_to_image(column.data(), shape, -peak, peak));
  }
  return images;
}

int default_zoom(const ImageShape& shape) { return std::max(1, 84 / std::max(1, shape.width)); }

void write_png(const cv::Mat& image, const std::filesystem::path& path) {
  if (image.empty() || !cv::imwrite(path.string(), image)) {
    throw Error(ExitCode::kFailure, "cannot write image '" + path.string() + "'");
  }
}

}  // namespace lindiff
