// Owns the translation between YAML and typed config structs. Every config struct
// lists its keys once, in `template <class V> void fields(V& v)`, calling
// v("key", member, "help"); the visitors below read, write and document from that list.
#pragma once

#include <cmath>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <type_traits>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "src/common/config_fail.h"
#include "src/common/enum_names.h"
#include "src/common/error.h"

namespace lindiff {

// Where config values came from: the file and the line of every key read.
class ConfigContext {
 public:
  explicit ConfigContext(std::string file) : file_(std::move(file)) {}
  // Throws ConfigError "file: key 'k' (line L): message"; "(from --set)" for overrides.
  [[noreturn]] void fail(const std::string& key, const std::string& message) const;
  // fail() as a ConfigFail callback for validation code.
  ConfigFail as_fail() const;
  // Records the line (1-based) of `key`.
  void record(const std::string& key, const YAML::Node& node);
  // Marks `key` (and everything below it) as set by a command-line override.
  void mark_overridden(const std::string& key) { overridden_.push_back(key); }

 private:
  bool overridden(const std::string& key) const;

  std::string file_;
  std::vector<std::string> overridden_;
  std::map<std::string, int> lines_;
};

// A config struct: has `fields(visitor)`.
template <class T, class = void>
struct has_fields : std::false_type {};
template <class T>
struct has_fields<T, std::void_t<decltype(std::declval<T&>().fields(std::declval<int&>()))>>
    : std::true_type {};

// A value with a text form of its own (StepCount): `static std::optional<T> parse(const std::string&)`,
// `std::string text() const` and `static constexpr const char* kValid` (what parse accepts).
template <class T, class = void>
struct has_text_form : std::false_type {};
template <class T>
struct has_text_form<T, std::void_t<decltype(T::parse(std::string())), decltype(std::declval<const T&>().text())>>
    : std::true_type {};

// A config struct that may be written as a bare scalar meaning {kShorthandKey: scalar}.
template <class T, class = void>
struct has_shorthand : std::false_type {};
template <class T>
struct has_shorthand<T, std::void_t<decltype(T::kShorthandKey)>> : std::true_type {};

// A config struct that names keys it no longer has: `static constexpr MovedKey kMovedKeys[]`
// (src/config/config.h), each {key, message}; reading such a key fails with its message.
template <class T, class = void>
struct has_moved_keys : std::false_type {};
template <class T>
struct has_moved_keys<T, std::void_t<decltype(T::kMovedKeys)>> : std::true_type {};

// Joins a dotted key path.
inline std::string join_key(const std::string& prefix, const std::string& key) {
  return prefix.empty() ? key : prefix + "." + key;
}

// The closest of `candidates` to `word` by edit distance, or "" if none is close.
std::string closest_key(const std::string& word, const std::vector<std::string>& candidates);

// Fails (ConfigError) on a key of mapping `node` (at `prefix`) written twice -- YAML parsers keep
// one of the values silently -- naming both lines, and on a key that is not a plain name.
void reject_duplicate_keys(const YAML::Node& node, const std::string& prefix, ConfigContext& context);

// Reads a YAML mapping into a config struct; missing keys keep their defaults.
class ConfigReader {
 public:
  ConfigReader(YAML::Node node, std::string prefix, ConfigContext& context)
      : node_(std::move(node)), prefix_(std::move(prefix)), context_(context) {}

  template <class T>
  void operator()(const char* key, T& value, const char* /*help*/) {
    known_.push_back(key);
    const YAML::Node child = node_[key];
    if (!child.IsDefined()) return;
    read(child, join_key(prefix_, key), value);
  }

