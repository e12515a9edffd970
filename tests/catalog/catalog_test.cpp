#include "catalog/catalog.hpp"

#include <fstream>

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "test_support.hpp"

namespace pressroom::catalog {
namespace {

Photo sample_photo(char digit) {
  Photo photo;
  photo.sha256 = std::string(64, digit);
  photo.type = ImageType::jpeg;
  photo.byte_size = 1234;
  photo.width = 4000;
  photo.height = 3000;
  photo.orientation = 6;
  photo.date_taken = "2019-08-31T14:03:22";
  photo.date_taken_offset = "+02:00";
  photo.camera_make = "Canon";
  photo.camera_model = "Canon EOS 5D Mark IV";
  photo.original_name = "Düsseldorf.jpg";
  photo.imported_from = "/press/Düsseldorf.jpg";
  return photo;
}

// A sample photo whose sha256 starts with `prefix`, filled up with `fill`.
Photo photo_with_hash(const std::string& prefix, char fill) {
  Photo photo = sample_photo('0');
  photo.sha256 = prefix + std::string(64 - prefix.size(), fill);
  return photo;
}

int sqlite_user_version(const std::filesystem::path& file) {
  sqlite3* db = nullptr;
  sqlite3_open(file.c_str(), &db);
  sqlite3_stmt* statement = nullptr;
  sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &statement, nullptr);
  sqlite3_step(statement);
  const int version = sqlite3_column_int(statement, 0);
  sqlite3_finalize(statement);
  sqlite3_close(db);
  return version;
}

TEST(Catalog, CreatesAFileInWalModeAtTheLatestSchema) {
  const testing::TempDir dir;
  auto catalog = Catalog::open(dir / "catalog.sqlite", true);
  ASSERT_TRUE(catalog) << to_string(catalog.error());
  EXPECT_EQ(catalog->schema_version(), Catalog::latest_schema_version());
  auto mode = catalog->journal_mode();
  ASSERT_TRUE(mode);
  EXPECT_EQ(*mode, "wal");
  EXPECT_EQ(sqlite_user_version(dir / "catalog.sqlite"), Catalog::latest_schema_version());
}

TEST(Catalog, OpeningAMissingCatalogWithoutCreateIsNotFound) {
  const testing::TempDir dir;
  auto catalog = Catalog::open(dir / "catalog.sqlite", false);
  ASSERT_FALSE(catalog);
  EXPECT_EQ(catalog.error().code, Errc::not_found);
  EXPECT_FALSE(std::filesystem::exists(dir / "catalog.sqlite"));
}

TEST(Catalog, RefusesAFileThatIsNotSqliteAndLeavesItAlone) {
  const testing::TempDir dir;
  std::ofstream(dir / "catalog.sqlite") << "these are someone's notes, not a database\n";
  auto catalog = Catalog::open(dir / "catalog.sqlite", false);
  ASSERT_FALSE(catalog);
  EXPECT_EQ(catalog.error().code, Errc::database);
  EXPECT_EQ(std::filesystem::file_size(dir / "catalog.sqlite"), 42U);
}

TEST(Catalog, RefusesASchemaNewerThanItKnows) {
  const testing::TempDir dir;
  {
    sqlite3* db = nullptr;
    sqlite3_open((dir / "catalog.sqlite").c_str(), &db);
    sqlite3_exec(db, "PRAGMA user_version = 999", nullptr, nullptr, nullptr);
    sqlite3_close(db);
  }
  auto catalog = Catalog::open(dir / "catalog.sqlite", false);
  ASSERT_FALSE(catalog);
  EXPECT_EQ(catalog.error().code, Errc::database);
  EXPECT_NE(catalog.error().message.find("999"), std::string::npos);
  EXPECT_EQ(sqlite_user_version(dir / "catalog.sqlite"), 999) << "must not be touched";
}

TEST(Catalog, StoresAndReadsBackEveryFieldAcrossReopen) {
  const testing::TempDir dir;
  std::int64_t id = 0;
  {
    auto catalog = Catalog::open(dir / "catalog.sqlite", true);
    ASSERT_TRUE(catalog);
    auto added = catalog->add_photo(sample_photo('a'));
    ASSERT_TRUE(added) << to_string(added.error());
    id = *added;
  }
  auto catalog = Catalog::open(dir / "catalog.sqlite", false);
  ASSERT_TRUE(catalog);
  auto found = catalog->find_by_id(id);
  ASSERT_TRUE(found && *found);
  const Photo& photo = **found;
  const Photo expected = sample_photo('a');
  EXPECT_EQ(photo.sha256, expected.sha256);
  EXPECT_EQ(photo.type, ImageType::jpeg);
  EXPECT_EQ(photo.byte_size, 1234U);
  EXPECT_EQ(photo.width, 4000);
  EXPECT_EQ(photo.height, 3000);
  EXPECT_EQ(photo.orientation, 6);
  EXPECT_EQ(photo.display_width(), 3000);
  EXPECT_EQ(photo.date_taken, expected.date_taken);
  EXPECT_EQ(photo.date_taken_offset, expected.date_taken_offset);
  EXPECT_EQ(photo.camera_make, expected.camera_make);
  EXPECT_EQ(photo.camera_model, expected.camera_model);
  EXPECT_EQ(photo.original_name, "Düsseldorf.jpg");
  EXPECT_EQ(photo.imported_from, "/press/Düsseldorf.jpg");
  EXPECT_EQ(photo.imported_at.size(), 20U) << photo.imported_at;  // 2026-11-24T23:50:00Z
  EXPECT_EQ(photo.imported_at.back(), 'Z');
}

TEST(Catalog, KeepsAbsentFieldsAbsent) {
  auto catalog = Catalog::open(":memory:", true);
  ASSERT_TRUE(catalog);
  Photo photo = sample_photo('b');
  photo.date_taken.reset();
  photo.date_taken_offset.reset();
  photo.camera_make.reset();
  ASSERT_TRUE(catalog->add_photo(photo));
  auto found = catalog->find_by_sha256(photo.sha256);
  ASSERT_TRUE(found && *found);
  EXPECT_EQ((*found)->date_taken, std::nullopt);
  EXPECT_EQ((*found)->camera_make, std::nullopt);
}

TEST(Catalog, SameHashTwiceIsInvalidInputAndKeepsOneRow) {
  auto catalog = Catalog::open(":memory:", true);
  ASSERT_TRUE(catalog);
  ASSERT_TRUE(catalog->add_photo(sample_photo('c')));
  auto again = catalog->add_photo(sample_photo('c'));
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, Errc::invalid_input);
  EXPECT_EQ(catalog->photo_count().value_or(-1), 1);
}

