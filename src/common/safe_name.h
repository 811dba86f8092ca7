// Owns the rule for names that become parts of file names (the experiment's name, dataset
// labels, model names): a name is data, never a path or a command, so it must be one plain
// word. The rule is documented in docs/configs.md ("Names").
#pragma once

#include <string>
#include <string_view>

namespace lindiff {

// The longest name: a cell's folder joins a label, a model and a fingerprint, and file systems
// stop at 255 bytes per name.
inline constexpr std::size_t kMaxNameLength = 64;

// What a valid name is, for messages.
inline constexpr const char* kNameRule =
    "1-64 characters from A-Z a-z 0-9 _ - . +, starting with a letter, a digit or _";

// Empty when `name` follows kNameRule, else what is wrong with it (its first bad character
// shown escaped, so that a newline or NUL is visible).
std::string name_problem(std::string_view name);

}  // namespace lindiff
