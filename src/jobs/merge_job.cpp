#include "src/jobs/merge_job.h"

#include <cstdio>
#include <fstream>
#include <map>
#include <string>

#include "src/common/atomic_file.h"
#include "src/common/error.h"
#include "src/jobs/report_job.h"
#include "src/report/run_folder.h"

namespace lindiff {

namespace {

namespace fs = std::filesystem;

// Everything that identifies a number except its value.
std::string row_key(const ResultRow& row) {
  const auto opt = [](const auto& value) { return value ? format_number(static_cast<double>(*value)) : ""; };
  return row.dataset + ',' + std::to_string(row.d) + ',' + opt(row.n) + ',' + row.model + ',' + row.objective + ',' +
         opt(row.c) + ',' + (row.seed ? std::to_string(*row.seed) : "") + ',' + opt(row.step) + ',' + row.t + ',' +
         row.metric + ',' + row.source;
}

// Rows of every folder in order; a row repeated with the same value is kept once.
ResultsTable merge_tables(const std::vector<fs::path>& dirs) {
  ResultsTable merged;
  std::map<std::string, std::pair<std::string, std::size_t>> seen;  // key -> (value text, folder index)
  std::map<std::string, std::pair<std::int64_t, std::size_t>> dims;  // label -> (d, folder index)
  for (std::size_t i = 0; i < dirs.size(); ++i) {
    const ResultsTable table = ResultsTable::read_csv(results_csv_of(dirs[i]));
    for (const ResultRow& row : table.rows()) {
      const auto [known, first] = dims.emplace(row.dataset, std::make_pair(row.d, i));
      if (!first && known->second.first != row.d) {
        throw DataError("'" + dirs[known->second.second].string() + "' and '" + dirs[i].string() + "' hold dataset '" +
                        row.dataset + "' with d = " + std::to_string(known->second.first) + " and d = " +
                        std::to_string(row.d) + ": one label would mix two datasets; merge runs of one config, or "
                        "give the datasets different labels (dataset.label)");
      }
      const std::string key = row_key(row);
      const std::string value = format_number(row.value);
      const auto [it, inserted] = seen.emplace(key, std::make_pair(value, i));
      if (inserted) {
        merged.add(row);
      } else if (it->second.first != value) {
        throw DataError("'" + dirs[it->second.second].string() + "' and '" + dirs[i].string() +
                        "' disagree on the same number (" + key + "): " + it->second.first + " versus " + value +
                        "; merge runs of one config (e.g. its shards) or runs whose cells differ");
      }
    }
  }
  return merged;
}

// Stages copies of the entries of src_dir/sub that out_dir/sub lacks (sample grids of a cell
// are the same in every folder that holds the cell: its name carries a fingerprint); they
// reach the output folder with the rest when the merge commits. Symbolic links are not copied.
void copy_missing(const fs::path& src_dir, const RunFolder& folder, const std::string& sub) {
  std::error_code ec;
  const fs::path& out_dir = folder.final_dir();
  if (!fs::is_directory(src_dir / sub, ec) || fs::equivalent(src_dir, out_dir, ec)) return;
  for (const fs::directory_entry& entry : fs::recursive_directory_iterator(src_dir / sub)) {
    if (!entry.is_regular_file(ec) || entry.is_symlink(ec)) continue;
    const fs::path relative = fs::path(sub) / fs::relative(entry.path(), src_dir / sub);
    if (fs::exists(out_dir / relative, ec) || fs::exists(folder.staging_dir() / relative, ec)) continue;
    fs::copy_file(entry.path(), folder.stage(relative.string()), ec);
    if (ec) throw_file_error("copy into", folder.staging_dir() / relative, ec.value());
  }
}

}  // namespace

void run_merge_job(const std::vector<std::string>& run_dirs, const std::string& out_dir) {
  const fs::path out(out_dir);
  std::vector<fs::path> dirs(run_dirs.begin(), run_dirs.end());
  std::error_code ec;
  bool out_is_input = false;
  for (const fs::path& dir : dirs) out_is_input = out_is_input || fs::equivalent(dir, out, ec);
  if (fs::exists(out / "results.csv", ec) && !out_is_input) {
    throw DataError("'" + out.string() + "' already holds a run (results.csv); merge into a new folder or name it "
                    "among the folders to merge");
  }
  const ResultsTable table = merge_tables(dirs);
  std::string config_yaml;
  nlohmann::json sources = nlohmann::json::array();
  for (const fs::path& dir : dirs) {
    config_yaml += "# ---- " + dir.string() + "/config.yaml\n" + read_text(dir / "config.yaml") + "\n";
    sources.push_back({{"run_dir", dir.string()}, {"manifest", read_manifest(dir)}});
  }
  nlohmann::json manifest = {{"command", "merge"},
                             {"config_file", "merge of " + std::to_string(dirs.size()) + " run folders"},
                             {"merged_from", sources}};
  const bool out_existed = fs::exists(out, ec);
  try {
    RunFolder folder(out);
    for (const fs::path& dir : dirs) {
      copy_missing(dir, folder, "samples");
      copy_missing(dir, folder, "figures");
    }
    table.write_csv(folder.stage("results.csv"));
    write_file_atomically(folder.stage("config.yaml"), config_yaml);
    write_file_atomically(folder.stage("manifest.json"), manifest.dump(2) + "\n");
    std::fprintf(stderr, "merged %zu rows from %zu run folders\n", table.rows().size(), dirs.size());
    redraw_run_folder(table, config_yaml, manifest, folder);
  } catch (...) {
    // A merge that failed (a full disk, Ctrl-C) leaves no half-made folder behind.
    if (!out_existed) fs::remove_all(out, ec);
    throw;
  }
}

}  // namespace lindiff
