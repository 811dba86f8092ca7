// Fuzzes the image-folder loader: any bytes as a PNG and as a PGM beside a valid image
// (OpenCV decodes; lindiff must turn every failure into a named error).
#include <fstream>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include "tests/fuzz/fuzz_target.h"

namespace lindiff::fuzz {

std::vector<std::string> seeds() {
  std::vector<std::string> inputs;
  for (const char* extension : {".png", ".pgm", ".bmp"}) {
    std::vector<unsigned char> bytes;
    const bool grey_only = std::string(extension) == ".pgm";  // OpenCV's PGM encoder takes one channel
    cv::imencode(extension, cv::Mat(4, 4, grey_only ? CV_8UC1 : CV_8UC3, cv::Scalar(10, 200, 30)), bytes);
    inputs.emplace_back(bytes.begin(), bytes.end());
  }
  return inputs;
}

}  // namespace lindiff::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace lindiff;
  const std::filesystem::path dir = fuzz::scratch_path("images");
  std::filesystem::create_directories(dir);
  static const bool valid_written = cv::imwrite((dir / "a_valid.png").string(), cv::Mat(4, 4, CV_8UC1, cv::Scalar(7)));
  (void)valid_written;
  for (const char* name : {"b_input.png", "c_input.pgm"}) {
    std::ofstream(dir / name, std::ios::binary).write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  fuzz::expect_only_named_errors([&] { fuzz::load_as("image_folder", dir, {4, 4}); });
  return 0;
}
