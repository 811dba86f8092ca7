// Owns the names of lindiff's closed vocabularies (objective, optimizer, learning-rate schedule,
// device, ...): each enum lists its values with their config names once, in a specialisation
// of EnumNames, and everything that parses or prints one goes through these functions, so no
// layer below the config compares such a value by its name.
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

namespace lindiff {

// Specialise for an enum E with `static constexpr std::pair<E, const char*> kNames[] = {...};`
// listing every value once, in the order the help texts show them.
template <class E>
struct EnumNames;

// Whether E has EnumNames.
template <class E, class = void>
struct has_enum_names : std::false_type {};
template <class E>
struct has_enum_names<E, std::void_t<decltype(EnumNames<E>::kNames)>> : std::true_type {};
template <class E>
inline constexpr bool has_enum_names_v = has_enum_names<E>::value;

// The config name of `value`.
template <class E>
std::string enum_name(E value) {
  for (const auto& [candidate, name] : EnumNames<E>::kNames) {
    if (candidate == value) return name;
  }
  return "?";
}

// The value called `name`, or nullopt.
template <class E>
std::optional<E> parse_enum(std::string_view name) {
  for (const auto& [value, candidate] : EnumNames<E>::kNames) {
    if (name == candidate) return value;
  }
  return std::nullopt;
}

// "a, b, c": every name of E, for messages.
template <class E>
std::string enum_choices() {
  std::string text;
  for (const auto& entry : EnumNames<E>::kNames) text += (text.empty() ? "" : ", ") + std::string(entry.second);
  return text;
}

// Prints a vocabulary value by its name (messages, test output).
template <class E, std::enable_if_t<has_enum_names_v<E>, int> = 0>
std::ostream& operator<<(std::ostream& out, E value) {
  return out << enum_name(value);
}

}  // namespace lindiff
