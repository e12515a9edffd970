#include "core/sha256.hpp"

#include <gtest/gtest.h>

#include "core/file_io.hpp"
#include "test_support.hpp"

namespace pressroom {
namespace {

TEST(Sha256, MatchesFips180Vectors) {
  const std::string abc = "abc";
  EXPECT_EQ(sha256_hex(std::as_bytes(std::span(abc))),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_hex({}), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(Sha256, MatchesSha256sumOnARealPhoto) {
  const auto file = testing::fixture("camera.jpg");
  auto bytes = read_file(file, 1U << 30U);
  ASSERT_TRUE(bytes) << to_string(bytes.error());
  const auto result = testing::run_process({"/usr/bin/sha256sum", file.string()});
  ASSERT_EQ(result.exit_code, 0);
  EXPECT_EQ(sha256_hex(*bytes), result.out.substr(0, 64));
}

TEST(Sha256, StreamedInPiecesEqualsOneShot) {
  auto bytes = read_file(testing::fixture("camera.jpg"), 1U << 30U);
  ASSERT_TRUE(bytes) << to_string(bytes.error());
  Sha256 hasher;
  hasher.update(std::span(*bytes).first(100));  // a stale prefix, then a restart
  hasher.reset();
  const std::span<const std::byte> all(*bytes);
  for (std::size_t offset = 0; offset < all.size(); offset += 4099) {
    hasher.update(all.subspan(offset, std::min<std::size_t>(4099, all.size() - offset)));
  }
  EXPECT_EQ(hasher.hex_digest(), sha256_hex(all));
}

}  // namespace
}  // namespace pressroom
