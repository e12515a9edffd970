// End to end: the real pressroom binary, a real library folder, real photographs.
#include <gtest/gtest.h>

#include "test_support.hpp"

namespace pressroom {
namespace {

using testing::json_lines;
using testing::run_pressroom;

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    m_library = (m_dir / "library").string();
    const auto init = run_pressroom({"init", m_library});
    ASSERT_EQ(init.exit_code, 0) << init.err;
    std::filesystem::create_directories(m_dir / "in");
  }

  std::string input(const std::string& fixture, const std::string& as) {
    const auto target = m_dir / "in" / as;
    std::filesystem::copy_file(testing::fixture(fixture), target);
    return target.string();
  }

  testing::TempDir m_dir;
  std::string m_library;
};

TEST_F(CliTest, InitCreatesTheLayoutAndIsSafeToRepeat) {
  EXPECT_TRUE(std::filesystem::is_regular_file(m_dir / "library/catalog.sqlite"));
  EXPECT_TRUE(std::filesystem::is_directory(m_dir / "library/originals"));
  EXPECT_TRUE(std::filesystem::is_directory(m_dir / "library/renditions/256"));
  EXPECT_TRUE(std::filesystem::is_directory(m_dir / "library/renditions/1280"));
  const auto again = run_pressroom({"init", m_library, "--json"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  const auto lines = json_lines(again.out);
  ASSERT_EQ(lines.size(), 1U);
  EXPECT_EQ(lines[0]["created"], false);
  EXPECT_EQ(lines[0]["photos"], 0);
}

TEST_F(CliTest, InitRefusesAFolderWithOtherFiles) {
  input("notes.txt", "notes.txt");
  const auto refused = run_pressroom({"init", (m_dir / "in").string()});
  EXPECT_EQ(refused.exit_code, 3);
  EXPECT_NE(refused.err.find("not empty"), std::string::npos) << refused.err;
  EXPECT_FALSE(std::filesystem::exists(m_dir / "in/catalog.sqlite"));
}

TEST_F(CliTest, ImportThenListAndShowAsJson) {
  const std::string camera = input("camera.jpg", "Storm.jpg");
  const std::string rotated = input("orientation-6.jpg", "rotated.jpg");
  const auto imported =
      run_pressroom({"--library", m_library, "import", camera, rotated, "--json"});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  const auto lines = json_lines(imported.out);
  ASSERT_EQ(lines.size(), 3U);
  EXPECT_EQ(lines[0]["state"], "imported");
  EXPECT_EQ(lines[0]["input"], camera);
  EXPECT_EQ(lines[2]["summary"]["imported"], 2);
  EXPECT_EQ(lines[2]["summary"]["failed"], 0);

  const auto listed = run_pressroom({"list", "--json", "--library", m_library});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  const auto photos = json_lines(listed.out);
  ASSERT_EQ(photos.size(), 2U);
  const auto& storm = photos[0];
  EXPECT_EQ(storm["id"], 1);
  EXPECT_EQ(storm["type"], "jpeg");
  EXPECT_EQ(storm["width"], 1920);
  EXPECT_EQ(storm["height"], 1280);
  EXPECT_EQ(storm["orientation"], 1);
  EXPECT_EQ(storm["date_taken"], "2008-04-20T19:12:06");
  EXPECT_TRUE(storm["date_taken_offset"].is_null());
  EXPECT_EQ(storm["camera_make"], "Canon");
  EXPECT_EQ(storm["camera_model"], "Canon EOS 400D DIGITAL");
  EXPECT_EQ(storm["original_name"], "Storm.jpg");
  EXPECT_EQ(storm["bytes"], std::filesystem::file_size(camera));
  EXPECT_TRUE(std::filesystem::exists(storm["files"]["original"].get<std::string>()));
  EXPECT_TRUE(std::filesystem::exists(storm["files"]["thumbnail"].get<std::string>()));
  EXPECT_TRUE(std::filesystem::exists(storm["files"]["preview"].get<std::string>()));
  EXPECT_EQ(photos[1]["display_width"], 576);
  EXPECT_EQ(photos[1]["display_height"], 1024);

  const std::string prefix = storm["sha256"].get<std::string>().substr(0, 8);
  const auto by_hash =
      run_pressroom({"show", prefix, "--json"}, {{"PRESSROOM_LIBRARY", m_library}});
  ASSERT_EQ(by_hash.exit_code, 0) << by_hash.err;
  // show has every field list has, and the catalog's view of the photo besides.
  const auto shown = json_lines(by_hash.out).at(0);
  for (const auto& [key, value] : storm.items()) {
    EXPECT_EQ(shown[key], value) << key;
  }
  EXPECT_EQ(shown["caption"], "");
  EXPECT_EQ(shown["credit"], nullptr);
  EXPECT_EQ(shown["tags"], nlohmann::json::array());
  const auto by_id = run_pressroom({"show", "2"}, {{"PRESSROOM_LIBRARY", m_library}});
  ASSERT_EQ(by_id.exit_code, 0) << by_id.err;
  EXPECT_NE(by_id.out.find("original_name: rotated.jpg"), std::string::npos) << by_id.out;
}

TEST_F(CliTest, ReimportReportsUnchangedAndExitsZero) {
  const std::string camera = input("camera.jpg", "a.jpg");
  ASSERT_EQ(run_pressroom({"--library", m_library, "import", camera}).exit_code, 0);
  const auto again = run_pressroom({"--library", m_library, "import", camera});
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("unchanged"), std::string::npos);
  EXPECT_NE(again.out.find("0 imported, 1 unchanged, 0 failed"), std::string::npos) << again.out;
}

TEST_F(CliTest, BadInputsGetOneStderrLineEachAndExitFiveWhenAnInputIsUnusable) {
  const std::string good = input("camera.jpg", "good.jpg");
  const std::vector<std::string> bad{
      input("truncated.jpg", "truncated.jpg"), input("empty.jpg", "empty.jpg"),
      input("not-an-image.jpg", "page.jpg"), (m_dir / "in/missing.jpg").string()};
  std::filesystem::create_directories(m_dir / "no-images");
  std::vector<std::string> arguments{"--library", m_library, "import"};
  arguments.insert(arguments.end(), bad.begin(), bad.end());
  arguments.push_back((m_dir / "no-images").string());
  arguments.push_back(good);
  const auto result = run_pressroom(arguments);
  EXPECT_EQ(result.exit_code, 5) << "a missing path and a folder without images are unusable";
  std::vector<std::string> lines;
  std::istringstream err(result.err);
  for (std::string line; std::getline(err, line);) {
    lines.push_back(line);
  }
  ASSERT_EQ(lines.size(), 5U) << result.err;
  const std::vector<std::string> reasons{"truncated JPEG", "empty file", "not an image",
                                         "no such file", "no images"};
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string& path = i < bad.size() ? bad[i] : (m_dir / "no-images").string();
    EXPECT_EQ(lines[i].rfind("pressroom: " + path + ": ", 0), 0U) << lines[i];
    EXPECT_NE(lines[i].find(reasons[i]), std::string::npos) << lines[i];
  }
  EXPECT_NE(result.out.find("1 imported, 0 unchanged, 5 failed"), std::string::npos) << result.out;
  const auto listed = run_pressroom({"--library", m_library, "list", "--json"});
  EXPECT_EQ(json_lines(listed.out).size(), 1U);
  const auto photo_failed = run_pressroom({"--library", m_library, "import", bad[0], good});
  EXPECT_EQ(photo_failed.exit_code, 1) << "a photo that cannot be read is a failure, not an "
                                          "unusable input";
}

