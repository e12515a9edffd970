#pragma once

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "catalog/catalog.hpp"
#include "test_support.hpp"

namespace pressroom::catalog {

// A photo whose sha256 is `digit` 64 times, `width` × `height`, taken on `date`.
inline Photo made_photo(char digit, int width, int height, const std::string& date) {
  Photo photo;
  photo.sha256 = std::string(64, digit);
  photo.type = ImageType::jpeg;
  photo.byte_size = 1000;
  photo.width = width;
  photo.height = height;
  photo.orientation = 1;
  photo.date_taken = date + "T12:00:00";
  photo.original_name = std::string(1, digit) + ".jpg";
  photo.imported_from = "/press/" + photo.original_name;
  return photo;
}

inline ReleaseEntry made_entry(int position, std::string caption, std::string rights_holder,
                               std::string photographer, std::vector<std::string> people) {
  ReleaseEntry entry;
  entry.position = position;
  entry.caption = std::move(caption);
  entry.credit.rights_holder = std::move(rights_holder);
  entry.credit.photographer = std::move(photographer);
  entry.credit.text = credit_line(entry.credit.rights_holder, entry.credit.photographer);
  entry.url = "https://www.duesseldorf.de/photo" + std::to_string(position) + ".jpg";
  for (auto& name : people) {
    entry.people.push_back(Person{std::move(name), "", ""});
  }
  return entry;
}

// A catalog file in a temporary folder holding one release with four photos, taken from the
// seed release's kind of captions and credits, plus a fifth entry whose URL gave no photo:
//   photo 1  landscape 4000×3000, 2019-08-31, Hergenröder, shows Thomas Geisel
//   photo 2  portrait 2000×3000, 2019-09-02, Hergenröder, the delegation at the Straße
//   photo 3  landscape 1600×900, 2019-09-05, David Young, the bus tour
//   photo 4  square 800×800, 2018-06-01, no release (imported from a folder)
class CatalogFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = Catalog::open(file(), true);
    ASSERT_TRUE(opened) << to_string(opened.error());
    m_catalog.emplace(std::move(*opened));
    Release release;
    release.date = "2019-09-02";
    release.titles["de"] = "Oberbürgermeister empfängt Delegation aus Moskau";
    release.titles["en"] = "Lord Mayor welcomes delegation from Moscow";
    release.body["de"] = "Die Landeshauptstadt Düsseldorf begrüßt ihre Gäste.";
    release.photos.push_back(
        made_entry(1, "Oberbürgermeister Thomas Geisel (r.) begrüßt die Gäste im Rathaus",
                   "Landeshauptstadt Düsseldorf", "Marc-André Hergenröder", {"Thomas Geisel"}));
    release.photos.push_back(made_entry(2, "Die Delegation auf der Königsallee-Straße",
                                        "Landeshauptstadt Düsseldorf", "Marc-André Hergenröder",
                                        {}));
    release.photos.push_back(made_entry(3, "Stadtrundfahrt mit dem Bus am Rheinufer",
                                        "Landeshauptstadt Düsseldorf", "David Young", {}));
    release.photos.push_back(made_entry(4, "Gruppenfoto vor dem Landtag",
                                        "Landeshauptstadt Düsseldorf", "David Young", {}));
    auto added = m_catalog->add_release(release, ReleaseSource{"seed.txt", std::nullopt, {}},
                                        "press office");
    ASSERT_TRUE(added) << to_string(added.error());
    m_release_id = *added;
    const std::vector<Photo> photos{
        made_photo('1', 4000, 3000, "2019-08-31"), made_photo('2', 2000, 3000, "2019-09-02"),
        made_photo('3', 1600, 900, "2019-09-05"), made_photo('4', 800, 800, "2018-06-01")};
    for (const auto& photo : photos) {
      auto id = m_catalog->add_photo(photo, "importer");
      ASSERT_TRUE(id) << to_string(id.error());
      m_ids.push_back(*id);
    }
    auto entries = m_catalog->entries(m_release_id);
    ASSERT_TRUE(entries);
    ASSERT_EQ(entries->size(), 4U);
    for (int i = 0; i < 3; ++i) {
      auto attached = m_catalog->attach_photo((*entries)[static_cast<std::size_t>(i)].id,
                                              m_ids[static_cast<std::size_t>(i)], "importer");
      ASSERT_TRUE(attached) << to_string(attached.error());
    }
  }

  std::filesystem::path file() const { return m_dir / "catalog.sqlite"; }

  // The ids of the photos `query` finds, in their order.
  std::vector<std::int64_t> found(const SearchQuery& query) {
    auto page = m_catalog->search(query);
    EXPECT_TRUE(page) << (page ? "" : to_string(page.error()));
    std::vector<std::int64_t> out;
    if (page) {
      for (const auto& hit : page->hits) {
        out.push_back(hit.photo_id);
      }
    }
    return out;
  }
  std::vector<std::int64_t> found(const std::string& text) {
    SearchQuery query;
    query.text = text;
    return found(query);
  }
  // The same ids, sorted, for searches whose order does not matter.
  std::vector<std::int64_t> found_set(const SearchQuery& query) {
    auto out = found(query);
    std::sort(out.begin(), out.end());
    return out;
  }
  std::vector<std::int64_t> found_set(const std::string& text) {
    SearchQuery query;
    query.text = text;
    return found_set(query);
  }

  testing::TempDir m_dir;
  std::optional<Catalog> m_catalog;
  std::int64_t m_release_id = 0;
  std::vector<std::int64_t> m_ids;  // photos 1..4
};

}  // namespace pressroom::catalog
