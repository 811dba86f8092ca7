// Owns the files one training cell keeps in its run folder, named by the cell and the
// fingerprint of the settings that made them (so files of other settings are never reused
// nor deleted): checkpoints/<cell>/ holds cell.json, latest.pt (resume state), best.pt (early
// stopping), progress.csv (rows up to the last checkpoint), checkpoint_losses.json (what the run
// acted on at each checkpoint), held_out_draws_<step>.pt and
// rows.csv (present once the cell is finished); samples/<cell>/ holds samples.pt and the image grids.
#pragma once

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "src/common/file_lock.h"
#include "src/config/config.h"
#include "src/denoisers/registry.h"

namespace lindiff {

// The paths of one cell.
class CellFiles {
 public:
  // Files of cell `id` made with settings `fingerprint`, in folders named "<id>_<first 8 hex digits>".
  CellFiles(const std::filesystem::path& run_dir, const std::string& id, const std::string& fingerprint);

  std::filesystem::path meta() const { return checkpoints_ / "cell.json"; }
  std::filesystem::path latest() const { return checkpoints_ / "latest.pt"; }
  std::filesystem::path best() const { return checkpoints_ / "best.pt"; }
  std::filesystem::path progress() const { return checkpoints_ / "progress.csv"; }
  // The losses each checkpoint measured (early stopping and the convergence verdict on resume).
  std::filesystem::path checkpoint_losses() const { return checkpoints_ / "checkpoint_losses.json"; }
  std::filesystem::path rows() const { return checkpoints_ / "rows.csv"; }
  // The per-draw held-out Monte Carlo losses at checkpoint `step` (for the convergence verdict).
  std::filesystem::path held_out_draws(std::int64_t step) const {
    return checkpoints_ / ("held_out_draws_" + std::to_string(step) + ".pt");
  }
  const std::filesystem::path& samples_dir() const { return samples_; }

  // Takes the cell's lock (checkpoints/<id>_<fp>.lock, beside its folder), waiting while another
  // run sharing the folder trains the cell: one process at a time reads or writes its files.
  FileLock lock() const;
  // True when an earlier run started this cell (its cell.json exists); a folder without
  // cell.json (killed before it was written) is cleared.
  bool started() const;
  // Creates the folders and writes cell.json (atomically).
  void write_meta(const nlohmann::json& meta) const;

 private:
  std::filesystem::path checkpoints_;
  std::filesystem::path samples_;
};

// A hash (16 hex digits, FNV-1a of the resolved YAML) of every setting that shapes a cell of
// `kind` on dataset `spec`: the dataset, the schedule, the top-level seed, the spectrum's
// solver and route, and the training settings other than the sweep lists and the other kinds'
// sections. For a loaded network's cell, its `networks:` entry and the bytes of its file too (a
// network saved again under the same name is evaluated again). O(file size) for a network.
std::string cell_fingerprint(const ExperimentConfig& config, const DatasetSpec& spec, const DenoiserKind& kind,
                             const NetworkSpec* network = nullptr);

}  // namespace lindiff
