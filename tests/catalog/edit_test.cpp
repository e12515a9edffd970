// Editing, the audit log, releases and entries, integrity, migration from the foundation's
// schema, concurrent reading, backup and check — on real catalog files.
#include <atomic>
#include <fstream>
#include <sstream>
#include <thread>

#include <sqlite3.h>

#include "catalog_fixture.hpp"

namespace pressroom::catalog {
namespace {

using Ids = std::vector<std::int64_t>;
using testing::sql;

class Edit : public CatalogFixture {
 protected:
  std::int64_t audit_rows() {
    std::int64_t rows = 0;
    for (const auto id : m_ids) {
      rows += static_cast<std::int64_t>(m_catalog->history(id)->size());
    }
    return rows;
  }
};

TEST_F(Edit, AReleaseKeepsEveryEntryAndGivesPhotosItsCreditAndPeople) {
  auto entries = m_catalog->entries(m_release_id);
  ASSERT_TRUE(entries);
  // The fourth entry's URL gave no photo: it is kept with its caption and credit.
  EXPECT_FALSE((*entries)[3].photo_id);
  EXPECT_EQ((*entries)[3].caption, "Gruppenfoto vor dem Landtag");
  EXPECT_EQ((*entries)[3].credit, "©Landeshauptstadt Düsseldorf/David Young");
  auto details = m_catalog->details(m_ids[0]);
  ASSERT_TRUE(details);
  EXPECT_EQ(details->caption, "Oberbürgermeister Thomas Geisel (r.) begrüßt die Gäste im Rathaus");
  EXPECT_FALSE(details->caption_edited);
  ASSERT_TRUE(details->credit);
  EXPECT_EQ(details->credit->photographer, "Marc-André Hergenröder");
  EXPECT_EQ(details->credit->rights_holder, "Landeshauptstadt Düsseldorf");
  EXPECT_EQ(details->credit->credit_line, "©Landeshauptstadt Düsseldorf/Marc-André Hergenröder");
  ASSERT_EQ(details->people.size(), 1U);
  EXPECT_EQ(details->people[0].name, "Thomas Geisel");
  ASSERT_EQ(details->entries.size(), 1U);
  EXPECT_EQ(details->entries[0].release_title, "Oberbürgermeister empfängt Delegation aus Moskau");
  EXPECT_EQ(details->entries[0].release_date, "2019-09-02");
  // Two photos by one photographer share one person row.
  EXPECT_EQ(sql(file(), "SELECT count(*) FROM people WHERE name = 'Marc-André Hergenröder'"), "1");
}

TEST_F(Edit, TheSameReleaseAgainChangesNothing) {
  Release release;
  release.titles["de"] = "Noch einmal";
  auto first = m_catalog->add_release(release, ReleaseSource{"again.txt", std::string(64, 'a'), {}},
                                      "importer");
  auto second = m_catalog->add_release(
      release, ReleaseSource{"again.txt", std::string(64, 'a'), {}}, "importer");
  ASSERT_TRUE(first && second);
  EXPECT_EQ(*first, *second);
  release.date = "2019-13-01";
  auto bad = m_catalog->add_release(release, ReleaseSource{"bad.txt", std::nullopt, {}}, "x");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, Errc::invalid_input);
  EXPECT_EQ(sql(file(), "SELECT count(*) FROM releases"), "2");
}

TEST_F(Edit, TranslationsOfOneReleaseAreLinked) {
  Release english;
  english.titles["en"] = "Lord Mayor welcomes delegation";
  auto id = m_catalog->add_release(english, ReleaseSource{"en.txt", std::nullopt, m_release_id},
                                   "importer");
  ASSERT_TRUE(id);
  const std::string group = std::to_string(m_release_id);
  EXPECT_EQ(sql(file(), "SELECT translation_group FROM releases WHERE id = " + group), group);
  EXPECT_EQ(sql(file(), "SELECT translation_group FROM releases WHERE id = " + std::to_string(*id)),
            group);
  auto orphan = m_catalog->add_release(english, ReleaseSource{"x.txt", std::nullopt, 999}, "x");
  ASSERT_FALSE(orphan);
  EXPECT_EQ(orphan.error().code, Errc::invalid_input);
}

TEST_F(Edit, SourcesRememberWhatTheServerSaid) {
  SourceRecord record;
  record.url = "https://www.duesseldorf.de/photo1.jpg";
  record.etag = "\"abc\"";
  record.last_modified = "Mon, 02 Sep 2019 10:00:00 GMT";
  record.status = 200;
  record.photo_id = m_ids[0];
  ASSERT_TRUE(m_catalog->record_source(record));
  record.status = 404;
  record.error = "the server answered 404 Not Found";
  record.photo_id.reset();
  ASSERT_TRUE(m_catalog->record_source(record));
  auto stored = m_catalog->source(record.url);
  ASSERT_TRUE(stored && *stored);
  EXPECT_EQ((*stored)->status, 404);
  EXPECT_EQ((*stored)->error, record.error);
  EXPECT_EQ((*stored)->etag, "\"abc\"");
  EXPECT_FALSE((*stored)->photo_id);
  EXPECT_FALSE(*m_catalog->source("https://elsewhere/"));
}

TEST_F(Edit, EachChangeIsInTheAuditLogWithWhoBeforeAndAfter) {
  ASSERT_TRUE(m_catalog->set_caption(m_ids[0], "  OB  Geisel\tbegrüßt die Gäste ", "anna"));
  ASSERT_TRUE(m_catalog->add_tag({m_ids[0]}, "Event|Living Together 2019", "anna"));
  ASSERT_TRUE(m_catalog->remove_tag({m_ids[0]}, "event|living together 2019", "ben"));
  ASSERT_TRUE(m_catalog->add_person(m_ids[0], "Dr. Dorothee Stapelfeldt", 1, "anna"));
  ASSERT_TRUE(m_catalog->remove_person(m_ids[0], "thomas geisel", "anna"));
  ASSERT_TRUE(m_catalog->set_credit({m_ids[0]}, "David Young", "", "carla"));
  Licence licence;
  licence.usage_terms = "Nur redaktionell";
  licence.editorial_only = true;
  ASSERT_TRUE(m_catalog->set_licence({m_ids[0]}, licence, "carla"));
  auto history = m_catalog->history(m_ids[0]);
  ASSERT_TRUE(history);
  std::vector<std::string> actions;
  for (const auto& record : *history) {
    actions.push_back(record.action + " by " + record.who);
  }
  EXPECT_EQ(actions, (std::vector<std::string>{
                         "photo.add by importer", "entry.attach by importer",
                         "credit.set by importer", "person.add by importer", "caption.set by anna",
                         "tag.add by anna", "tag.remove by ben", "person.add by anna",
                         "person.remove by anna", "credit.set by carla", "licence.set by carla"}));
  const auto& caption = (*history)[4];
  EXPECT_EQ(caption.before, "Oberbürgermeister Thomas Geisel (r.) begrüßt die Gäste im Rathaus");
  EXPECT_EQ(caption.after, "OB Geisel begrüßt die Gäste");  // white space normalised
  EXPECT_EQ((*history)[6].before, "Event|Living Together 2019");
  EXPECT_FALSE((*history)[6].after);
  EXPECT_EQ((*history)[7].after, "Dr. Dorothee Stapelfeldt (position 1)");
  EXPECT_EQ((*history)[8].before, "Thomas Geisel");
  EXPECT_NE((*history)[9].before->find("Marc-André Hergenröder"), std::string::npos);
  EXPECT_NE((*history)[9].after->find("\"credit_line\":\"©David Young\""), std::string::npos);
  EXPECT_NE((*history)[10].after->find("\"editorial_only\":true"), std::string::npos);
  EXPECT_FALSE((*history)[10].before);
  EXPECT_FALSE(history->front().at.empty());
}

TEST_F(Edit, NoChangeWritesNoAuditRow) {
  ASSERT_TRUE(m_catalog->add_tag({m_ids[0], m_ids[1]}, "Rathaus", "anna"));
  const auto rows = audit_rows();
  auto again = m_catalog->add_tag({m_ids[0], m_ids[1]}, "rathaus", "anna");  // the same tag, folded
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, 0);
  EXPECT_EQ(audit_rows(), rows);
  EXPECT_EQ(sql(file(), "SELECT count(*) FROM tags"), "1");
}

