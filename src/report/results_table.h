// Owns the tidy results table (one row per number) and its CSV form:
// dataset,d,N,model,objective,c,seed,step,t,metric,value,source.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace lindiff {

// One number with everything needed to plot it; empty optionals print as empty cells.
struct ResultRow {
  std::string dataset;
  std::int64_t d = 0;
  std::optional<std::int64_t> n;  // samples the number was computed from
  std::string model;              // linear | unet | "" (data statistics)
  std::string objective;          // noise | data | ""
  std::optional<double> c;
  std::optional<std::uint64_t> seed;
  std::optional<std::int64_t> step;
  std::string t;                  // a timestep, "all", or "" where time does not apply
  std::string metric;             // snake_case, documented in docs/results.md
  double value = 0;
  std::string source;             // data | population | theory | theory_avg | theory_gd | exact | monte_carlo | training
};

// The header line of results.csv (without newline).
extern const char* const kResultsHeader;

// Formats a double as the shortest text that reads back to the same value ("inf", "nan" too).
std::string format_number(double value);

// A number for titles, keys and tables ("%g": 0.001, 1e-05, 64).
std::string short_number(double value);

// An append-only list of result rows.
class ResultsTable {
 public:
  // Adds one row.
  void add(ResultRow row) { rows_.push_back(std::move(row)); }
  // All rows, in insertion order.
  const std::vector<ResultRow>& rows() const { return rows_; }
  // Adds every row of `other`, in its order.
  void append(const ResultsTable& other) { rows_.insert(rows_.end(), other.rows_.begin(), other.rows_.end()); }
  // Writes header and rows as CSV to `path` (overwriting it).
  void write_csv(const std::filesystem::path& path) const;
  // Writes header and rows as CSV to `out`.
  void write_csv(std::ostream& out) const;
  // Writes the CSV to `path` through a temporary file renamed into place, so readers (and a
  // resumed run) see the old file or the new one, never half of one.
  void write_csv_atomically(const std::filesystem::path& path) const;
  // Reads a table written by write_csv. Throws DataError naming the file and line when the
  // header or a row does not fit the format.
  static ResultsTable read_csv(const std::filesystem::path& path);

 private:
  std::vector<ResultRow> rows_;
};

}  // namespace lindiff
