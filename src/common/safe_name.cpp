#include "src/common/safe_name.h"

#include <cstdio>

namespace lindiff {

namespace {

bool allowed(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
         c == '.' || c == '+';
}

std::string shown(char c) {
  if (c >= 0x21 && c < 0x7f) return std::string("'") + c + "'";
  char code[8];
  std::snprintf(code, sizeof code, "\\x%02x", static_cast<unsigned char>(c));
  return code;
}

}  // namespace

std::string name_problem(std::string_view name) {
  if (name.empty()) return "is empty";
  if (name.size() > kMaxNameLength) return "is " + std::to_string(name.size()) + " characters long";
  if (name.front() == '.' || name.front() == '-' || name.front() == '+') return "starts with " + shown(name.front());
  for (char c : name) {
    if (!allowed(c)) return "holds the character " + shown(c);
  }
  return "";
}

}  // namespace lindiff
