#include "src/common/file_lock.h"

#include <gtest/gtest.h>

#include <thread>

#include "tests/support/temp_dir.h"

namespace lindiff {
namespace {

TEST(FileLock, OneHolderAtATime) {
  testing::TempDir dir;
  std::optional<FileLock> first = FileLock::try_acquire(dir / "cell.lock");
  ASSERT_TRUE(first.has_value());
  EXPECT_FALSE(FileLock::try_acquire(dir / "cell.lock").has_value());  // a second open file description
  first.reset();
  EXPECT_TRUE(FileLock::try_acquire(dir / "cell.lock").has_value());
}

TEST(FileLock, AcquireWaitsForTheHolderAndSaysSo) {
  testing::TempDir dir;
  std::optional<FileLock> holder = FileLock::try_acquire(dir / "cell.lock");
  int waits = 0;
  std::thread release;
  // The holder lets go only once the waiter has said it waits: acquire must then block until it does.
  const FileLock taken = FileLock::acquire(dir / "cell.lock", [&] {
    ++waits;
    release = std::thread([&] {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      holder.reset();
    });
  });
  release.join();
  EXPECT_EQ(waits, 1);
  EXPECT_FALSE(holder.has_value());
}

}  // namespace
}  // namespace lindiff
