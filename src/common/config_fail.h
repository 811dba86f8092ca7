// Owns the callback through which validation code reports an invalid config value, and the
// check of a value against a fixed set of choices.
#pragma once

#include <functional>
#include <set>
#include <string>

namespace lindiff {

// Reports that the value at dotted `key` (e.g. "datasets.0.crop") is invalid; says what
// would be valid in `message`. Implementations throw ConfigError and never return.
using ConfigFail = std::function<void(const std::string& key, const std::string& message)>;

// Calls fail(key, "'value' is not valid (valid: a, b, c)") unless `value` is one of `valid`.
void validate_choice(const std::string& value, const std::set<std::string>& valid, const std::string& key,
                     const ConfigFail& fail);

}  // namespace lindiff
