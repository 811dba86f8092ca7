#include "src/common/config_fail.h"

namespace lindiff {

void validate_choice(const std::string& value, const std::set<std::string>& valid, const std::string& key,
                     const ConfigFail& fail) {
  if (valid.count(value)) return;
  std::string list;
  for (const std::string& v : valid) list += (list.empty() ? "" : ", ") + v;
  fail(key, "'" + value + "' is not valid (valid: " + list + ")");
}

}  // namespace lindiff
