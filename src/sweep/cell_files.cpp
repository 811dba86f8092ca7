#include "src/sweep/cell_files.h"

#include <cstdint>
#include <cstdio>

#include "src/common/atomic_file.h"
#include "src/common/error.h"
#include "src/report/run_folder.h"
#include "src/theory/eigen_system.h"

namespace lindiff {

CellFiles::CellFiles(const std::filesystem::path& run_dir, const std::string& id, const std::string& fingerprint)
    : checkpoints_(path_inside(run_dir, "checkpoints/" + id + "_" + fingerprint.substr(0, 8))),
      samples_(path_inside(run_dir, "samples/" + id + "_" + fingerprint.substr(0, 8))) {}

FileLock CellFiles::lock() const {
  std::filesystem::create_directories(checkpoints_.parent_path());
  std::filesystem::path path = checkpoints_;
  path += ".lock";
  return FileLock::acquire(path, [&] {
    std::fprintf(stderr, "waiting: another run sharing this folder is training %s\n", checkpoints_.filename().c_str());
  });
}

bool CellFiles::started() const {
  std::error_code ec;
  if (std::filesystem::exists(meta(), ec)) return true;
  std::filesystem::remove_all(checkpoints_, ec);
  return false;
}

void CellFiles::write_meta(const nlohmann::json& meta_json) const {
  std::filesystem::create_directories(checkpoints_);
  std::filesystem::create_directories(samples_);
  write_file_atomically(meta(), meta_json.dump(2) + "\n");
}

std::string cell_fingerprint(const ExperimentConfig& config, const DatasetSpec& spec, const DenoiserKind& kind) {
  ExperimentConfig shaping;  // defaults everywhere except what shapes the cell
  shaping.seed = config.seed;
  shaping.datasets = {spec};
  // The solver auto resolves to (so a folder made before `auto` existed keeps its fingerprints).
  shaping.spectrum.solver = enum_name(parse_eigen_solver(config.spectrum.solver));
  shaping.spectrum.route = config.spectrum.route;
  shaping.theory = config.theory;
  shaping.theory.n.clear();
  shaping.theory.c.clear();
  shaping.theory.gd_steps.clear();
  shaping.training = config.training.without_model_sections();
  kind.keep_sections(config.training, shaping.training);
  shaping.training.models.clear();
  shaping.training.objectives.clear();
  shaping.training.n.clear();
  shaping.training.c.clear();
  shaping.training.seeds.clear();
  std::uint64_t hash = 1469598103934665603ull;
  for (unsigned char ch : to_yaml(shaping)) hash = (hash ^ ch) * 1099511628211ull;
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(hash));
  return text;
}

}  // namespace lindiff