TEST(Catalog, RejectsRowsTheSchemaForbids) {
  auto catalog = Catalog::open(":memory:", true);
  ASSERT_TRUE(catalog);
  Photo photo = sample_photo('d');
  photo.orientation = 9;
  auto added = catalog->add_photo(photo);
  ASSERT_FALSE(added);
  EXPECT_EQ(added.error().code, Errc::database);
}

TEST(Catalog, LooksUpByIdHashAndUniquePrefix) {
  auto catalog = Catalog::open(":memory:", true);
  ASSERT_TRUE(catalog);
  const Photo first = photo_with_hash("abcdef", '1');
  const Photo second = photo_with_hash("abcde0", '2');
  const auto first_id = catalog->add_photo(first);
  const auto second_id = catalog->add_photo(second);
  ASSERT_TRUE(first_id && second_id);

  EXPECT_EQ(catalog->lookup(std::to_string(*second_id))->sha256, second.sha256);
  EXPECT_EQ(catalog->lookup(first.sha256)->id, *first_id);
  EXPECT_EQ(catalog->lookup("abcdef")->id, *first_id);
  auto missing_hash = catalog->lookup("abcde0abcdef");
  ASSERT_FALSE(missing_hash);
  EXPECT_EQ(missing_hash.error().code, Errc::not_found);
  auto too_short = catalog->lookup("abcde");  // 5 digits: too short to be a prefix
  ASSERT_FALSE(too_short);
  EXPECT_EQ(too_short.error().code, Errc::invalid_input);
  auto missing_id = catalog->lookup("999");
  ASSERT_FALSE(missing_id);
  EXPECT_EQ(missing_id.error().code, Errc::not_found);
  auto junk = catalog->lookup("Storm.jpg");
  ASSERT_FALSE(junk);
  EXPECT_EQ(junk.error().code, Errc::invalid_input);
}

TEST(Catalog, PrefixMatchingTwoPhotosIsInvalidInput) {
  auto catalog = Catalog::open(":memory:", true);
  ASSERT_TRUE(catalog);
  ASSERT_TRUE(catalog->add_photo(photo_with_hash("123456", '1')));
  ASSERT_TRUE(catalog->add_photo(photo_with_hash("123456", '2')));
  EXPECT_TRUE(catalog->lookup("1234561")) << "7 digits are unique";
  auto two = catalog->lookup("123456");  // digits: no photo #123456, then a prefix of both
  ASSERT_FALSE(two);
  EXPECT_EQ(two.error().code, Errc::invalid_input);
  EXPECT_NE(two.error().message.find("2 photos"), std::string::npos);
}

TEST(Catalog, ListsPhotosInImportOrder) {
  auto catalog = Catalog::open(":memory:", true);
  ASSERT_TRUE(catalog);
  ASSERT_TRUE(catalog->add_photo(sample_photo('f')));
  ASSERT_TRUE(catalog->add_photo(sample_photo('1')));
  auto photos = catalog->photos();
  ASSERT_TRUE(photos);
  ASSERT_EQ(photos->size(), 2U);
  EXPECT_EQ((*photos)[0].sha256[0], 'f');
  EXPECT_EQ((*photos)[1].sha256[0], '1');
}

}  // namespace
}  // namespace pressroom::catalog
