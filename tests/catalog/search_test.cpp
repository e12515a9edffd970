// Search as a German press desk uses it: folding, prefixes, phrases, operators, every filter,
// order and paging, on a real catalog file and its real Xapian index.
#include <algorithm>

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

  query = {};
  query.release = m_release_id;
  query.text = "bus";
  EXPECT_EQ(found_set(query), (Ids{m_ids[2]}));
  query.release = m_release_id + 1;
  EXPECT_EQ(found_set(query), Ids{});
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
