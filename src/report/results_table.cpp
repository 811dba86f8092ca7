#include "src/report/results_table.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "src/common/atomic_file.h"
#include "src/common/error.h"
#include "src/common/safe_name.h"

namespace lindiff {

const char* const kResultsHeader = "dataset,d,N,model,objective,c,seed,step,t,metric,value,source";

std::string short_number(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%g", value);
  return buffer;
}

std::string format_number(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  char buffer[64];
  auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, result.ptr);
}

namespace {

template <class T>
std::string cell(const std::optional<T>& value) {
  if (!value) return "";
  if constexpr (std::is_floating_point_v<T>) {
    return format_number(*value);
  } else {
    return std::to_string(*value);
  }
}

// Quotes a text cell only when CSV requires it.
std::string text_cell(const std::string& text) {
  if (text.find_first_of(",\"\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char ch : text) quoted += ch == '"' ? std::string("\"\"") : std::string(1, ch);
  return quoted + "\"";
}

// Splits one CSV line into cells (quoted cells may hold commas and doubled quotes).
std::vector<std::string> split_csv_line(const std::string& line) {
  std::vector<std::string> cells(1);
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char ch = line[i];
    if (quoted && ch == '"' && i + 1 < line.size() && line[i + 1] == '"') {
      cells.back() += '"';
      ++i;
    } else if (ch == '"') {
      quoted = !quoted;
    } else if (ch == ',' && !quoted) {
      cells.emplace_back();
    } else {
      cells.back() += ch;
    }
  }
  return cells;
}

double parse_double(const std::string& text) {
  if (text == "inf") return HUGE_VAL;
  if (text == "-inf") return -HUGE_VAL;
  if (text == "nan") return std::nan("");
  std::size_t used = 0;
  const double value = std::stod(text, &used);
  if (used != text.size()) throw std::invalid_argument("'" + text + "' is not a number");
  return value;
}

template <class T>
std::optional<T> parse_optional(const std::string& text) {
  if (text.empty()) return std::nullopt;
  if constexpr (std::is_floating_point_v<T>) {
    return parse_double(text);
  } else {
    T value{};
    const auto result = std::from_chars(text.data(), text.data() + text.size(), value);
    if (result.ec != std::errc() || result.ptr != text.data() + text.size()) {
      throw std::invalid_argument("'" + text + "' is not an integer");
    }
    return value;
  }
}

ResultRow parse_row(const std::vector<std::string>& c) {
  if (c.size() != 12) throw std::invalid_argument(std::to_string(c.size()) + " cells instead of 12");
  return ResultRow{c[0], *parse_optional<std::int64_t>(c[1]), parse_optional<std::int64_t>(c[2]), c[3], c[4],
                   parse_optional<double>(c[5]), parse_optional<std::uint64_t>(c[6]), parse_optional<std::int64_t>(c[7]),
                   c[8], c[9], parse_double(c[10]), c[11]};
}

}  // namespace

void ResultsTable::write_csv_atomically(const std::filesystem::path& path) const {
  std::ostringstream out;
  write_csv(out);
  write_file_atomically(path, out.str());
}

ResultsTable ResultsTable::read_csv(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) throw DataError("cannot read results table '" + path.string() + "'");
  std::string line;
  if (!std::getline(in, line) || line != kResultsHeader) {
    throw DataError("'" + path.string() + "' is not a lindiff results table: the first line must be '" +
                    std::string(kResultsHeader) + "'");
  }
  ResultsTable table;
  for (std::size_t number = 2; std::getline(in, line); ++number) {
    if (line.empty()) continue;
    ResultRow row;
    try {
      row = parse_row(split_csv_line(line));
    } catch (const std::exception& e) {
      throw DataError(path.string() + ":" + std::to_string(number) + ": malformed row (" + e.what() + ")");
    }
    // Labels and model names become file names and figure titles: a table from elsewhere (a
    // shared folder) must not smuggle a path or a command in through them.
    for (const auto& [column, name] : {std::pair<const char*, const std::string&>{"dataset", row.dataset}, {"model", row.model}}) {
      const std::string problem = name.empty() ? "" : name_problem(name);
      if (!problem.empty()) {
        throw DataError(path.string() + ":" + std::to_string(number) + ": the " + column + " name " + problem +
                        "; lindiff writes names of " + kNameRule);
      }
    }
    table.add(std::move(row));
  }
  return table;
}

void ResultsTable::write_csv(const std::filesystem::path& path) const {
  std::ostringstream out;
  write_csv(out);
  write_file_atomically(path, out.str());
}

void ResultsTable::write_csv(std::ostream& out) const {
  out << kResultsHeader << '\n';
  for (const ResultRow& r : rows_) {
    out << text_cell(r.dataset) << ',' << r.d << ',' << cell(r.n) << ',' << text_cell(r.model) << ','
        << text_cell(r.objective) << ',' << cell(r.c) << ',' << cell(r.seed) << ',' << cell(r.step)
        << ',' << text_cell(r.t) << ',' << text_cell(r.metric) << ',' << format_number(r.value) << ','
        << text_cell(r.source) << '\n';
  }
}

}  // namespace lindiff