  // Reads `node` into a whole struct, rejecting keys that the struct does not list.
  template <class T>
  static void read_struct(const YAML::Node& node, const std::string& path, ConfigContext& context, T& value) {
    if (node.IsScalar() && shorthand_key<T>() != nullptr) {
      YAML::Node map;
      map[shorthand_key<T>()] = node;
      read_struct(map, path, context, value);
      return;
    }
    if (!node.IsMap() && !node.IsNull()) {
      context.fail(path, "expected a mapping of keys to values");
    }
    reject_duplicate_keys(node, path, context);
    ConfigReader reader(node, path, context);
    value.fields(reader);
    reader.reject_unknown_keys(moved_keys<T>());
  }

 private:
  template <class T>
  static const char* shorthand_key() {
    if constexpr (has_shorthand<T>::value) {
      return T::kShorthandKey;
    } else {
      return nullptr;
    }
  }

  // T's moved keys: old key -> message.
  template <class T>
  static std::map<std::string, std::string> moved_keys() {
    std::map<std::string, std::string> moved;
    if constexpr (has_moved_keys<T>::value) {
      for (const auto& entry : T::kMovedKeys) moved.emplace(entry.key, entry.message);
    }
    return moved;
  }

  template <class T>
  void read(const YAML::Node& node, const std::string& path, T& value) {
    context_.record(path, node);
    if constexpr (has_fields<T>::value) {
      read_struct(node, path, context_, value);
    } else {
      read_scalar(node, path, value);
    }
  }

  template <class T>
  void read(const YAML::Node& node, const std::string& path, std::optional<T>& value) {
    context_.record(path, node);
    if (node.IsNull()) return;
    value.emplace();
    read(node, path, *value);
  }

  template <class T>
  void read(const YAML::Node& node, const std::string& path, std::vector<T>& value) {
    context_.record(path, node);
    value.clear();
    if (node.IsNull()) return;
    if (node.IsScalar() && (!has_fields<T>::value || has_shorthand<T>::value)) {  // S is short for [S]
      value.emplace_back();
      read(node, path, value.back());
      return;
    }
    if (!node.IsSequence()) context_.fail(path, "expected a list");
    for (std::size_t i = 0; i < node.size(); ++i) {
      value.emplace_back();
      read(node[i], path + "." + std::to_string(i), value.back());
    }
  }

  template <class T>
  void read_scalar(const YAML::Node& node, const std::string& path, T& value) {
    if constexpr (has_text_form<T>::value) {
      const std::optional<T> parsed = node.IsScalar() ? T::parse(node.Scalar()) : std::nullopt;
      if (!parsed) {
        context_.fail(path, "'" + (node.IsScalar() ? node.Scalar() : std::string("a non-scalar")) + "' is not valid (valid: " +
                                T::kValid + ")");
      }
      value = *parsed;
    } else if constexpr (has_enum_names_v<T>) {
      // A closed vocabulary: parsed here, once; below the config only the typed value exists.
      const std::optional<T> parsed = node.IsScalar() ? parse_enum<T>(node.Scalar()) : std::nullopt;
      if (!parsed) {
        context_.fail(path, "'" + (node.IsScalar() ? node.Scalar() : std::string("a non-scalar")) +
                                "' is not valid (valid: " + enum_choices<T>() + ")");
      }
      value = *parsed;
    } else {
      if (!node.IsScalar()) context_.fail(path, std::string("expected ") + type_name<T>());
      try {
        value = node.as<T>();
      } catch (const YAML::BadConversion&) {
        context_.fail(path, std::string("expected ") + type_name<T>() + ", got '" + node.Scalar() + "'");
      }
      if constexpr (std::is_floating_point_v<T>) {
        // No setting means anything at infinity or NaN (.inf as a step count became INT64_MIN).
        if (!std::isfinite(value)) context_.fail(path, "expected a finite number, got '" + node.Scalar() + "'");
      }
    }
  }

  template <class T>
  static const char* type_name() {
    if constexpr (std::is_same_v<T, bool>) return "true or false";
    if constexpr (std::is_integral_v<T> && std::is_unsigned_v<T>) return "a non-negative integer";
    if constexpr (std::is_integral_v<T>) return "an integer";
    if constexpr (std::is_floating_point_v<T>) return "a number";
    return "a string";
  }

