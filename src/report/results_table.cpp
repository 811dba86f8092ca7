#include "src/report/results_table.h"

#include <charconv>
#include <cmath>
#include <fstream>

#include "src/common/error.h"

namespace lindiff {

const char* const kResultsHeader = "dataset,d,N,model,objective,c,seed,step,t,metric,value,source";

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

}  // namespace

void ResultsTable::write_csv(const std::filesystem::path& path) const {
  std::ofstream out(path);
  if (!out) throw Error(ExitCode::kFailure, "cannot write '" + path.string() + "'");
  out << kResultsHeader << '\n';
  for (const ResultRow& r : rows_) {
    out << text_cell(r.dataset) << ',' << r.d << ',' << cell(r.n) << ',' << text_cell(r.model) << ','
        << text_cell(r.objective) << ',' << cell(r.c) << ',' << cell(r.seed) << ',' << cell(r.step)
        << ',' << text_cell(r.t) << ',' << text_cell(r.metric) << ',' << format_number(r.value) << ','
        << text_cell(r.source) << '\n';
  }
  if (!out.flush()) throw Error(ExitCode::kFailure, "cannot write '" + path.string() + "' (disk full?)");
}

}  // namespace lindiff