TEST_F(Edit, PeopleKeepTheirOrderLeftToRight) {
  ASSERT_TRUE(m_catalog->add_person(m_ids[0], "Anna Schmidt", std::nullopt, "desk"));
  ASSERT_TRUE(m_catalog->add_person(m_ids[0], "Béouindé Koné", 1, "desk"));
  ASSERT_TRUE(m_catalog->add_person(m_ids[0], "Thomas Geisel", 1, "desk"));  // moves
  auto details = m_catalog->details(m_ids[0]);
  ASSERT_TRUE(details);
  std::vector<std::string> names;
  for (const auto& person : details->people) {
    names.push_back(std::to_string(person.position) + " " + person.name);
  }
  EXPECT_EQ(names,
            (std::vector<std::string>{"1 Thomas Geisel", "2 Béouindé Koné", "3 Anna Schmidt"}));
  // A name typed with a combining diaeresis is the same person (NFC), and so is one
  // without accents when only one person matches it.
  ASSERT_TRUE(m_catalog->add_person(m_ids[1], "Beouinde Kone", std::nullopt, "desk"));
  EXPECT_EQ(m_catalog->details(m_ids[1])->people.at(0).name, "Béouindé Koné");
  ASSERT_TRUE(m_catalog->add_person(m_ids[2],
                                    "Hergenro\xCC\x88"
                                    "der",
                                    std::nullopt, "desk"));
  EXPECT_EQ(m_catalog->details(m_ids[2])->people.at(0).name, "Hergenröder");
}