  // Fails on the first key that fields() did not list: with its message when it is one of
  // `moved`, else "unknown key" with the closest valid key.
  void reject_unknown_keys(const std::map<std::string, std::string>& moved) const;

  YAML::Node node_;
  std::string prefix_;
  ConfigContext& context_;
  std::vector<std::string> known_;
};

// Writes a config struct as YAML (every key, defaults included).
class ConfigWriter {
 public:
  explicit ConfigWriter(YAML::Emitter& out) : out_(out) {}

  template <class T>
  void operator()(const char* key, const T& value, const char* /*help*/) {
    if constexpr (is_optional<T>::value) {
      if (!value) return;
    }
    out_ << YAML::Key << key << YAML::Value;
    write(value);
  }

  // Writes one value (scalar, list, optional or struct) without a key.
  template <class T>
  void value(const T& v) {
    write(v);
  }

  template <class T>
  void write_struct(const T& value) {
    out_ << YAML::BeginMap;
    const_cast<T&>(value).fields(*this);  // fields() only reads through this visitor
    out_ << YAML::EndMap;
  }

 private:
  template <class T>
  struct is_optional : std::false_type {};
  template <class T>
  struct is_optional<std::optional<T>> : std::true_type {};

  template <class T>
  void write(const T& value) {
    if constexpr (has_fields<T>::value) {
      write_struct(value);
    } else if constexpr (has_text_form<T>::value) {
      out_ << value.text();
    } else if constexpr (has_enum_names_v<T>) {
      out_ << enum_name(value);
    } else if constexpr (std::is_floating_point_v<T>) {
      std::ostringstream text;
      text.precision(17);
      text << value;
      out_ << text.str();
    } else {
      out_ << value;
    }
  }
  template <class T>
  void write(const std::optional<T>& value) {
    write(*value);
  }
  template <class T>
  void write(const std::vector<T>& value) {
    out_ << (has_fields<T>::value ? YAML::Block : YAML::Flow) << YAML::BeginSeq;
    for (const T& item : value) write(item);
    out_ << YAML::EndSeq;
  }

  YAML::Emitter& out_;
};

// Lists every key of a config struct with its default and help text.
class ConfigKeyLister {
 public:
  ConfigKeyLister(std::ostream& out, std::string prefix) : out_(out), prefix_(std::move(prefix)) {}

  template <class T>
  void operator()(const char* key, T& value, const char* help) {
    list(join_key(prefix_, key), value, help);
  }

 private:
  template <class T>
  void list(const std::string& path, T& value, const char* help) {
    if constexpr (has_fields<T>::value) {
      out_ << path << ":  " << help << "\n";
      ConfigKeyLister nested(out_, path);
      value.fields(nested);
    } else {
      show(path, value, help);
    }
  }
  template <class T>
  void show(const std::string& path, const T& value, const char* help) {
    YAML::Emitter text;
    text << YAML::Flow;
    ConfigWriter(text).value(value);
    out_ << path << " = " << text.c_str() << "\n    " << help << "\n";
  }
  template <class T>
  void list(const std::string& path, std::optional<T>& /*value*/, const char* help) {
    T defaults{};
    list(path, defaults, help);
  }
  template <class T>
  void list(const std::string& path, std::vector<T>& value, const char* help) {
    if constexpr (has_fields<T>::value) {
      T defaults{};
      list(path + "[]", defaults, help);
    } else {
      show(path, value, help);
    }
  }

  std::ostream& out_;
  std::string prefix_;
};

// Applies a command-line override "a.b.c=value" to a YAML tree (the value is parsed as
// YAML; list elements are addressed by index). Throws ConfigError for a malformed override.
void apply_override(YAML::Node& root, const std::string& assignment);

}  // namespace lindiff
