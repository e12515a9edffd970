// Search as a German press desk uses it: folding, prefixes, phrases, operators, every filter,
// order and paging, on a real catalog file and its real Xapian index.
#include <algorithm>

#include <sqlite3.h>
#include <sys/stat.h>

#include "catalog_fixture.hpp"
#include "search_index.hpp"

namespace pressroom::catalog {
namespace {

using Ids = std::vector<std::int64_t>;

class Search : public CatalogFixture {};

TEST_F(Search, FoldsCaseUmlautsAccentsAndSharpS) {
  // Photographer names, captions and the rights holder, each typed without diacritics.
  EXPECT_EQ(found_set("hergenroder"), (Ids{m_ids[0], m_ids[1]}));
  EXPECT_EQ(found_set("HERGENRÖDER"), (Ids{m_ids[0], m_ids[1]}));
  EXPECT_EQ(found_set("marc-andre"), (Ids{m_ids[0], m_ids[1]}));
  EXPECT_EQ(found_set("dusseldorf"), (Ids{m_ids[0], m_ids[1], m_ids[2]}));
  EXPECT_EQ(found_set("strasse"), (Ids{m_ids[1]}));
  EXPECT_EQ(found_set("Straße"), (Ids{m_ids[1]}));
  EXPECT_EQ(found_set("begrusst"), (Ids{m_ids[0]}));
  // Umlauts spelled out, as German keyboards without them write: ü → ue.
  EXPECT_EQ(found_set("duesseldorf"), (Ids{m_ids[0], m_ids[1], m_ids[2]}));
  EXPECT_EQ(found_set("Hergenroeder"), (Ids{m_ids[0], m_ids[1]}));
  EXPECT_EQ(found_set("Koenigsallee"), (Ids{m_ids[1]}));
  EXPECT_TRUE(found("duesseldurf").empty());
  // The release title (German and English) is searchable for every photo of the release.
  EXPECT_EQ(found_set("moskau"), (Ids{m_ids[0], m_ids[1], m_ids[2]}));
  EXPECT_EQ(found_set("moscow"), (Ids{m_ids[0], m_ids[1], m_ids[2]}));
}

TEST_F(Search, PrefixPhraseAndBooleanOperators) {
  EXPECT_EQ(found_set("Deleg*"), (Ids{m_ids[0], m_ids[1], m_ids[2]}));  // the title says Delegation
  EXPECT_EQ(found_set("Stadtrund*"), (Ids{m_ids[2]}));
  EXPECT_EQ(found_set("\"Thomas Geisel\""), (Ids{m_ids[0]}));
  EXPECT_TRUE(found("\"Geisel Thomas\"").empty());
  EXPECT_EQ(found_set("rathaus OR rheinufer"), (Ids{m_ids[0], m_ids[2]}));
  EXPECT_EQ(found_set("rathaus rheinufer"), Ids{});  // words: all must occur
  EXPECT_EQ(found_set("dusseldorf NOT hergenroder"), (Ids{m_ids[2]}));
  EXPECT_EQ(found_set("dusseldorf -bus"), (Ids{m_ids[0], m_ids[1]}));
  EXPECT_EQ(found_set("(rathaus OR bus) AND young"), (Ids{m_ids[2]}));
}

TEST_F(Search, AQueryThatCannotBeReadIsInvalidInput) {
  SearchQuery query;
  query.text = "\"unclosed AND (";
  auto page = m_catalog->search(query);
  // Xapian reads most broken queries leniently; what it refuses must be invalid_input.
  if (!page) {
    EXPECT_EQ(page.error().code, Errc::invalid_input);
  }
  query.text = "caf\xC3";
  page = m_catalog->search(query);
  ASSERT_FALSE(page);
  EXPECT_EQ(page.error().code, Errc::invalid_input);
}

TEST_F(Search, FiltersByPhotographerRightsHolderPersonAndRelease) {
  SearchQuery query;
  query.photographer = "hergenröder";
  EXPECT_EQ(found_set(query), (Ids{m_ids[0], m_ids[1]}));
  query.photographer = "Hergenroeder";
  EXPECT_EQ(found_set(query), (Ids{m_ids[0], m_ids[1]}));
  query.photographer = "david young";
  EXPECT_EQ(found_set(query), (Ids{m_ids[2]}));
  query.photographer = "young david marc";  // every word must be in the name
  EXPECT_EQ(found_set(query), Ids{});

  query = {};
  query.rights_holder = "Landeshauptstadt Dusseldorf";
  EXPECT_EQ(found_set(query), (Ids{m_ids[0], m_ids[1], m_ids[2]}));

  query = {};
  query.person = "geisel";
  EXPECT_EQ(found_set(query), (Ids{m_ids[0]}));
  // Every word must be in the name of one person shown, not spread over two.
  ASSERT_TRUE(m_catalog->add_person(m_ids[0], "Anna Schmidt", std::nullopt, "desk"));
  query.person = "Thomas Schmidt";
  EXPECT_EQ(found_set(query), Ids{});
  query.person = "schmidt anna";
  EXPECT_EQ(found_set(query), (Ids{m_ids[0]}));
  query.person = "Niemand";
  EXPECT_EQ(found_set(query), Ids{});
  // Words split at hyphens; umlauts folded or spelled out.
  ASSERT_TRUE(m_catalog->add_person(m_ids[2], "Marc-André Hergenröder", std::nullopt, "desk"));
  query.person = "hergenroeder andre";
  EXPECT_EQ(found_set(query), (Ids{m_ids[2]}));
  query.person = "Marc Hergenröder";
  EXPECT_EQ(found_set(query), (Ids{m_ids[2]}));
  query.person = "Marc-Andre";
  EXPECT_EQ(found_set(query), (Ids{m_ids[2]}));
  query.person = "Marc Young";
  EXPECT_EQ(found_set(query), Ids{});

  query = {};
  query.release = m_release_id;
  query.text = "bus";
  EXPECT_EQ(found_set(query), (Ids{m_ids[2]}));
  query.release = m_release_id + 1;
  EXPECT_EQ(found_set(query), Ids{});
}

// A catalog of schema 2 (before person_words) upgrades in place: the words of the people it
// already has are filled in, and the person filter finds them.
TEST_F(Search, PersonFilterWorksInACatalogUpgradedFromSchemaTwo) {
  ASSERT_TRUE(m_catalog->add_person(m_ids[2], "Marc-André Hergenröder", std::nullopt, "desk"));
  m_catalog.reset();
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(file().c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db,
                         "DROP TRIGGER person_words_insert; DROP TABLE person_words; "
                         "ALTER TABLE entries DROP COLUMN tags; PRAGMA user_version = 2;",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  auto reopened = Catalog::open(file(), false);
  ASSERT_TRUE(reopened) << to_string(reopened.error());
  m_catalog.emplace(std::move(*reopened));
  EXPECT_EQ(m_catalog->schema_version(), Catalog::latest_schema_version());
  SearchQuery query;
  query.person = "Hergenröder Marc";
  EXPECT_EQ(found_set(query), (Ids{m_ids[2]}));
  query.person = "Thomas Geisel";
  EXPECT_EQ(found_set(query), (Ids{m_ids[0]}));
  // A person added after the upgrade gets its words from the trigger.
  ASSERT_TRUE(m_catalog->add_person(m_ids[3], "Jan-Philipp O'Neill", std::nullopt, "desk"));
  query.person = "jan o neill";
  EXPECT_EQ(found_set(query), (Ids{m_ids[3]}));
}

TEST_F(Search, FiltersByTagWithItsSubTags) {
  ASSERT_TRUE(m_catalog->add_tag({m_ids[0]}, "Event|Living Together 2019", "desk"));
  ASSERT_TRUE(m_catalog->add_tag({m_ids[2]}, "Event|Bus tour", "desk"));
  ASSERT_TRUE(m_catalog->add_tag({m_ids[3]}, "Eventual", "desk"));
  SearchQuery query;
  query.tag = "event";
  EXPECT_EQ(found_set(query), (Ids{m_ids[0], m_ids[2]}));  // not "Eventual": a tag is not a prefix
  query.tag = "Event | living together 2019";
  EXPECT_EQ(found_set(query), (Ids{m_ids[0]}));
  // Tag words are searchable text too.
  EXPECT_EQ(found_set("living"), (Ids{m_ids[0]}));
}

TEST_F(Search, FiltersByDateOrientationAndSize) {
  SearchQuery query;
  query.date_from = "2019-09-01";
  EXPECT_EQ(found_set(query), (Ids{m_ids[1], m_ids[2]}));
  query.date_to = "2019-09-02";  // inclusive, whatever the time of day
  EXPECT_EQ(found_set(query), (Ids{m_ids[1]}));
  query = {};
  query.date_to = "2018-12-31";
  EXPECT_EQ(found_set(query), (Ids{m_ids[3]}));

  query = {};
  query.orientation = Orientation::portrait;
  EXPECT_EQ(found_set(query), (Ids{m_ids[1]}));
  query.orientation = Orientation::square;
  EXPECT_EQ(found_set(query), (Ids{m_ids[3]}));
  query.orientation = Orientation::landscape;
  EXPECT_EQ(found_set(query), (Ids{m_ids[0], m_ids[2]}));

  query = {};
  query.min_width = 1600;
  EXPECT_EQ(found_set(query), (Ids{m_ids[0], m_ids[1], m_ids[2]}));
  query.min_height = 3000;
  EXPECT_EQ(found_set(query), (Ids{m_ids[0], m_ids[1]}));
  query.min_width = 4001;
  EXPECT_EQ(found_set(query), Ids{});

  query = {};
  query.date_from = "2019-02-30";
  auto page = m_catalog->search(query);
  ASSERT_FALSE(page);
  EXPECT_EQ(page.error().code, Errc::invalid_input);
}

// The index holds a date as year, month and day terms and a size as a 100-pixel bucket; a
// range is answered from them. Every range between these edges (years, months, leap days, open
// ends) must find exactly what the plain comparison finds.
TEST_F(Search, DateAndSizeFiltersAgreeWithPlainComparisonsAtEveryEdge) {
  struct Dated {
    std::int64_t id;
    std::string date;
    int width;
  };
  std::vector<Dated> photos{{m_ids[0], "2019-08-31", 4000},
                            {m_ids[1], "2019-09-02", 2000},
                            {m_ids[2], "2019-09-05", 1600},
                            {m_ids[3], "2018-06-01", 800}};
  const std::vector<std::pair<std::string, int>> more{
      {"2019-12-31", 1599}, {"2020-01-01", 1600}, {"2020-02-29", 1601}, {"2020-03-01", 1699},
      {"2020-12-31", 1700}, {"2021-06-15", 99},   {"2022-01-01", 100},  {"2024-02-29", 12345}};
  const std::string digits = "abcdef67";
  for (std::size_t i = 0; i < more.size(); ++i) {
    auto id = m_catalog->add_photo(made_photo(digits.at(i), more[i].second, 50, more[i].first),
                                   "importer");
    ASSERT_TRUE(id) << to_string(id.error());
    photos.push_back({*id, more[i].first, more[i].second});
  }
  const std::vector<std::string> edges{"",           "2018-06-01", "2019-01-01", "2019-08-31",
                                       "2019-09-01", "2019-09-30", "2019-12-31", "2020-01-01",
                                       "2020-02-28", "2020-02-29", "2020-03-01", "2020-12-31",
                                       "2021-01-01", "2021-06-15", "2024-02-29"};
  for (const auto& from : edges) {
    for (const auto& to : edges) {
      if (from.empty() && to.empty()) {
        continue;
      }
      Ids expected;
      for (const auto& photo : photos) {
        if ((from.empty() || photo.date >= from) && (to.empty() || photo.date <= to)) {
          expected.push_back(photo.id);
        }
      }
      std::sort(expected.begin(), expected.end());
      SearchQuery query;
      query.date_from = from;
      query.date_to = to;
      EXPECT_EQ(found_set(query), expected) << "from " << from << " to " << to;
    }
  }
  for (const int minimum :
       {1, 99, 100, 101, 799, 800, 1599, 1600, 1601, 1699, 1700, 1701, 4000, 12345, 12346}) {
    Ids expected;
    for (const auto& photo : photos) {
      if (photo.width >= minimum) {
        expected.push_back(photo.id);
      }
    }
    std::sort(expected.begin(), expected.end());
    SearchQuery query;
    query.min_width = minimum;
    EXPECT_EQ(found_set(query), expected) << "min width " << minimum;
  }
}

// BM25 as a press desk would rank: a word that is rare in the archive counts more than a
// frequent one, a caption that is mostly about the word ranks above a long one that mentions it
// in passing, and a long one that names it twice above a long one that names it once; photos
// that rank alike come in a stable order.
TEST_F(Search, RanksShortAndRepeatedMentionsAndRareWordsFirst) {
  const std::string filler =
      "Die Gäste besichtigten anschließend das Rathaus, den Rheinturm, die Altstadt, den "
      "Medienhafen und die Königsallee und sprachen mit Vertreterinnen und Vertretern der "
      "Stadtgesellschaft über Kultur, Wirtschaft und Verkehr in der Landeshauptstadt";
  const std::vector<std::string> captions{
      "Radschnellweg eröffnet",                                          // short
      "Radschnellweg eröffnet. " + filler,                               // long
      "Radschnellweg eröffnet, der Radschnellweg ist fertig. " + filler  // twice, long
  };
  std::vector<std::int64_t> ids;
  const std::string digits = "abc";
  for (std::size_t i = 0; i < captions.size(); ++i) {
    auto id = m_catalog->add_photo(made_photo(digits.at(i), 1000, 800, "2021-05-01"), "importer");
    ASSERT_TRUE(id);
    ASSERT_TRUE(m_catalog->set_caption(*id, captions[i], "desk"));
    ids.push_back(*id);
  }
  const auto ranked = found("radschnellweg");
  ASSERT_EQ(ranked.size(), 3U);
  const auto rank = [&](std::int64_t id) { return std::find(ranked.begin(), ranked.end(), id); };
  EXPECT_LT(rank(ids[0]), rank(ids[1]));  // short before long
  EXPECT_LT(rank(ids[2]), rank(ids[1]));  // twice before once
  // Photos that rank alike come in the order they were imported.
  std::vector<std::int64_t> twins;
  for (const char digit : {'d', 'e', 'f'}) {
    auto id = m_catalog->add_photo(made_photo(digit, 1000, 800, "2021-05-01"), "importer");
    ASSERT_TRUE(id);
    ASSERT_TRUE(m_catalog->set_caption(*id, "Sommerfest am Rhein", "desk"));
    twins.push_back(*id);
  }
  EXPECT_EQ(found("sommerfest"), (Ids{twins[0], twins[1], twins[2]}));
  // "eroffnet" is in three photos, "geisel" in one, each once: the rare word ranks its photo
  // first even though photo 1's caption is longer.
  ASSERT_TRUE(m_catalog->set_caption(m_ids[0], "Thomas Geisel eröffnet " + filler, "desk"));
  const auto either = found("eroffnet OR geisel");
  ASSERT_EQ(either.size(), 4U);
  EXPECT_EQ(either.front(), m_ids[0]);
}

// `check --repair` rebuilds the index and replaces it by a compacted copy; a catalog open in
// another connection (another process, to Xapian) follows to the new index and sees later
// changes, and nothing of the work folders is left behind.
TEST_F(Search, ARebuiltIndexReplacesTheOldOneForEveryReader) {
  auto other = Catalog::open(file(), false);
  ASSERT_TRUE(other);
  SearchQuery query;
  query.text = "hergenroder";
  auto before = other->search(query);
  ASSERT_TRUE(before);
  EXPECT_EQ(before->hits.size(), 2U);
  const auto index = m_dir / "catalog.sqlite-search";
  ASSERT_TRUE(m_catalog->rebuild_search_index());
  EXPECT_TRUE(std::filesystem::exists(index / "iamglass"));
  EXPECT_FALSE(std::filesystem::exists(m_dir / "catalog.sqlite-search.compact"));
  EXPECT_FALSE(std::filesystem::exists(m_dir / "catalog.sqlite-search.old"));
  ASSERT_TRUE(m_catalog->set_caption(m_ids[2], "Marc-André Hergenröder im Bus", "desk"));
  auto after = other->search(query);
  ASSERT_TRUE(after) << to_string(after.error());
  Ids ids;
  for (const auto& hit : after->hits) {
    ids.push_back(hit.photo_id);
  }
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(ids, (Ids{m_ids[0], m_ids[1], m_ids[2]}));
  EXPECT_EQ(found_set(query), (Ids{m_ids[0], m_ids[1], m_ids[2]}));
}

// A catch-up that writes half the index or more (here: 1,200 photos another connection wrote
// beside 4) leaves it compacted, as a rebuild does; a small one leaves the index where it is.
TEST_F(Search, ALargeCatchUpCompactsTheIndex) {
  const auto index = m_dir / "catalog.sqlite-search";
  const auto folder_id = [&] {
    struct stat info {};
    EXPECT_EQ(::stat(index.c_str(), &info), 0);
    return info.st_ino;
  };
  ASSERT_EQ(found_set("hergenroder").size(), 2U);
  const auto before = folder_id();
  constexpr int k_photos = 1200;
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(file().c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db,
                         "WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
                         "WHERE i < 1200) INSERT INTO photos (sha256, type, byte_size, width, "
                         "height, date_taken, original_name, imported_from) SELECT "
                         "printf('%064d', i), 'jpeg', 1000, 1000, 800, '2022-03-04T12:00:00', "
                         "i || '.jpg', '/press/' || i || '.jpg' FROM n",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  SearchQuery query;
  query.date_from = "2022-03-04";
  auto page = m_catalog->search(query);
  ASSERT_TRUE(page) << to_string(page.error());
  EXPECT_EQ(page->total, k_photos);
  const auto compacted = folder_id();
  EXPECT_NE(compacted, before);
  EXPECT_FALSE(std::filesystem::exists(m_dir / "catalog.sqlite-search.old"));
  ASSERT_TRUE(m_catalog->set_caption(m_ids[3], "Hergenröder beim Schützenfest", "desk"));
  EXPECT_EQ(found_set("hergenroder").size(), 3U);
  EXPECT_EQ(folder_id(), compacted);
}

TEST_F(Search, DisplayedSizeAppliesTheOrientation) {
  Photo rotated = made_photo('5', 3000, 2000, "2020-01-01");
  rotated.orientation = 6;  // stored landscape, displayed portrait
  auto id = m_catalog->add_photo(rotated, "importer");
  ASSERT_TRUE(id);
  SearchQuery query;
  query.orientation = Orientation::portrait;
  EXPECT_EQ(found_set(query), (Ids{m_ids[1], *id}));
  query = {};
  query.min_height = 3000;
  query.date_from = "2020-01-01";
  EXPECT_EQ(found_set(query), (Ids{*id}));
}

TEST_F(Search, FiltersByLicenceStateOnTheDayAsked) {
  Licence embargo;
  embargo.usage_terms = "Frei nach Sperrfrist";
  embargo.valid_from = "2026-12-01";
  Licence expiring;
  expiring.usage_terms = "Nur bis Jahresende";
  expiring.valid_until = "2026-12-31";
  ASSERT_TRUE(m_catalog->set_licence({m_ids[0]}, embargo, "desk"));
  ASSERT_TRUE(m_catalog->set_licence({m_ids[1]}, expiring, "desk"));
  SearchQuery query;
  query.today = "2026-11-30";
  query.licence = LicenceFilter::embargoed;
  EXPECT_EQ(found_set(query), (Ids{m_ids[0]}));
  query.licence = LicenceFilter::usable;  // photos without terms count as usable
  EXPECT_EQ(found_set(query), (Ids{m_ids[1], m_ids[2], m_ids[3]}));
  query.licence = LicenceFilter::expired;
  EXPECT_EQ(found_set(query), Ids{});

  query.today = "2026-12-01";  // the embargo's first day: usable
  query.licence = LicenceFilter::usable;
  EXPECT_EQ(found_set(query), (Ids{m_ids[0], m_ids[1], m_ids[2], m_ids[3]}));
  query.today = "2026-12-31";  // the last day: still usable
  EXPECT_EQ(found_set(query), (Ids{m_ids[0], m_ids[1], m_ids[2], m_ids[3]}));
  query.today = "2027-01-01";
  query.licence = LicenceFilter::expired;
  EXPECT_EQ(found_set(query), (Ids{m_ids[1]}));
}

TEST_F(Search, RanksByRelevanceOrByDateAndPages) {
  // "geisel" is in photo 1's caption and its person shown: it ranks first for "geisel OR bus".
  auto ranked = found("geisel OR bus");
  ASSERT_EQ(ranked.size(), 2U);
  SearchQuery query;
  query.order = SearchOrder::newest;
  EXPECT_EQ(found(query), (Ids{m_ids[2], m_ids[1], m_ids[0], m_ids[3]}));
  query.order = SearchOrder::oldest;
  EXPECT_EQ(found(query), (Ids{m_ids[3], m_ids[0], m_ids[1], m_ids[2]}));
  query.limit = 3;
  query.offset = 3;
  auto page = m_catalog->search(query);
  ASSERT_TRUE(page);
  EXPECT_EQ(page->total, 4);
  ASSERT_EQ(page->hits.size(), 1U);
  EXPECT_EQ(page->hits.front().photo_id, m_ids[2]);
  query.limit = -1;
  EXPECT_FALSE(m_catalog->search(query));
}

TEST_F(Search, ChangesAreSearchableAtOnceAndInAnotherConnection) {
  ASSERT_TRUE(m_catalog->set_caption(m_ids[3], "Schützenfest auf den Rheinwiesen", "desk"));
  EXPECT_EQ(found_set("schutzenfest"), (Ids{m_ids[3]}));
  auto other = Catalog::open(file(), false);
  ASSERT_TRUE(other);
  SearchQuery query;
  query.text = "rheinwiesen";
  auto page = other->search(query);
  ASSERT_TRUE(page);
  ASSERT_EQ(page->hits.size(), 1U);
  EXPECT_EQ(page->hits.front().photo_id, m_ids[3]);
  // The old caption's words are gone from the index.
  ASSERT_TRUE(m_catalog->set_caption(m_ids[3], "Gruppenfoto", "desk"));
  EXPECT_TRUE(found("schutzenfest").empty());
}

TEST_F(Search, AMissingIndexIsRebuiltOnOpen) {
  m_catalog.reset();
  std::filesystem::remove_all(m_dir / "catalog.sqlite-search");
  auto reopened = Catalog::open(file(), false);
  ASSERT_TRUE(reopened);
  m_catalog.emplace(std::move(*reopened));
  EXPECT_EQ(found_set("hergenroder"), (Ids{m_ids[0], m_ids[1]}));
  auto report = m_catalog->check();
  ASSERT_TRUE(report);
  EXPECT_TRUE(report->problems.empty());
  EXPECT_EQ(report->indexed, 4);
  // check --repair: the index is thrown away and built again, with the same answers.
  ASSERT_TRUE(m_catalog->rebuild_search_index());
  EXPECT_EQ(found_set("hergenroder"), (Ids{m_ids[0], m_ids[1]}));
  EXPECT_EQ(m_catalog->check()->indexed, 4);
}

TEST_F(Search, SavedSearchNamesItsPhotosForLaterCommands) {
  SearchQuery query;
  query.text = "hergenroder";
  auto saved = m_catalog->save_search("geisel-visit", query, "desk");
  ASSERT_TRUE(saved) << to_string(saved.error());
  EXPECT_EQ(*saved, 2);
  auto photos =
      m_catalog->resolve_photos({"@geisel-visit", std::to_string(m_ids[3]), std::string(64, '1')});
  ASSERT_TRUE(photos);
  Ids expected = found("hergenroder");  // the saved search keeps the search's order
  expected.push_back(m_ids[3]);
  EXPECT_EQ(*photos, expected);  // and the photo named twice comes once
  auto unknown = m_catalog->resolve_photos({"@nothing"});
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, Errc::not_found);
}

TEST(SearchQueryFolding, KeepsOperatorsAndFoldsWords) {
  EXPECT_EQ(fold_query("Straße NOT Köln"), "strasse NOT koln");
  EXPECT_EQ(fold_query("(Geisel OR Düsseldorf) AND \"Béouindé\""),
            "(geisel OR dusseldorf) AND \"beouinde\"");
  EXPECT_EQ(fold_query("Deleg*  and"), "deleg*  and");
}

}  // namespace
}  // namespace pressroom::catalog
