#include "core/file_io.hpp"

#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "test_support.hpp"

namespace pressroom {
namespace {

std::string contents(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(FileIo, WritesAtomicallyCreatingFoldersAndLeavingNoTemporaries) {
  const testing::TempDir dir;
  const auto target = dir / "a/b/photo.jpg";
  const std::string first = "first version";
  ASSERT_TRUE(write_file_atomically(target, std::as_bytes(std::span(first))));
  EXPECT_EQ(contents(target), first);
  const std::string second = "second, longer version";
  ASSERT_TRUE(write_file_atomically(target, std::as_bytes(std::span(second))));
  EXPECT_EQ(contents(target), second);
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(target.parent_path())) {
    (void)entry;
    ++files;
  }
  EXPECT_EQ(files, 1) << "a temporary file was left behind";
}

TEST(FileIo, WriteIntoAFileAsFolderFailsWithIoAndNamesThePath) {
  const testing::TempDir dir;
  std::ofstream(dir / "plain") << "x";
  const std::string text = "x";
  auto written = write_file_atomically(dir / "plain/photo.jpg", std::as_bytes(std::span(text)));
  ASSERT_FALSE(written);
  EXPECT_EQ(written.error().code, Errc::io);
  EXPECT_NE(written.error().subject.find("plain"), std::string::npos);
}

TEST(FileIo, ReadReportsMissingFolderFifoAndSizeLimit) {
  const testing::TempDir dir;
  auto missing = read_file(dir / "nope.jpg", 100);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, Errc::not_found);
  EXPECT_EQ(missing.error().subject, (dir / "nope.jpg").string());

  auto folder = read_file(dir.path(), 100);
  ASSERT_FALSE(folder);
  EXPECT_EQ(folder.error().code, Errc::invalid_input);

  ASSERT_EQ(::mkfifo((dir / "fifo").c_str(), 0600), 0);
  auto fifo = read_file(dir / "fifo", 100);  // must not block waiting for a writer
  ASSERT_FALSE(fifo);
  EXPECT_EQ(fifo.error().code, Errc::invalid_input);

  auto big = read_file(testing::fixture("camera.jpg"), 1000);
  ASSERT_FALSE(big);
  EXPECT_EQ(big.error().code, Errc::too_large);
}

TEST(FileIo, ReadsWholeFile) {
  auto bytes = read_file(testing::fixture("camera.jpg"), 1U << 30U);
  ASSERT_TRUE(bytes) << to_string(bytes.error());
  EXPECT_EQ(bytes->size(), std::filesystem::file_size(testing::fixture("camera.jpg")));
}

}  // namespace
}  // namespace pressroom
