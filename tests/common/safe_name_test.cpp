#include "src/common/safe_name.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace lindiff {
namespace {

using ::testing::HasSubstr;

TEST(SafeName, PlainWordsPass) {
  for (const char* name : {"synthetic_k1.5", "fashion-mnist", "cifar10+aug", "_x", "A0"}) {
    EXPECT_EQ(name_problem(name), "") << name;
  }
  EXPECT_EQ(name_problem(std::string(kMaxNameLength, 'a')), "");
}

TEST(SafeName, PathsCommandsAndControlCharactersAreRefusedAndShown) {
  EXPECT_THAT(name_problem(""), HasSubstr("empty"));
  EXPECT_THAT(name_problem("../../escaped"), HasSubstr("starts with '.'"));
  EXPECT_THAT(name_problem("a/b"), HasSubstr("'/'"));
  EXPECT_THAT(name_problem("x$(cd;touch PWNED)"), HasSubstr("'$'"));
  EXPECT_THAT(name_problem("x`id`"), HasSubstr("'`'"));
  EXPECT_THAT(name_problem("a b"), HasSubstr("\\x20"));
  EXPECT_THAT(name_problem("a\nb"), HasSubstr("\\x0a"));
  EXPECT_THAT(name_problem(std::string("a\0b", 3)), HasSubstr("\\x00"));
  EXPECT_THAT(name_problem("-rf"), HasSubstr("starts with '-'"));
  EXPECT_THAT(name_problem(std::string(300, 'a')), HasSubstr("300 characters"));
}

}  // namespace
}  // namespace lindiff
