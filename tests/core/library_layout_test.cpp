#include "core/library_layout.hpp"

#include <gtest/gtest.h>

#include "test_support.hpp"

namespace pressroom {
namespace {

constexpr std::string_view k_hash =
    "abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789";

TEST(LibraryLayout, ShardsOriginalsAndRenditionsByHash) {
  const LibraryLayout layout("/lib");
  EXPECT_EQ(layout.catalog_file(), "/lib/catalog.sqlite");
  EXPECT_EQ(layout.original(k_hash, ImageType::jpeg),
            "/lib/originals/ab/" + std::string(k_hash) + ".jpg");
  EXPECT_EQ(layout.original(k_hash, ImageType::png),
            "/lib/originals/ab/" + std::string(k_hash) + ".png");
  EXPECT_EQ(layout.rendition(256, k_hash),
            "/lib/renditions/256/ab/" + std::string(k_hash) + ".jpg");
  EXPECT_EQ(layout.rendition(1280, k_hash),
            "/lib/renditions/1280/ab/" + std::string(k_hash) + ".jpg");
}

TEST(LibraryLayout, CreatesItsFolders) {
  const testing::TempDir dir;
  const LibraryLayout layout(dir / "library");
  ASSERT_TRUE(layout.create_folders());
  EXPECT_TRUE(std::filesystem::is_directory(dir / "library/originals"));
  EXPECT_TRUE(std::filesystem::is_directory(dir / "library/renditions/256"));
  EXPECT_TRUE(std::filesystem::is_directory(dir / "library/renditions/1280"));
  EXPECT_TRUE(layout.create_folders()) << "creating again must keep what is there";
}

}  // namespace
}  // namespace pressroom
