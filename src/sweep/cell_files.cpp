#include "src/sweep/cell_files.h"

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <string_view>
#include <vector>

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

namespace {

constexpr std::uint64_t kFnvOffset = 1469598103934665603ull;

// FNV-1a of `bytes` continued from `hash`.
std::uint64_t fnv1a(std::uint64_t hash, std::string_view bytes) {
  for (unsigned char ch : bytes) hash = (hash ^ ch) * 1099511628211ull;
  return hash;
}

// A loaded network's entry and file content as text for the fingerprint. Throws DataError naming
// the file when it cannot be read.
std::string network_identity(const NetworkSpec& network) {
  std::ifstream in(network.file, std::ios::binary);
  if (!in) throw DataError("cannot read the network file '" + network.file + "'");
  std::uint64_t hash = kFnvOffset;
  std::vector<char> buffer(1 << 16);
  while (in.read(buffer.data(), static_cast<std::streamsize>(buffer.size())) || in.gcount() > 0) {
    hash = fnv1a(hash, std::string_view(buffer.data(), static_cast<std::size_t>(in.gcount())));
  }
  return network.name + " " + enum_name(network.objective) + " " + std::to_string(network.n) + " " +
         enum_name(network.input) + " " + enum_name(network.timestep) + " " + std::to_string(network.steps) + " " +
         std::to_string(hash);
}

}  // namespace

std::string cell_fingerprint(const ExperimentConfig& config, const DatasetSpec& spec, const DenoiserKind& kind,
                             const NetworkSpec* network) {
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
  if (kind.keep_sections) kind.keep_sections(config.training, shaping.training);
  shaping.training.models.clear();
  shaping.training.objectives.clear();
  shaping.training.n.clear();
  shaping.training.c.clear();
  shaping.training.seeds.clear();
  std::uint64_t hash = fnv1a(kFnvOffset, to_yaml(shaping));
  if (network) hash = fnv1a(hash, network_identity(*network));
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(hash));
  return text;
}

}  // namespace lindiff