TEST_F(Edit, AFailedMultiPhotoChangeRollsBackEveryPhoto) {
  const auto rows = audit_rows();
  auto tagged = m_catalog->add_tag({m_ids[0], m_ids[1], 999}, "Event|Fair", "anna");
  ASSERT_FALSE(tagged);
  EXPECT_EQ(tagged.error().code, Errc::not_found);
  EXPECT_EQ(tagged.error().subject, "999");
  EXPECT_EQ(sql(file(), "SELECT count(*) FROM photo_tags"), "0");
  EXPECT_EQ(sql(file(), "SELECT count(*) FROM tags"), "0");  // the new tag is rolled back too
  Licence licence;
  licence.usage_terms = "frei";
  auto licenced = m_catalog->set_licence({m_ids[0], m_ids[1], 999}, licence, "anna");
  ASSERT_FALSE(licenced);
  EXPECT_EQ(sql(file(), "SELECT count(*) FROM photos WHERE licence_id IS NOT NULL"), "0");
  auto credited = m_catalog->set_credit({m_ids[2], 12345}, "Neue Fotografin", "", "anna");
  ASSERT_FALSE(credited);
  EXPECT_EQ(m_catalog->details(m_ids[2])->credit->photographer, "David Young");
  EXPECT_EQ(sql(file(), "SELECT count(*) FROM people WHERE name = 'Neue Fotografin'"), "0");
  EXPECT_EQ(audit_rows(), rows);
}

