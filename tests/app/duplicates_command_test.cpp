// End to end: `pressroom duplicates` on a real library of real photos, through the binary.
#include <filesystem>

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "test_support.hpp"

namespace pressroom {
namespace {

using testing::fixture;
using testing::json_lines;
using testing::run_pressroom;

class DuplicatesCommand : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto created = run_pressroom({"init", m_library.string()});
    ASSERT_EQ(created.exit_code, 0) << created.err;
    // A photo, a copy cut by 4 %, scaled and re-encoded at quality 70, and an unrelated photo.
    const auto imported =
        run({"import", fixture("base.jpg").string(), fixture("near-duplicate.jpg").string(),
             fixture("camera.jpg").string(), "--json"});
    ASSERT_EQ(imported.exit_code, 0) << imported.err;
    for (const auto& line : json_lines(imported.out)) {
      if (line.contains("photo")) {
        m_ids.push_back(line["photo"]["id"].get<std::int64_t>());
      }
    }
    ASSERT_EQ(m_ids.size(), 3U) << imported.out;
  }

  testing::ProcessResult run(std::vector<std::string> arguments) {
    arguments.insert(arguments.begin(), {"--library", m_library.string()});
    return run_pressroom(arguments);
  }

  // The ids of each group `duplicates --json` prints, checking the JSON's form on the way.
  std::vector<std::vector<std::int64_t>> groups(std::vector<std::string> arguments = {}) {
    arguments.insert(arguments.begin(), "duplicates");
    arguments.emplace_back("--json");
    const auto result = run(arguments);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    std::vector<std::vector<std::int64_t>> out;
    for (const auto& group : json_lines(result.out)) {
      EXPECT_EQ(group["group"].get<std::size_t>(), out.size() + 1);
      std::vector<std::int64_t> ids;
      for (const auto& photo : group["photos"]) {
        ids.push_back(photo["id"].get<std::int64_t>());
        EXPECT_EQ(photo["perceptual_hash"].get<std::string>().size(), 16U);
        EXPECT_TRUE(photo["thumbnail"].is_string());
      }
      out.push_back(std::move(ids));
    }
    return out;
  }

  // Runs SQL on the library's catalog with a connection of its own.
  void sql(const std::string& statement) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((m_library / "catalog.sqlite").c_str(), &db), SQLITE_OK);
    EXPECT_EQ(sqlite3_exec(db, statement.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);
  }

  // The first column of the first row of a query on the library's catalog, as text.
  std::string query(const std::string& statement) {
    sqlite3* db = nullptr;
    sqlite3_open((m_library / "catalog.sqlite").c_str(), &db);
    sqlite3_stmt* prepared = nullptr;
    std::string out;
    if (sqlite3_prepare_v2(db, statement.c_str(), -1, &prepared, nullptr) == SQLITE_OK &&
        sqlite3_step(prepared) == SQLITE_ROW && sqlite3_column_text(prepared, 0) != nullptr) {
      out = reinterpret_cast<const char*>(sqlite3_column_text(prepared, 0));
    }
    sqlite3_finalize(prepared);
    sqlite3_close(db);
    return out;
  }

  testing::TempDir m_dir;
  std::filesystem::path m_library = m_dir / "library";
  std::vector<std::int64_t> m_ids;  // base, near-duplicate, camera
};

