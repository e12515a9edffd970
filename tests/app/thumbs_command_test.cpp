// End to end: `pressroom thumbs rebuild` and `--jobs`, the real binary on a real library.
#include <fstream>

#include <gtest/gtest.h>

#include "test_support.hpp"

namespace pressroom {
namespace {

using testing::json_lines;
using testing::read_text;
using testing::run_pressroom;

class ThumbsCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    m_library = (m_dir / "library").string();
    ASSERT_EQ(run_pressroom({"init", m_library}).exit_code, 0);
    std::filesystem::create_directories(m_dir / "in");
    for (const std::string name : {"camera.jpg", "orientation-6.jpg", "meta-full.jpg"}) {
      std::filesystem::copy_file(testing::fixture(name), m_dir / "in" / name);
    }
    const auto imported =
        run_pressroom({"--library", m_library, "import", (m_dir / "in").string(), "--json"});
    ASSERT_EQ(imported.exit_code, 0) << imported.err;
    for (const auto& line : json_lines(imported.out)) {
      if (line.contains("photo")) {
        m_photos.push_back(line["photo"]);
      }
    }
    ASSERT_EQ(m_photos.size(), 3U);
  }

  std::string file(std::size_t photo, const std::string& which) const {
    return m_photos.at(photo)["files"][which].get<std::string>();
  }

  testing::TempDir m_dir;
  std::string m_library;
  std::vector<nlohmann::json> m_photos;
};

TEST_F(ThumbsCommandTest, RebuildRestoresRenditionsAndReportsEachPhoto) {
  const std::string thumbnail = read_text(file(0, "thumbnail"));
  const std::string preview = read_text(file(1, "preview"));
  std::filesystem::remove(file(0, "thumbnail"));
  {
    std::ofstream damaged(file(1, "preview"), std::ios::trunc);
    damaged << "damaged";
  }
  const auto rebuilt =
      run_pressroom({"--library", m_library, "thumbs", "rebuild", "--jobs", "2", "--json"});
  ASSERT_EQ(rebuilt.exit_code, 0) << rebuilt.err;
  EXPECT_EQ(read_text(file(0, "thumbnail")), thumbnail);
  EXPECT_EQ(read_text(file(1, "preview")), preview);
  const auto lines = json_lines(rebuilt.out);
  ASSERT_EQ(lines.size(), 4U) << rebuilt.out;
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(lines[i]["photo"], m_photos[i]["id"]);
    EXPECT_EQ(lines[i]["state"], "rebuilt");
  }
  EXPECT_EQ(lines[3]["summary"]["rebuilt"], 3);
  EXPECT_EQ(lines[3]["summary"]["failed"], 0);
  EXPECT_TRUE(rebuilt.err.empty())
      << "no progress bar when stderr is not a terminal: " << rebuilt.err;

  const auto text = run_pressroom({"--library", m_library, "thumbs", "rebuild"});
  EXPECT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("3 rebuilt, 0 failed"), std::string::npos) << text.out;
  EXPECT_TRUE(text.err.empty()) << text.err;
}

TEST_F(ThumbsCommandTest, SizeLimitsTheRebuildToThoseRenditions) {
  for (std::size_t i = 0; i < m_photos.size(); ++i) {
    std::ofstream marker(file(i, "preview"), std::ios::trunc);
    marker << "preview left alone";
  }
  std::filesystem::remove(file(2, "thumbnail"));
  const auto rebuilt =
      run_pressroom({"--library", m_library, "thumbs", "rebuild", "--size", "256"});
  ASSERT_EQ(rebuilt.exit_code, 0) << rebuilt.err;
  for (std::size_t i = 0; i < m_photos.size(); ++i) {
    EXPECT_EQ(read_text(file(i, "preview")), "preview left alone");
  }
  EXPECT_FALSE(testing::load_image(file(2, "thumbnail")).empty());
}

TEST_F(ThumbsCommandTest, AMissingOriginalFailsWithItsReasonExitOneAndTheRestIsRebuilt) {
  std::filesystem::remove(file(1, "original"));
  std::filesystem::remove(file(0, "thumbnail"));
  std::filesystem::remove(file(2, "thumbnail"));
  const auto rebuilt = run_pressroom({"--library", m_library, "thumbs", "rebuild", "--json"});
  EXPECT_EQ(rebuilt.exit_code, 1);
  const std::string id = std::to_string(m_photos[1]["id"].get<int>());
  EXPECT_NE(rebuilt.err.find("pressroom: photo " + id + " ("), std::string::npos) << rebuilt.err;
  EXPECT_NE(rebuilt.err.find("the original is missing"), std::string::npos) << rebuilt.err;
  const auto lines = json_lines(rebuilt.out);
  ASSERT_EQ(lines.size(), 4U);
  EXPECT_EQ(lines[1]["state"], "failed");
  EXPECT_EQ(lines[1]["error"]["code"], "not_found");
  EXPECT_EQ(lines[3]["summary"]["rebuilt"], 2);
  EXPECT_EQ(lines[3]["summary"]["failed"], 1);
  EXPECT_FALSE(testing::load_image(file(0, "thumbnail")).empty());
  EXPECT_FALSE(testing::load_image(file(2, "thumbnail")).empty());
}

TEST_F(ThumbsCommandTest, InvalidSizeAndJobsAreUsageErrors) {
  const auto size = run_pressroom({"--library", m_library, "thumbs", "rebuild", "--size", "300"});
  EXPECT_EQ(size.exit_code, 2);
  EXPECT_NE(size.err.find("300"), std::string::npos) << size.err;
  EXPECT_NE(size.err.find("valid: 256, 1280"), std::string::npos) << size.err;
  for (const std::string jobs : {"0", "-3"}) {
    SCOPED_TRACE(jobs);
    const auto rebuild =
        run_pressroom({"--library", m_library, "thumbs", "rebuild", "--jobs", jobs});
    EXPECT_EQ(rebuild.exit_code, 2);
    EXPECT_NE(rebuild.err.find("--jobs " + jobs + ": must be at least 1"), std::string::npos)
        << rebuild.err;
    const auto import =
        run_pressroom({"--library", m_library, "import", (m_dir / "in").string(), "--jobs", jobs});
    EXPECT_EQ(import.exit_code, 2);
    EXPECT_NE(import.err.find("must be at least 1"), std::string::npos) << import.err;
  }
  EXPECT_EQ(run_pressroom({"--library", m_library, "thumbs"}).exit_code, 2) << "rebuild required";
  const auto help = run_pressroom({"thumbs", "rebuild", "--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("--size"), std::string::npos);
  EXPECT_NE(help.out.find("--jobs"), std::string::npos);
  const auto no_library =
      run_pressroom({"--library", (m_dir / "none").string(), "thumbs", "rebuild"});
  EXPECT_EQ(no_library.exit_code, 3);
}

}  // namespace
}  // namespace pressroom