TEST_F(Edit, BadValuesAreRefusedWithTheReasonAndChangeNothing) {
  const auto rows = audit_rows();
  const auto expect_invalid = [](const auto& result, const std::string& words) {
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, Errc::invalid_input);
    EXPECT_NE(result.error().message.find(words), std::string::npos) << result.error().message;
  };
  expect_invalid(m_catalog->set_caption(m_ids[0], std::string(4001, 'x'), "a"), "at most 4000");
  expect_invalid(m_catalog->set_caption(m_ids[0], "   ", "a"), "empty");
  expect_invalid(m_catalog->set_caption(m_ids[0], "bad \xFF byte", "a"), "not UTF-8");
  expect_invalid(m_catalog->set_caption(m_ids[0], std::string("nul\0byte", 8), "a"), "control");
  expect_invalid(m_catalog->add_tag({m_ids[0]}, "Event||Fair", "a"), "empty level");
  expect_invalid(m_catalog->add_tag({m_ids[0]}, "a|b|c|d|e|f|g|h|i", "a"), "levels");
  expect_invalid(m_catalog->add_person(m_ids[0], std::string(201, 'n'), std::nullopt, "a"),
                 "at most 200");
  expect_invalid(m_catalog->set_credit({m_ids[0]}, "", "", "a"), "photographer or a rights holder");
  Licence licence;
  licence.usage_terms = "frei";
  licence.valid_from = "2026-02-30";
  expect_invalid(m_catalog->set_licence({m_ids[0]}, licence, "a"), "not a date");
  licence.valid_from = "2027-01-01";
  licence.valid_until = "2026-01-01";
  expect_invalid(m_catalog->set_licence({m_ids[0]}, licence, "a"), "end before it begins");
  auto unknown_tag = m_catalog->remove_tag({m_ids[0]}, "Nie vergeben", "a");
  ASSERT_FALSE(unknown_tag);
  EXPECT_EQ(unknown_tag.error().code, Errc::not_found);
  auto unknown_person = m_catalog->remove_person(m_ids[1], "Thomas Geisel", "a");
  ASSERT_FALSE(unknown_person);
  EXPECT_EQ(unknown_person.error().code, Errc::not_found);
  auto unknown_photo = m_catalog->set_caption(4711, "Text", "a");
  ASSERT_FALSE(unknown_photo);
  EXPECT_EQ(unknown_photo.error().code, Errc::not_found);
  EXPECT_EQ(audit_rows(), rows);
  EXPECT_FALSE(m_catalog->details(m_ids[0])->caption_edited);
}

TEST(CatalogMigration, UpgradesTheFoundationsCatalogInPlace) {
  const testing::TempDir dir;
  const auto file = dir / "catalog.sqlite";
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(file.c_str(), &db), SQLITE_OK);
    const std::string schema = testing::read_text(std::filesystem::path(PRESSROOM_SOURCE_DIR) /
                                                  "tests/fixtures/catalog/schema-1.sql");
    ASSERT_FALSE(schema.empty());
    char* message = nullptr;
    ASSERT_EQ(sqlite3_exec(db, schema.c_str(), nullptr, nullptr, &message), SQLITE_OK)
        << (message != nullptr ? message : "");
    sqlite3_close(db);
  }
  auto catalog = Catalog::open(file, false);
  ASSERT_TRUE(catalog) << to_string(catalog.error());
  EXPECT_EQ(catalog->schema_version(), Catalog::latest_schema_version());
  auto photos = catalog->photos();
  ASSERT_TRUE(photos);
  ASSERT_EQ(photos->size(), 2U);
  EXPECT_EQ((*photos)[1].original_name, "Straße.png");
  EXPECT_EQ((*photos)[0].imported_at, "2026-11-20T10:00:00Z");
  // The old photos are searchable at once, and take the new data.
  SearchQuery query;
  query.orientation = Orientation::landscape;  // photo 2 is 800×1200 turned by 6: landscape
  auto page = catalog->search(query);
  ASSERT_TRUE(page);
  EXPECT_EQ(page->total, 2);
  ASSERT_TRUE(catalog->set_caption((*photos)[0].id, "Am Rheinufer", "desk"));
  query = {};
  query.text = "rheinufer";
  EXPECT_EQ(catalog->search(query)->hits.size(), 1U);
  EXPECT_EQ(sql(file, "PRAGMA foreign_key_check"), "");
  // Schema 4 takes HEIC photos, which schema 1's CHECK refused.
  Photo heic = made_photo('h', 4032, 3024, "2026-11-27");
  heic.type = ImageType::heic;
  auto added = catalog->add_photo(heic, "importer");
  ASSERT_TRUE(added) << to_string(added.error());
  EXPECT_EQ(catalog->find_by_id(*added).value()->type, ImageType::heic);
}

