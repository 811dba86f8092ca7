#include "src/config/config_io.h"

#include <algorithm>
#include <cctype>

namespace lindiff {

void ConfigContext::fail(const std::string& key, const std::string& message) const {
  auto it = lines_.find(key);
  std::string where;
  if (overridden(key)) {
    where = " (from --set)";
  } else if (it != lines_.end() && it->second > 0) {
    where = " (line " + std::to_string(it->second) + ")";
  }
  throw ConfigError(file_ + ": key '" + key + "'" + where + ": " + message);
}

bool ConfigContext::overridden(const std::string& key) const {
  for (const std::string& prefix : overridden_) {
    if (key == prefix || key.rfind(prefix + ".", 0) == 0) return true;
  }
  return false;
}

ConfigFail ConfigContext::as_fail() const {
  return [this](const std::string& key, const std::string& message) { fail(key, message); };
}

void ConfigContext::record(const std::string& key, const YAML::Node& node) {
  lines_[key] = node.Mark().is_null() ? 0 : node.Mark().line + 1;
}

std::string closest_key(const std::string& word, const std::vector<std::string>& candidates) {
  std::string best;
  std::size_t best_distance = std::max<std::size_t>(2, word.size() / 3) + 1;
  for (const std::string& candidate : candidates) {
    // Levenshtein distance, one row at a time.
    std::vector<std::size_t> row(candidate.size() + 1);
    for (std::size_t j = 0; j <= candidate.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= word.size(); ++i) {
      std::size_t diagonal = row[0];
      row[0] = i;
      for (std::size_t j = 1; j <= candidate.size(); ++j) {
        std::size_t above = row[j];
        row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (word[i - 1] != candidate[j - 1])});
        diagonal = above;
      }
    }
    if (row.back() < best_distance) {
      best_distance = row.back();
      best = candidate;
    }
  }
  return best;
}

void reject_duplicate_keys(const YAML::Node& node, const std::string& prefix, ConfigContext& context) {
  if (!node.IsMap()) return;
  std::map<std::string, int> first_line;
  for (const auto& entry : node) {
    const int line = entry.first.Mark().is_null() ? 0 : entry.first.Mark().line + 1;
    if (!entry.first.IsScalar() && !entry.first.IsNull()) {
      const std::string where = prefix.empty() ? "the top level" : prefix;
      context.record(where, entry.first);
      context.fail(where, "a list or mapping is used as a key (line " + std::to_string(line) +
                              "); keys must be plain names, e.g. 'steps: 10'");
    }
    const std::string key = entry.first.IsNull() ? "null" : entry.first.Scalar();
    const auto [it, inserted] = first_line.emplace(key, line);
    if (inserted) continue;
    context.record(join_key(prefix, key), entry.first);
    context.fail(join_key(prefix, key), "appears twice in one mapping (also on line " + std::to_string(it->second) +
                                            "); YAML would keep only one of the values silently: remove the other");
  }
}

void ConfigReader::reject_unknown_keys(const std::map<std::string, std::string>& moved) const {
  if (!node_.IsMap()) return;
  for (const auto& entry : node_) {
    const std::string key = entry.first.as<std::string>();
    if (std::find(known_.begin(), known_.end(), key) != known_.end()) continue;
    context_.record(join_key(prefix_, key), entry.first);
    if (auto it = moved.find(key); it != moved.end()) context_.fail(join_key(prefix_, key), it->second);
    if (key == "<<") {
      context_.fail(join_key(prefix_, key), "is a YAML merge key, which lindiff's YAML reader (yaml-cpp) does not "
                                            "expand: write the keys out, or reuse a whole value with an anchor and "
                                            "an alias (&name ... *name)");
    }
    std::string valid;
    for (const auto& k : known_) valid += (valid.empty() ? "" : ", ") + k;
    const std::string guess = closest_key(key, known_);
    context_.fail(join_key(prefix_, key),
                  "unknown key" + (guess.empty() ? "" : " (did you mean '" + guess + "'?)") +
                      "; valid keys here: " + valid);
  }
}

void apply_override(YAML::Node& root, const std::string& assignment) {
  const auto equals = assignment.find('=');
  if (equals == std::string::npos || equals == 0) {
    throw ConfigError("--set '" + assignment + "': expected key=value, e.g. --set spectrum.eigenvectors=8");
  }
  const std::string path = assignment.substr(0, equals);
  YAML::Node value;
  try {
    value = YAML::Load(assignment.substr(equals + 1));
  } catch (const YAML::Exception& e) {
    throw ConfigError("--set '" + assignment + "': the value is not valid YAML: " + e.msg);
  }
  std::vector<std::string> parts;
  std::stringstream stream(path);
  for (std::string part; std::getline(stream, part, '.');) parts.push_back(part);

  // YAML::Node is a handle: reassigning a handle would rebind it, so walk with reset().
  YAML::Node node;
  node.reset(root);
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const std::string& part = parts[i];
    const bool last = i + 1 == parts.size();
    YAML::Node next;
    if (node.IsSequence()) {
      const bool numeric = !part.empty() && std::all_of(part.begin(), part.end(), ::isdigit);
      if (!numeric || std::stoul(part) >= node.size()) {
        throw ConfigError("--set '" + assignment + "': '" + part + "' is not an index of the list (0.." +
                          std::to_string(node.size() ? node.size() - 1 : 0) + ")");
      }
      next.reset(node[std::stoul(part)]);
    } else if (node.IsMap() || node.IsNull() || !node.IsDefined()) {
      next.reset(node[part]);
    } else {
      throw ConfigError("--set '" + assignment + "': '" + part + "' cannot be set inside a scalar value");
    }
    if (last) {
      next = value;
    } else {
      node.reset(next);
    }
  }
}

}  // namespace lindiff