TEST_F(DuplicatesCommand, GroupsTheCopyWithItsPhotoAndLeavesTheUnrelatedOneOut) {
  // The importer stored every photo's hash: the command reads them, computes none.
  EXPECT_EQ(query("SELECT count(*) FROM photos WHERE length(perceptual_hash) = 16"), "3");
  const auto found = groups();
  ASSERT_EQ(found.size(), 1U);
  EXPECT_EQ(found[0], (std::vector<std::int64_t>{m_ids[0], m_ids[1]}));

  const auto json = run({"duplicates", "--json"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  const auto group = json_lines(json.out).at(0);
  EXPECT_EQ(group["max_distance"], 10);
  const auto& photo = group["photos"][1];
  EXPECT_EQ(photo["original_name"], "near-duplicate.jpg");
  EXPECT_EQ(photo["display_width"], 800);
  EXPECT_GT(photo["distance"].get<int>(), 0);  // a crop and a re-encode: close, not the same
  EXPECT_LE(photo["distance"].get<int>(), 10);
  EXPECT_TRUE(std::filesystem::exists(photo["thumbnail"].get<std::string>()));

  const auto result = run({"duplicates"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("group 1: 2 photos"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("near-duplicate.jpg"), std::string::npos) << result.out;
  EXPECT_EQ(result.out.find("camera.jpg"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("1 group of 2 near-identical photos among 3"), std::string::npos)
      << result.out;
}

TEST_F(DuplicatesCommand, MaxDistanceZeroGroupsOnlyTheSamePicture) {
  EXPECT_TRUE(groups({"--max-distance", "0"}).empty());
  // progressive.jpg is base.jpg's pixels re-encoded losslessly: the same picture.
  const auto imported = run({"import", fixture("progressive.jpg").string(), "--json"});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  const auto id = json_lines(imported.out).front()["photo"]["id"].get<std::int64_t>();
  const auto exact = groups({"--max-distance", "0"});
  ASSERT_EQ(exact.size(), 1U);
  EXPECT_EQ(exact[0], (std::vector<std::int64_t>{m_ids[0], id}));
  const auto all = groups();
  ASSERT_EQ(all.size(), 1U);
  EXPECT_EQ(all[0], (std::vector<std::int64_t>{m_ids[0], m_ids[1], id}));
  // The whole range of a 64-bit hash: everything is one group.
  ASSERT_EQ(groups({"--max-distance", "64"}).size(), 1U);
  EXPECT_EQ(run({"duplicates", "--max-distance", "65"}).exit_code, 2);
  EXPECT_EQ(run({"duplicates", "--max-distance", "-1"}).exit_code, 2);
}

TEST_F(DuplicatesCommand, HashesPhotosImportedBeforeHashesWereStored) {
  sql("UPDATE photos SET perceptual_hash = NULL");
  const auto found = groups();
  EXPECT_EQ(query("SELECT count(*) FROM photos WHERE length(perceptual_hash) = 16"), "3");
  ASSERT_EQ(found.size(), 1U);
  EXPECT_EQ(found[0], (std::vector<std::int64_t>{m_ids[0], m_ids[1]}));
  // ... and stores them: with the thumbnails gone, the stored hashes still serve.
  std::filesystem::remove_all(m_library / "renditions" / "256");
  EXPECT_EQ(groups().size(), 1U);
}

TEST_F(DuplicatesCommand, FillsOnlyMissingHashesAndNeverReplacesAStoredOne) {
  // A stored hash is the catalog's word, even one that no longer fits the thumbnail: replacing
  // it is `thumbs rebuild`'s job, not a side effect of listing.
  const std::string where = " WHERE id = " + std::to_string(m_ids[2]);
  sql("UPDATE photos SET perceptual_hash = '0123456789abcdef'" + where);
  sql("UPDATE photos SET perceptual_hash = NULL WHERE id = " + std::to_string(m_ids[0]));
  EXPECT_EQ(groups().size(), 1U);
  EXPECT_EQ(query("SELECT perceptual_hash FROM photos" + where), "0123456789abcdef");
  EXPECT_EQ(
      query("SELECT length(perceptual_hash) FROM photos WHERE id = " + std::to_string(m_ids[0])),
      "16");
}

TEST_F(DuplicatesCommand, APhotoThatCannotBeHashedIsNamedAndTheOthersAreGrouped) {
  sql("UPDATE photos SET perceptual_hash = NULL WHERE id = " + std::to_string(m_ids[2]));
  std::filesystem::remove_all(m_library / "renditions" / "256");
  const auto result = run({"duplicates", "--json"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("photo " + std::to_string(m_ids[2]) + ": not compared"),
            std::string::npos)
      << result.err;
  const auto lines = json_lines(result.out);
  ASSERT_EQ(lines.size(), 1U);
  EXPECT_EQ(lines[0]["photos"].size(), 2U);
}

TEST_F(DuplicatesCommand, WithoutALibraryExitsThree) {
  const auto result = run_pressroom({"--library", (m_dir / "nowhere").string(), "duplicates"});
  EXPECT_EQ(result.exit_code, 3) << result.err;
}

}  // namespace
}  // namespace pressroom
