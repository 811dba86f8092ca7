// Owns the `lindiff sample` command: samples from a checkpoint saved by a training cell.
#pragma once

#include <cstdint>
#include <string>

namespace lindiff {

// Draws `count` samples (0 = 64) with `seed` from a checkpoint written by a training cell
// (its folder holds cell.json) and writes samples.pt and grid.png into `out_dir`
// (default: samples_<step>_<seed> next to the checkpoint). Throws DataError naming the file
// when the checkpoint or its cell.json is missing or unreadable.
void run_sample_command(const std::string& checkpoint, std::int64_t count, std::uint64_t seed, std::string out_dir);

}  // namespace lindiff
