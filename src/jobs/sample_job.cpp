#include "src/jobs/sample_job.h"

#include <cstdio>
#include <filesystem>
#include <fstream>

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

void run_sample_command(const std::string& checkpoint, std::int64_t count, std::uint64_t seed, std::string out_dir) {
  const std::filesystem::path path(checkpoint);
  const std::filesystem::path meta_path = path.parent_path() / "cell.json";
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) throw DataError("checkpoint '" + checkpoint + "' does not exist");
  nlohmann::json meta;
  try {
    std::ifstream in(meta_path);
    meta = nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    throw DataError("'" + meta_path.string() + "' (written next to every checkpoint by lindiff train/run) is missing "
                    "or unreadable: " + e.what());
  }
  const ExperimentConfig config = load_config_text(meta.at("config").get<std::string>(), meta_path.string());
  const nlohmann::json& cell = meta.at("cell");
  const ImageShape shape{meta["shape"][0].get<int>(), meta["shape"][1].get<int>(), meta["shape"][2].get<int>()};
  const std::optional<Objective> objective = parse_enum<Objective>(cell.at("objective").get<std::string>());
  if (!objective) {
    throw DataError("'" + meta_path.string() + "' names the objective '" + cell.at("objective").get<std::string>() +
                    "' (valid: " + enum_choices<Objective>() + ")");
  }
  const DenoiserKind& kind = find_denoiser_kind(cell.at("model").get<std::string>(), meta_path.string() + ": cell.model");
  if (!kind.trainable()) throw DataError("'" + meta_path.string() + "' names the analytic denoiser '" + kind.name + "'");
  const Schedule schedule = make_schedule(config.theory);
  check_device(config.training.device);
  // The bias is a module buffer: the checkpoint restores it.
  const TrainableModel model = kind.build(ModelInputs{config.training, *objective, cell.at("c").get<double>(),
                                                      cell.at("seed").get<std::int64_t>(), shape, schedule,
                                                      torch::zeros({shape.size()})});
  load_module_state(*model.module, checkpoint);
  if (count <= 0) count = 64;
  const SamplerOptions options{config.theory.final_noise, 1024, seed};
  const at::Tensor samples = ddpm_sample(*model.denoiser, schedule, count, shape.size(), options).contiguous();
  if (out_dir.empty()) {
    out_dir = (path.parent_path() / ("samples_" + path.stem().string() + "_seed" + std::to_string(seed))).string();
  }
  std::filesystem::create_directories(out_dir);
  torch::save(samples, (std::filesystem::path(out_dir) / "samples.pt").string());
  const DataMatrix rows = to_data_matrix(samples);
  write_grid(tile_images(rows_as_images(rows, shape, rows.minCoeff(), rows.maxCoeff()), 8, default_zoom(shape)),
            std::filesystem::path(out_dir) / "grid.png");
  std::fprintf(stderr, "%lld samples of %s in %s\n", static_cast<long long>(count),
               path.parent_path().filename().c_str(), out_dir.c_str());
}

}  // namespace lindiff