// Schema 4 rebuilds the photos table. With foreign keys enforced, dropping the old table would
// delete every row that refers to a photo (ON DELETE CASCADE); the upgrade keeps them all, and
// the photos keep their ids, so the search index stays right.
TEST_F(Edit, UpgradeThatRebuildsThePhotosTableKeepsEveryRowThatRefersToAPhoto) {
  ASSERT_TRUE(m_catalog->add_tag({m_ids[0]}, "Event|Living Together 2019", "desk"));
  ASSERT_TRUE(m_catalog->add_person(m_ids[1], "Béouindé Zongo", std::nullopt, "desk"));
  const std::string counts =
      "SELECT (SELECT count(*) FROM photos) || ' ' || (SELECT count(*) FROM photo_tags) || ' ' || "
      "(SELECT count(*) FROM photo_people) || ' ' || "
      "(SELECT count(*) FROM entries WHERE photo_id IS NOT NULL) || ' ' || "
      "(SELECT count(*) FROM audit_log) || ' ' || (SELECT group_concat(id) FROM photos)";
  const std::string before = sql(file(), counts);
  m_catalog.reset();
  // Schema 3 had no entries.tags (schema 5 adds it).
  ASSERT_EQ(sql(file(), "ALTER TABLE entries DROP COLUMN tags"), "");
  ASSERT_EQ(sql(file(), "PRAGMA user_version = 3"), "");
  auto reopened = Catalog::open(file(), false);
  ASSERT_TRUE(reopened) << to_string(reopened.error());
  m_catalog.emplace(std::move(*reopened));
  EXPECT_EQ(m_catalog->schema_version(), Catalog::latest_schema_version());
  EXPECT_EQ(sql(file(), counts), before);
  EXPECT_EQ(sql(file(), "PRAGMA foreign_key_check"), "");
  EXPECT_EQ(sql(file(),
                "SELECT count(*) FROM sqlite_schema WHERE tbl_name = 'photos' AND "
                "type IN ('index', 'trigger')"),
            "6")
      << "sqlite_autoindex, photos_by_credit, photos_by_licence, three triggers";
  SearchQuery query;
  query.person = "Zongo";
  auto found = m_catalog->search(query);
  ASSERT_TRUE(found);
  ASSERT_EQ(found->hits.size(), 1U);
  EXPECT_EQ(found->hits[0].photo_id, m_ids[1]);
}

