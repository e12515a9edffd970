#include "thumbs/perceptual_hash.hpp"

#include <bit>

#include <gtest/gtest.h>

#include "core/file_io.hpp"
#include "test_support.hpp"
#include "thumbs/render.hpp"

namespace pressroom::thumbs {
namespace {

// render()'s hash of a fixture, with the orientation given (the importer passes the EXIF one).
std::uint64_t hash_of(const std::string& name, int orientation = 1) {
  auto bytes = read_file(testing::fixture(name), 1U << 30U);
  EXPECT_TRUE(bytes) << name;
  if (!bytes) {
    return 0;
  }
  auto rendered = render(*bytes, ImageType::jpeg, orientation, name);
  EXPECT_TRUE(rendered) << to_string(rendered.error());
  return rendered ? rendered->perceptual_hash : 0;
}

// Unrelated photos differ in about half the 64 bits; bench/README.md measured no pair of
// unrelated photographs closer than 18. Near-duplicates there: at most 8.
constexpr int k_unrelated_at_least = 20;
constexpr int k_near_at_most = 8;

TEST(PerceptualHash, ACroppedReencodedCopyIsCloseAndOtherPhotosAreFar) {
  const std::uint64_t photo = hash_of("base.jpg");
  const std::uint64_t copy = hash_of("near-duplicate.jpg");  // 4 % cut, 800 px, quality 70
  EXPECT_LE(hash_distance(photo, copy), k_near_at_most);
  // The progressive re-encode of the same pixels is all but the same picture.
  EXPECT_LE(hash_distance(photo, hash_of("progressive.jpg")), 2);
  for (const char* other : {"camera.jpg", "portrait.jpg"}) {
    EXPECT_GE(hash_distance(photo, hash_of(other)), k_unrelated_at_least) << other;
    EXPECT_GE(hash_distance(copy, hash_of(other)), k_unrelated_at_least) << other;
  }
  EXPECT_GE(hash_distance(hash_of("camera.jpg"), hash_of("portrait.jpg")), k_unrelated_at_least);
}

TEST(PerceptualHash, IsTakenAfterTheOrientationIsApplied) {
  // orientation-6.jpg stores base.jpg's pixels with the tag; rotated-6.jpg stores them upright.
  const std::uint64_t upright = hash_of("rotated-6.jpg");
  EXPECT_LE(hash_distance(hash_of("orientation-6.jpg", 6), upright), 2);
  // Read as stored, the same pixels lie on their side: another picture to the hash.
  EXPECT_GE(hash_distance(hash_of("orientation-6.jpg", 1), upright), k_unrelated_at_least);
}

TEST(PerceptualHash, TheStoredThumbnailGivesAlmostTheSameHash) {
  // What `duplicates` computes for photos imported before the hash was stored.
  for (const char* name : {"base.jpg", "camera.jpg", "portrait.jpg"}) {
    auto bytes = read_file(testing::fixture(name), 1U << 30U);
    ASSERT_TRUE(bytes);
    auto rendered = render(*bytes, ImageType::jpeg, 1, name);
    ASSERT_TRUE(rendered) << to_string(rendered.error());
    auto from_thumbnail = perceptual_hash_of_jpeg(rendered->renditions.front().jpeg, name);
    ASSERT_TRUE(from_thumbnail) << to_string(from_thumbnail.error());
    EXPECT_LE(hash_distance(*from_thumbnail, rendered->perceptual_hash), 2) << name;
  }
}

TEST(PerceptualHash, RefusesWhatIsNotAJpeg) {
  for (const char* name : {"not-an-image.jpg", "empty.jpg", "base.png"}) {
    auto bytes = read_file(testing::fixture(name), 1U << 30U);
    ASSERT_TRUE(bytes);
    auto hash = perceptual_hash_of_jpeg(*bytes, name);
    ASSERT_FALSE(hash) << name;
    EXPECT_EQ(hash.error().code, Errc::corrupt_data);
  }
}

TEST(PerceptualHash, HasHalfItsBitsSet) {
  // The median threshold: 32 coefficients above it (ties aside), whatever the photo.
  for (const char* name : {"base.jpg", "camera.jpg", "portrait.jpg", "near-duplicate.jpg"}) {
    EXPECT_EQ(std::popcount(hash_of(name)), 32) << name;
  }
}

TEST(NearDuplicateGroups, ChainsWithinTheDistanceAndLeavesSinglesOut) {
  const std::vector<std::uint64_t> hashes{
      0x0000000000000000ULL,  // 0: a series, each 3 bits from the one before ...
      0xffffffffffffffffULL,  // 1: alone
      0x0000000000000007ULL,  // 2: 3 from 0
      0x00000000000000ffULL,  // 3: 5 from 2, 8 from 0: in 0's group only through 2
      0xffffffff00000000ULL,  // 4: with 5
      0xffffffff00000001ULL,  // 5
  };
  const auto groups = near_duplicate_groups(hashes, 5);
  ASSERT_EQ(groups.size(), 2U);
  EXPECT_EQ(groups[0], (std::vector<std::size_t>{0, 2, 3}));
  EXPECT_EQ(groups[1], (std::vector<std::size_t>{4, 5}));
  // Tighter, the chain breaks where a link is longer.
  const auto tight = near_duplicate_groups(hashes, 3);
  ASSERT_EQ(tight.size(), 2U);
  EXPECT_EQ(tight[0], (std::vector<std::size_t>{0, 2}));
  EXPECT_EQ(tight[1], (std::vector<std::size_t>{4, 5}));
  // 0: only identical hashes.
  const std::vector<std::uint64_t> same{5, 9, 5, 5, 9, 1};
  const auto exact = near_duplicate_groups(same, 0);
  ASSERT_EQ(exact.size(), 2U);
  EXPECT_EQ(exact[0], (std::vector<std::size_t>{0, 2, 3}));
  EXPECT_EQ(exact[1], (std::vector<std::size_t>{1, 4}));
  EXPECT_TRUE(near_duplicate_groups({}, 10).empty());
}

}  // namespace
}  // namespace pressroom::thumbs
