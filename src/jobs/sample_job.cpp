#include "src/jobs/sample_job.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include "src/common/error.h"
#include "src/config/settings.h"
#include "src/diffusion/sampler.h"
#include "src/tensors/tensor_bridge.h"
#include "src/figures/image_grid.h"
#include "src/tensors/device.h"
#include "src/denoisers/registry.h"

namespace lindiff {

namespace {

constexpr std::int64_t kMaxGridSamples = 256;

}  // namespace

void run_sample_command(const std::string& checkpoint, std::int64_t count, std::uint64_t seed, std::string out_dir) {
  const std::filesystem::path path(checkpoint);
  const std::filesystem::path meta_path = path.parent_path() / "cell.json";
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) throw DataError("checkpoint '" + checkpoint + "' does not exist");
  // What cell.json says, each field checked: a corrupt or hand-edited file is named (exit 4).
  std::optional<ExperimentConfig> config;
  std::optional<Objective> objective;
  const DenoiserKind* kind = nullptr;
  ImageShape shape;
  double c = 0;
  std::int64_t cell_seed = 0;
  try {
    std::ifstream in(meta_path);
    const nlohmann::json meta = nlohmann::json::parse(in);
    config = load_config_text(meta.at("config").get<std::string>(), meta_path.string());
    const nlohmann::json& cell = meta.at("cell");
    shape = ImageShape{meta.at("shape").at(0).get<int>(), meta.at("shape").at(1).get<int>(), meta.at("shape").at(2).get<int>()};
    objective = parse_enum<Objective>(cell.at("objective").get<std::string>());
    if (!objective) {
      throw DataError("'" + meta_path.string() + "' names the objective '" + cell.at("objective").get<std::string>() +
                      "' (valid: " + enum_choices<Objective>() + ")");
    }
    kind = &find_denoiser_kind(cell.at("model").get<std::string>(), meta_path.string() + ": cell.model");
    c = cell.at("c").get<double>();
    cell_seed = cell.at("seed").get<std::int64_t>();
  } catch (const nlohmann::json::exception& e) {
    throw DataError("'" + meta_path.string() + "' (written next to every checkpoint by lindiff train/run) is missing, "
                    "unreadable or incomplete: " + e.what());
  } catch (const ConfigError& e) {
    throw DataError(std::string("the config recorded in ") + e.what());
  }
  if (!kind->trainable()) throw DataError("'" + meta_path.string() + "' names the analytic denoiser '" + kind->name + "'");
  if (shape.channels < 1 || shape.channels > 4 || shape.height < 1 || shape.width < 1 || shape.height > 4096 ||
      shape.width > 4096) {
    throw DataError("'" + meta_path.string() + "' records the image shape " + shape.to_string() +
                    " (valid: 1-4 channels, 1-4096 pixels a side)");
  }
  const Schedule schedule = make_schedule(config->theory);
  check_device(config->training.device);
  // The bias is a module buffer: the checkpoint restores it.
  const TrainableModel model =
      kind->build(ModelInputs{config->training, *objective, c, cell_seed, shape, schedule, torch::zeros({shape.size()})});
  load_module_state(*model.module, checkpoint);
  if (count <= 0) count = 64;
  constexpr double kMaxSampleBytes = 4.0 * (1ull << 30);
  if (static_cast<double>(count) * static_cast<double>(shape.size()) * sizeof(float) > kMaxSampleBytes) {
    throw ResourceError("--count " + std::to_string(count) + " samples of d = " + std::to_string(shape.size()) +
                        " would take more than 4 GiB; lower --count (at most " +
                        std::to_string(static_cast<std::int64_t>(kMaxSampleBytes / (sizeof(float) * shape.size()))) +
                        " here) and draw the rest with other --seed values");
  }
  const SamplerOptions options{config->theory.final_noise, 1024, seed};
  const at::Tensor samples = ddpm_sample(*model.denoiser, schedule, count, shape.size(), options).contiguous();
  if (out_dir.empty()) {
    out_dir = (path.parent_path() / ("samples_" + path.stem().string() + "_seed" + std::to_string(seed))).string();
  }
  std::filesystem::create_directories(out_dir);
  save_tensor(samples, std::filesystem::path(out_dir) / "samples.pt");
  // The grid shows at most the first 256 samples (16 x 16 tiles): a picture of 10^5 would be
  // gigabytes; samples.pt holds them all.
  const DataMatrix rows = to_data_matrix(samples.slice(0, 0, std::min<std::int64_t>(count, kMaxGridSamples)));
  write_grid(tile_images(rows_as_images(rows, shape, rows.minCoeff(), rows.maxCoeff()), 8, default_zoom(shape)),
            std::filesystem::path(out_dir) / "grid.png");
  std::fprintf(stderr, "%lld samples of %s in %s\n", static_cast<long long>(count),
               path.parent_path().filename().c_str(), out_dir.c_str());
}

}  // namespace lindiff
