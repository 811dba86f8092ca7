#include "src/common/atomic_file.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "src/common/error.h"
#include "tests/support/file_size_limit.h"
#include "tests/support/temp_dir.h"

namespace lindiff {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Property;
using ::testing::Throws;

// The names in `dir` other than `keep`.
std::vector<std::string> other_files(const std::filesystem::path& dir, const std::string& keep) {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().filename() != keep) names.push_back(entry.path().filename().string());
  }
  return names;
}

TEST(AtomicFile, ReplacesTheWholeFileAndLeavesNoTemporary) {
  testing::TempDir dir;
  write_file_atomically(dir / "a.csv", "old contents that are longer\n");
  write_file_atomically(dir / "a.csv", "new\n");
  EXPECT_EQ(testing::read_text(dir / "a.csv"), "new\n");
  EXPECT_THAT(other_files(dir.path(), "a.csv"), ::testing::IsEmpty());
}

TEST(AtomicFile, TemporaryNamesTheHostAndProcess) {
  const std::string name = temporary_path_for("/x/y/latest.pt").string();
  EXPECT_THAT(name, HasSubstr("/x/y/latest.pt.partial."));
  EXPECT_THAT(name, ::testing::EndsWith("." + std::to_string(getpid())));
}

TEST(AtomicFile, AFullDiskIsAResourceErrorAndTheOldFileStaysIntact) {
  testing::TempDir dir;
  write_file_atomically(dir / "latest.pt", "checkpoint of step 10");
  const std::string big(64 * 1024, 'x');
  {
    testing::FileSizeLimit full_disk(4096);
    EXPECT_THAT([&] { write_file_atomically(dir / "latest.pt", big); },
                Throws<ResourceError>(Property(&ResourceError::what,
                                               AllOf(HasSubstr("latest.pt"), HasSubstr("free space")))));
  }
  EXPECT_EQ(testing::read_text(dir / "latest.pt"), "checkpoint of step 10");
  EXPECT_THAT(other_files(dir.path(), "latest.pt"), ::testing::IsEmpty());
}

TEST(AtomicFile, AnUnwritableFolderIsAnErrorNamingTheFile) {
  EXPECT_THAT([] { write_file_atomically("/nonexistent-lindiff-folder/x.csv", "x"); },
              Throws<Error>(Property(&Error::what, HasSubstr("/nonexistent-lindiff-folder/x.csv"))));
}

}  // namespace
}  // namespace lindiff
