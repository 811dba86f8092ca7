// Owns the callback through which validation code reports an invalid config value.
#pragma once

#include <functional>
#include <string>

namespace lindiff {

// Reports that the value at dotted `key` (e.g. "datasets.0.crop") is invalid; says what
// would be valid in `message`. Implementations throw ConfigError and never return.
using ConfigFail = std::function<void(const std::string& key, const std::string& message)>;

}  // namespace lindiff
