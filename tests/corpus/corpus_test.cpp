// The corpus suite: pressroom over ../shared/corpus in place — real camera files from many
// makers, every orientation, broken and hostile files. Asserts: no crash, no hang, every file
// accounted for, a named reason for every failure, and orientation as exiftool reads it.
#include <gtest/gtest.h>

#include "test_support.hpp"

namespace pressroom {
namespace {

const std::filesystem::path k_images = std::filesystem::path(PRESSROOM_CORPUS_DIR) / "images";

class CorpusTest : public ::testing::TestWithParam<std::string> {};

TEST_P(CorpusTest, ImportsEveryFileOrNamesWhyNot) {
  const testing::TempDir dir;
  const std::string library = (dir / "library").string();
  ASSERT_EQ(testing::run_pressroom({"init", library}).exit_code, 0);
  const auto folder = k_images / GetParam();
  std::set<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    files.insert(entry.path().string());
  }
  const auto result =
      testing::run_pressroom({"--library", library, "import", folder.string(), "--json"});
  ASSERT_TRUE(result.exit_code == 0 || result.exit_code == 1)
      << "crashed or hung: exit " << result.exit_code << "\n"
      << result.err;
  const auto lines = testing::json_lines(result.out);
  ASSERT_FALSE(lines.empty());
  std::set<std::string> seen;
  int failed = 0;
  for (const auto& line : lines) {
    if (line.contains("summary")) {
      EXPECT_EQ(line["summary"]["failed"], failed);
      continue;
    }
    const std::string input = line["input"];
    seen.insert(input);
    if (line["state"] == "failed") {
      ++failed;
      const std::string message = line["error"]["message"];
      EXPECT_EQ(message.rfind(input + ": ", 0), 0U) << message;
      EXPECT_GT(message.size(), input.size() + 10) << "no reason given: " << message;
      EXPECT_NE(result.err.find(message), std::string::npos) << "not on stderr: " << message;
    } else {
      EXPECT_TRUE(std::filesystem::exists(line["photo"]["files"]["thumbnail"].get<std::string>()));
    }
  }
  EXPECT_EQ(seen, files) << "every file must end in exactly one state";
  EXPECT_EQ(result.exit_code, failed > 0 ? 1 : 0);
}

INSTANTIATE_TEST_SUITE_P(Folders, CorpusTest,
                         ::testing::Values("broken", "cmyk_color", "exiftool_t", "gps", "icc",
                                           "iptc_xmp", "large", "makernotes", "orientation",
                                           "progressive", "text_encoding", "unusual_coding"));

// Real cameras' orientation tags: the preview is upright the way exiftool reads the tag.
TEST(Corpus, OrientationMatchesExiftool) {
  const testing::TempDir dir;
  const std::string library = (dir / "library").string();
  ASSERT_EQ(testing::run_pressroom({"init", library}).exit_code, 0);
  const auto result = testing::run_pressroom(
      {"--library", library, "import", (k_images / "orientation").string(), "--json"});
  ASSERT_TRUE(result.exit_code == 0 || result.exit_code == 1) << result.err;
  int checked = 0;
  for (const auto& line : testing::json_lines(result.out)) {
    if (!line.contains("photo")) {
      continue;
    }
    const std::string input = line["input"];
    SCOPED_TRACE(input);
    const auto oracle = testing::exiftool(input, {"Orientation", "ImageWidth", "ImageHeight"});
    int orientation = oracle.value("Orientation", 1);
    if (orientation < 1 || orientation > 8) {
      orientation = 1;
    }
    const auto& photo = line["photo"];
    EXPECT_EQ(photo["orientation"], orientation);
    EXPECT_EQ(photo["width"], oracle.value("ImageWidth", -1));
    EXPECT_EQ(photo["height"], oracle.value("ImageHeight", -1));
    const cv::Mat preview = testing::load_image(photo["files"]["preview"].get<std::string>());
    ASSERT_FALSE(preview.empty());
    const bool turned = orientation >= 5;
    const int shown_width = turned ? oracle.value("ImageHeight", 0) : oracle.value("ImageWidth", 0);
    const int shown_height =
        turned ? oracle.value("ImageWidth", 0) : oracle.value("ImageHeight", 0);
    if (shown_width != shown_height) {
      EXPECT_EQ(preview.cols > preview.rows, shown_width > shown_height);
    }
    ++checked;
  }
  EXPECT_GE(checked, 30);
}

}  // namespace
}  // namespace pressroom