TEST_F(Edit, ReplacingPerceptualHashesOverwritesWhatFillingLeavesAlone) {
  const std::int64_t id = m_ids[0];
  ASSERT_TRUE(m_catalog->fill_missing_perceptual_hashes({{id, 0x1111ULL}}));
  ASSERT_TRUE(m_catalog->fill_missing_perceptual_hashes({{id, 0x2222ULL}}));
  EXPECT_EQ(m_catalog->find_by_id(id).value()->perceptual_hash, 0x1111ULL) << "filling keeps it";
  ASSERT_TRUE(m_catalog->replace_perceptual_hashes({{id, 0xfedcba9876543210ULL}}));
  EXPECT_EQ(m_catalog->find_by_id(id).value()->perceptual_hash, 0xfedcba9876543210ULL);
  EXPECT_EQ(sql(file(), "SELECT perceptual_hash FROM photos WHERE id = " + std::to_string(id)),
            "fedcba9876543210");
  // The same hash again: nothing to change, and no error.
  ASSERT_TRUE(m_catalog->replace_perceptual_hashes({{id, 0xfedcba9876543210ULL}}));
  // An unknown photo stores nothing, not even the known one before it.
  auto unknown = m_catalog->replace_perceptual_hashes({{m_ids[1], 0x3ULL}, {999'999, 0x4ULL}});
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, Errc::not_found);
  EXPECT_EQ(unknown.error().subject, "999999");
  EXPECT_FALSE(m_catalog->find_by_id(m_ids[1]).value()->perceptual_hash);
}

TEST(CatalogMigration, OldPhotosGetTheHashColumnEmptyAndKeepTheirRows) {
  const testing::TempDir dir;
  const auto file = dir / "catalog.sqlite";
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(file.c_str(), &db), SQLITE_OK);
    const std::string schema = testing::read_text(std::filesystem::path(PRESSROOM_SOURCE_DIR) /
                                                  "tests/fixtures/catalog/schema-1.sql");
    ASSERT_EQ(sqlite3_exec(db, schema.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);
  }
  {
    auto catalog = Catalog::open(file, false);
    ASSERT_TRUE(catalog) << to_string(catalog.error());
    auto photos = catalog->photos();
    ASSERT_TRUE(photos);
    ASSERT_EQ(photos->size(), 2U);
    EXPECT_EQ((*photos)[0].original_name, "Rheinufer.jpg");
    EXPECT_EQ((*photos)[0].camera_model, "EOS 5D");
    EXPECT_FALSE((*photos)[0].perceptual_hash);
    EXPECT_FALSE((*photos)[1].perceptual_hash);
    EXPECT_EQ(sql(file, "SELECT count(*) FROM photos WHERE perceptual_hash IS NULL"), "2");
    // An unknown photo stores nothing, not even the known one before it.
    auto unknown = catalog->fill_missing_perceptual_hashes({{(*photos)[0].id, 1}, {999, 2}});
    ASSERT_FALSE(unknown);
    EXPECT_EQ(unknown.error().code, Errc::not_found);
    EXPECT_EQ(sql(file, "SELECT count(*) FROM photos WHERE perceptual_hash IS NULL"), "2");
    // Hashes over 2^63 stay unsigned; a photo's first hash stays.
    ASSERT_TRUE(
        catalog->fill_missing_perceptual_hashes({{(*photos)[1].id, 0xfedcba9876543210ULL}}));
    ASSERT_TRUE(catalog->fill_missing_perceptual_hashes({{(*photos)[1].id, 0x1ULL}}));
  }
  auto reopened = Catalog::open(file, false);
  ASSERT_TRUE(reopened);
  auto photos = reopened->photos();
  ASSERT_TRUE(photos);
  EXPECT_FALSE((*photos)[0].perceptual_hash);
  ASSERT_TRUE((*photos)[1].perceptual_hash);
  EXPECT_EQ(*(*photos)[1].perceptual_hash, 0xfedcba9876543210ULL);
  EXPECT_EQ(sql(file, "SELECT perceptual_hash FROM photos WHERE id = 2"), "fedcba9876543210");
  // A photo added with its hash reads back with it.
  Photo photo = (*photos)[0];
  photo.sha256 = std::string(64, '3');
  photo.perceptual_hash = 0x8000000000000001ULL;
  auto id = reopened->add_photo(photo);
  ASSERT_TRUE(id) << to_string(id.error());
  auto added = reopened->find_by_id(*id);
  ASSERT_TRUE(added && *added);
  EXPECT_EQ((*added)->perceptual_hash, 0x8000000000000001ULL);
}

TEST_F(Edit, ReadersAreNotBlockedByAWriter) {
  // Another process holds the write lock in an open transaction ...
  sqlite3* writer = nullptr;
  ASSERT_EQ(sqlite3_open(file().c_str(), &writer), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(writer,
                         "BEGIN IMMEDIATE; UPDATE photos SET caption = 'uncommitted' WHERE id = 1",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  // ... and a reader still reads the last committed state, without waiting.
  auto reader = Catalog::open(file(), false);
  ASSERT_TRUE(reader) << to_string(reader.error());
  const auto started = std::chrono::steady_clock::now();
  auto details = reader->details(m_ids[0]);
  ASSERT_TRUE(details);
  EXPECT_FALSE(details->caption_edited);
  SearchQuery query;
  query.text = "hergenroder";
  EXPECT_EQ(reader->search(query)->hits.size(), 2U);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
  sqlite3_exec(writer, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(writer);
}

TEST_F(Edit, ConcurrentReadersSeeEachMultiPhotoChangeWholeOrNotAtAll) {
  std::atomic<bool> done{false};
  std::atomic<int> reads{0};
  std::atomic<int> torn{0};
  std::atomic<int> failed{0};
  std::thread reader_thread([&] {
    auto reader = Catalog::open(file(), false);
    sqlite3* db = nullptr;
    if (!reader || sqlite3_open(file().c_str(), &db) != SQLITE_OK) {
      ++failed;
      return;
    }
    sqlite3_stmt* statement = nullptr;
    sqlite3_prepare_v2(db,
                       "SELECT (SELECT count(*) FROM photo_tags WHERE photo_id = 1) = "
                       "(SELECT count(*) FROM photo_tags WHERE photo_id = 2)",
                       -1, &statement, nullptr);
    SearchQuery query;
    query.tag = "serie";
    while (!done) {
      // One statement reads one snapshot: both photos have the same number of tags in it.
      if (sqlite3_step(statement) != SQLITE_ROW) {
        ++failed;
      } else if (sqlite3_column_int(statement, 0) != 1) {
        ++torn;
      }
      sqlite3_reset(statement);
      if (!reader->search(query) || !reader->details(m_ids[0])) {
        ++failed;
      }
      ++reads;
    }
    sqlite3_finalize(statement);
    sqlite3_close(db);
  });
  for (int i = 0; i < 30; ++i) {
    ASSERT_TRUE(m_catalog->add_tag({m_ids[0], m_ids[1]}, "Serie|" + std::to_string(i), "desk"));
  }
  done = true;
  reader_thread.join();
  EXPECT_GT(reads.load(), 0);
  EXPECT_EQ(torn.load(), 0);
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(sql(file(), "SELECT count(*) FROM photo_tags"), "60");
  SearchQuery query;
  query.tag = "Serie";
  EXPECT_EQ(found_set(query), (Ids{m_ids[0], m_ids[1]}));
}

TEST_F(Edit, BackupIsAConsistentCatalogWithItsOwnIndex) {
  std::atomic<bool> done{false};
  std::thread writer([&] {
    auto other = Catalog::open(file(), false);
    ASSERT_TRUE(other);
    for (int i = 0; i < 20 && !done; ++i) {
      (void)other->add_tag({m_ids[2]}, "Laufend|" + std::to_string(i), "desk");
    }
  });
  const auto copy = m_dir / "copy.sqlite";
  auto backed_up = m_catalog->backup(copy, "desk");
  done = true;
  writer.join();
  ASSERT_TRUE(backed_up) << to_string(backed_up.error());
  EXPECT_TRUE(std::filesystem::exists(copy));
  EXPECT_FALSE(std::filesystem::exists(m_dir / "copy.sqlite.part"));
  auto restored = Catalog::open(copy, false);
  ASSERT_TRUE(restored) << to_string(restored.error());
  auto report = restored->check();
  ASSERT_TRUE(report);
  EXPECT_TRUE(report->problems.empty()) << report->problems.front();
  SearchQuery query;
  query.text = "hergenroder";
  EXPECT_EQ(restored->search(query)->hits.size(), 2U);  // an index of its own, built on open
  // A backup never overwrites.
  auto again = m_catalog->backup(copy, "desk");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, Errc::invalid_input);
}

TEST_F(Edit, CheckFindsBrokenReferences) {
  auto report = m_catalog->check();
  ASSERT_TRUE(report);
  EXPECT_TRUE(report->problems.empty());
  EXPECT_EQ(report->photos, 4);
  EXPECT_EQ(report->indexed, 4);
  EXPECT_EQ(report->pending, 0);
  // A row written by a tool that ignored the foreign keys.
  sql(file(), "INSERT INTO photo_tags (photo_id, tag_id) VALUES (1, 777)");
  report = m_catalog->check();
  ASSERT_TRUE(report);
  ASSERT_EQ(report->problems.size(), 1U);
  EXPECT_NE(report->problems[0].find("photo_tags"), std::string::npos) << report->problems[0];
  // A person whose name words were lost cannot be found by the person filter.
  sql(file(),
      "DELETE FROM person_words WHERE person_id = (SELECT id FROM people "
      "WHERE name = 'Thomas Geisel')");
  report = m_catalog->check();
  ASSERT_TRUE(report);
  ASSERT_EQ(report->problems.size(), 2U);
  EXPECT_NE(report->problems[1].find("Thomas Geisel"), std::string::npos) << report->problems[1];
}

}  // namespace
}  // namespace pressroom::catalog
