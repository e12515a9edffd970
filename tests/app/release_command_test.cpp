// End to end: `pressroom release parse` on the seed documents, against their golden files.
#include <fstream>

#include <gtest/gtest.h>

#include "test_support.hpp"

namespace pressroom {
namespace {

using testing::release_fixture;
using testing::run_pressroom;

// The golden file beside a seed: its `pressroom release parse --json` output as a person
// checked it, without the "source" field (a path that differs between checkouts).
nlohmann::json golden(const std::string& seed) {
  std::string name = seed.substr(0, seed.size() - 4) + ".expected.json";
  std::ifstream stream(release_fixture(name));
  return nlohmann::json::parse(stream);
}

void expect_matches_golden(const std::string& seed) {
  const auto parsed = run_pressroom({"release", "parse", release_fixture(seed).string(), "--json"});
  ASSERT_EQ(parsed.exit_code, 0) << parsed.err;
  const auto lines = testing::json_lines(parsed.out);
  ASSERT_EQ(lines.size(), 1U);
  nlohmann::json actual = lines[0];
  EXPECT_EQ(actual["source"], release_fixture(seed).string());
  actual.erase("source");
  const nlohmann::json expected = golden(seed);
  // Entry by entry first, so that a failure names the entry and not the whole document.
  ASSERT_EQ(actual["photos"].size(), expected["photos"].size());
  for (std::size_t i = 0; i < expected["photos"].size(); ++i) {
    EXPECT_EQ(actual["photos"][i], expected["photos"][i]) << "photo entry " << i + 1;
  }
  ASSERT_EQ(actual["items"].size(), expected["items"].size());
  for (std::size_t i = 0; i < expected["items"].size(); ++i) {
    EXPECT_EQ(actual["items"][i], expected["items"][i]) << "news item " << i + 1;
  }
  EXPECT_EQ(actual, expected);
}

TEST(ReleaseCommand, ReproducesEveryEntryOfTheSeedRelease) {
  expect_matches_golden("001_7ff45f0d1d94c85c.txt");
}

TEST(ReleaseCommand, ReproducesEveryItemOfTheSeedNewsPage) {
  expect_matches_golden("000_cd2ad829a3447204.txt");
}

TEST(ReleaseCommand, PrintsAReadableTableWithoutJson) {
  const auto parsed =
      run_pressroom({"release", "parse", release_fixture("001_7ff45f0d1d94c85c.txt").string()});
  ASSERT_EQ(parsed.exit_code, 0) << parsed.err;
  EXPECT_NE(parsed.out.find("press release of 2019-09-01: 50 photos"), std::string::npos)
      << parsed.out;
  EXPECT_NE(parsed.out.find("50. Dr. Dorothee Stapelfeldt"), std::string::npos);
  EXPECT_NE(parsed.out.find("warning: the URL has no file extension"), std::string::npos);
}

TEST(ReleaseCommand, NamesAnUnusableInputAndExitsWithFive) {
  testing::TempDir dir;
  const auto missing = run_pressroom({"release", "parse", (dir / "missing.txt").string()});
  EXPECT_EQ(missing.exit_code, 5);
  EXPECT_NE(missing.err.find("missing.txt"), std::string::npos) << missing.err;
  EXPECT_TRUE(missing.out.empty());

  std::ofstream(dir / "empty.txt").close();
  const auto empty = run_pressroom({"release", "parse", (dir / "empty.txt").string(), "--json"});
  EXPECT_EQ(empty.exit_code, 5);
  EXPECT_NE(empty.err.find("empty.txt: empty"), std::string::npos) << empty.err;
  EXPECT_TRUE(empty.out.empty());

  const auto photo = run_pressroom({"release", "parse", testing::fixture("camera.jpg").string()});
  EXPECT_EQ(photo.exit_code, 5);
  EXPECT_NE(photo.err.find("binary data"), std::string::npos) << photo.err;
}

TEST(ReleaseCommand, ExitsWithTwoWithoutAFile) {
  const auto usage = run_pressroom({"release", "parse"});
  EXPECT_EQ(usage.exit_code, 2);
  EXPECT_NE(usage.err.find("FILE"), std::string::npos) << usage.err;
}

}  // namespace
}  // namespace pressroom