TEST_F(CliTest, ExitCodesForUsageMissingLibraryAndUnknownPhoto) {
  EXPECT_EQ(run_pressroom({}).exit_code, 2);
  EXPECT_EQ(run_pressroom({"import"}).exit_code, 2) << "PATH is required";
  EXPECT_EQ(run_pressroom({"frobnicate"}).exit_code, 2);
  const auto no_library = run_pressroom({"list"}, {{"PRESSROOM_LIBRARY", ""}});
  EXPECT_EQ(no_library.exit_code, 2);
  EXPECT_NE(no_library.err.find("--library"), std::string::npos);
  const auto missing = run_pressroom({"--library", (m_dir / "nothing").string(), "list"});
  EXPECT_EQ(missing.exit_code, 3);
  EXPECT_NE(missing.err.find("pressroom init"), std::string::npos) << missing.err;
  EXPECT_FALSE(std::filesystem::exists(m_dir / "nothing")) << "list must not create a library";
  EXPECT_EQ(run_pressroom({"--library", m_library, "show", "42"}).exit_code, 4);
  EXPECT_EQ(run_pressroom({"--library", m_library, "show", "not-a-hash"}).exit_code, 2);
}

TEST_F(CliTest, EntrySetUrlNamesAnUnknownEntryAndRefusesAnEmptyUrl) {
  const auto unknown =
      run_pressroom({"--library", m_library, "entry", "set-url", "4711", "https://a/b.jpg"});
  EXPECT_EQ(unknown.exit_code, 4) << unknown.err;
  EXPECT_NE(unknown.err.find("entry 4711"), std::string::npos) << unknown.err;
  const auto empty = run_pressroom({"--library", m_library, "entry", "set-url", "4711", ""});
  EXPECT_EQ(empty.exit_code, 2) << empty.err;
  const auto nothing = run_pressroom({"--library", m_library, "import"});
  EXPECT_EQ(nothing.exit_code, 2);
  EXPECT_NE(nothing.err.find("--retry-failed"), std::string::npos) << nothing.err;
  const auto retry = run_pressroom({"--library", m_library, "--json", "import", "--retry-failed"});
  EXPECT_EQ(retry.exit_code, 0) << retry.err << "nothing failed: nothing to retry";
}

TEST_F(CliTest, HelpDocumentsEveryExitCode) {
  const auto help = run_pressroom({"--help"});
  EXPECT_EQ(help.exit_code, 0);
  for (const std::string code : {"0  success", "1  some inputs failed", "2  wrong arguments",
                                 "3  the library", "4  the photo"}) {
    EXPECT_NE(help.out.find(code), std::string::npos) << code;
  }
}

}  // namespace
}  // namespace pressroom
