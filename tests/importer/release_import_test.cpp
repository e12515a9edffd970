// The import of a press release: its entries' photos fetched from a real HTTP server on
// 127.0.0.1, imported, linked to their entries, and asked for conditionally the next time.
#include <atomic>
#include <map>
#include <mutex>
#include <set>

#include <gtest/gtest.h>

#include "core/embedded_metadata.hpp"
#include "http_test_server.hpp"
#include "importer/import.hpp"
#include "importer/library_check.hpp"
#include "test_support.hpp"

namespace pressroom::importer {
namespace {

using namespace std::chrono_literals;
using testing::TempDir;
using testing::TestHttpServer;

class Collector final : public ImportObserver {
 public:
  void entry_finished(const ImportOutcome& outcome) override {
    outcomes.push_back(outcome);
    if (on_entry) {
      on_entry(outcome);
    }
  }
  std::vector<ImportOutcome> outcomes;
  std::function<void(const ImportOutcome&)> on_entry;
};

// A photo server: each path serves a fixture's bytes with a strong ETag and honours
// If-None-Match; it counts requests, 304s and the body bytes it sent.
class PhotoServer {
 public:
  PhotoServer() {
    m_http.server().Get(
        R"(/photos/(.+))", [this](const httplib::Request& request, httplib::Response& response) {
          const std::lock_guard lock(m_mutex);
          ++m_requests;
          const auto photo = m_photos.find(request.matches[1].str());
          if (photo == m_photos.end()) {
            response.status = 404;
            return;
          }
          const std::string etag = "\"" + std::to_string(photo->second.version) + "\"";
          response.set_header("ETag", etag);
          if (request.get_header_value("If-None-Match") == etag) {
            ++m_not_modified;
            response.status = 304;
            return;
          }
          m_body_bytes += photo->second.bytes.size();
          response.set_content(photo->second.bytes, "image/jpeg");
        });
    EXPECT_TRUE(m_http.start());
  }

  // Serves `text` at /texts/NAME (a release, a manifest).
  void serve_text(const std::string& name, const std::string& text) {
    m_http.server().Get("/texts/" + name,
                        [text](const httplib::Request&, httplib::Response& response) {
                          response.set_content(text, "text/plain; charset=utf-8");
                        });
  }
  std::string text_url(const std::string& name) const { return m_http.url("/texts/" + name); }

  // Serves `fixture` at /photos/NAME; serving another makes a new ETag.
  void serve(const std::string& name, const std::string& fixture) {
    const std::lock_guard lock(m_mutex);
    Photo& photo = m_photos[name];
    photo.bytes = testing::read_text(testing::fixture(fixture));
    ++photo.version;
  }
  std::string url(const std::string& name) const { return m_http.url("/photos/" + name); }
  int requests() {
    const std::lock_guard lock(m_mutex);
    return m_requests;
  }
  int not_modified() {
    const std::lock_guard lock(m_mutex);
    return m_not_modified;
  }
  std::size_t body_bytes() {
    const std::lock_guard lock(m_mutex);
    return m_body_bytes;
  }

 private:
  struct Photo {
    std::string bytes;
    int version = 0;
  };
  TestHttpServer m_http;
  std::mutex m_mutex;
  std::map<std::string, Photo> m_photos;
  int m_requests = 0;
  int m_not_modified = 0;
  std::size_t m_body_bytes = 0;
};

// A release in the seed's layout whose photo list has one entry per (caption, url).
std::string release_text(const std::vector<std::pair<std::string, std::string>>& entries) {
  std::string list;
  for (const auto& [caption, url] : entries) {
    list.append(caption)
        .append(", \u00A9Landeshauptstadt D\u00FCsseldorf/Marc-Andr\u00E9 Hergenr\u00F6der\n\n<")
        .append(url)
        .append(">\n\n\n\n");
  }
  return "Pressedienst\n\n01. September 2019\n\nEmpfang im Rathaus\n\n"
         "Ein Absatz des Textes, der von der Sache handelt und nicht von etwas anderem.\n\n"
         "Zu Ihrer redaktionellen Verwendung stellen wir Ihnen folgendes Material zum Download "
         "zur Verf\u00FCgung:\n\n" +
         list + "Textversion:\n\nhttps://www.duesseldorf.de/pld/txt/1.txt\n";
}

class ReleaseImportTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { initialize_metadata(); }

  void SetUp() override {
    reset_import_cancel();
    bool created = false;
    auto library = Library::create(m_dir / "library", created);
    ASSERT_TRUE(library) << to_string(library.error());
    m_library.emplace(std::move(*library));
    m_options.fetcher.policy.allow_private = true;
    m_options.fetcher.use_proxy_environment = false;
    m_options.fetcher.limits.first_retry_delay = 20ms;
    m_options.fetcher.limits.max_attempts = 1;
  }
  void TearDown() override { reset_import_cancel(); }

  std::filesystem::path write_release(const std::string& text) {
    auto file = m_dir / "release.txt";
    std::ofstream(file, std::ios::binary) << text;
    return file;
  }

  ImportSummary import(const std::filesystem::path& release, Collector& collector) {
    const std::vector<std::filesystem::path> inputs{release};
    return import_paths(*m_library, inputs, collector, m_options);
  }

  catalog::Catalog& catalog() { return m_library->catalog(); }

  static int files_in(const std::filesystem::path& folder) {
    int count = 0;
    if (std::filesystem::exists(folder)) {
      for (const auto& entry : std::filesystem::recursive_directory_iterator(folder)) {
        count += entry.is_regular_file() ? 1 : 0;
      }
    }
    return count;
  }

  TempDir m_dir;
  std::optional<Library> m_library;
  ImportOptions m_options;
  PhotoServer m_server;
};

TEST_F(ReleaseImportTest, EntriesAreFetchedImportedAndLinkedAndAFailureIsKeptWithItsReason) {
  m_server.serve("empfang.jpg", "camera.jpg");
  m_server.serve("rathaus.JPG", "orientation-6.jpg");
  const auto release = write_release(release_text(
      {{"OB Thomas Geisel begr\u00FC\u00DFt die G\u00E4ste", m_server.url("empfang.jpg")},
       {"Das Rathaus am Marktplatz", m_server.url("rathaus.JPG")},
       {"Der Jan-Wellem-Platz", m_server.url("fehlt.jpg")}}));
  Collector collector;
  const ImportSummary summary = import(release, collector);
  EXPECT_EQ(summary.imported, 2);
  EXPECT_EQ(summary.failed, 1);
  EXPECT_EQ(summary.unusable, 0);
  EXPECT_GT(summary.bytes_fetched, 0U);
  ASSERT_EQ(collector.outcomes.size(), 3U);

  std::map<int, ImportOutcome> by_position;
  for (const auto& outcome : collector.outcomes) {
    by_position[outcome.position] = outcome;
  }
  ASSERT_EQ(by_position.size(), 3U);
  const ImportOutcome& missing = by_position[3];
  EXPECT_EQ(missing.state, OutcomeState::failed);
  ASSERT_TRUE(missing.error);
  EXPECT_EQ(missing.error->code, Errc::not_found);
  EXPECT_NE(to_string(*missing.error).find("404"), std::string::npos) << to_string(*missing.error);
  EXPECT_NE(to_string(*missing.error).find(m_server.url("fehlt.jpg")), std::string::npos);
  ASSERT_TRUE(missing.fetch_failure);
  EXPECT_EQ(*missing.fetch_failure, FetchFailure::http_status);

  ASSERT_TRUE(by_position[1].release_id);
  auto entries = catalog().entries(*by_position[1].release_id);
  ASSERT_TRUE(entries);
  ASSERT_EQ(entries->size(), 3U);
  for (int position = 1; position <= 2; ++position) {
    const auto& entry = (*entries)[static_cast<std::size_t>(position - 1)];
    const ImportOutcome& outcome = by_position[position];
    EXPECT_EQ(outcome.state, OutcomeState::imported);
    ASSERT_TRUE(outcome.photo);
    ASSERT_EQ(entry.photo_id, outcome.photo->id) << "entry " << position << " linked";
    EXPECT_EQ(outcome.photo->imported_from, entry.url);
    auto details = catalog().details(outcome.photo->id);
    ASSERT_TRUE(details);
    EXPECT_EQ(details->caption, entry.caption);
    ASSERT_TRUE(details->credit);
    EXPECT_EQ(details->credit->photographer, "Marc-Andr\u00E9 Hergenr\u00F6der");
    EXPECT_EQ(details->credit->rights_holder, "Landeshauptstadt D\u00FCsseldorf");
    auto source = catalog().source(entry.url);
    ASSERT_TRUE(source && *source);
    EXPECT_EQ((*source)->etag, "\"1\"");
    EXPECT_EQ((*source)->status, 200);
    EXPECT_EQ((*source)->photo_id, outcome.photo->id);
    EXPECT_FALSE((*source)->error);
  }
  EXPECT_EQ(by_position[1].photo->original_name, "empfang.jpg");
  EXPECT_EQ(by_position[2].photo->orientation, 6);
  EXPECT_FALSE((*entries)[2].photo_id) << "the failed entry keeps no photo";
  EXPECT_EQ((*entries)[2].caption, "Der Jan-Wellem-Platz");
  auto failure = catalog().source((*entries)[2].url);
  ASSERT_TRUE(failure && *failure);
  EXPECT_EQ((*failure)->status, 404);
  ASSERT_TRUE((*failure)->error);
  EXPECT_NE((*failure)->error->find("404"), std::string::npos);
  EXPECT_EQ(files_in(m_library->layout().incoming()), 0) << "fetched files are removed";
}

TEST_F(ReleaseImportTest, RunAgainEveryPhotoIsAskedConditionallyAndIsUnchanged) {
  m_server.serve("a.jpg", "camera.jpg");
  m_server.serve("b.jpg", "base.png");
  const auto release =
      write_release(release_text({{"Erste Aufnahme", m_server.url("a.jpg")},
                                  {"Zweite Aufnahme", m_server.url("b.jpg")},
                                  {"Dritte Aufnahme", m_server.url("missing.jpg")}}));
  Collector first;
  ASSERT_EQ(import(release, first).imported, 2);
  const std::int64_t photos_before = catalog().photo_count().value();
  const std::size_t bytes_before = m_server.body_bytes();
  const int requests_before = m_server.requests();

  Collector second;
  const ImportSummary again = import(release, second);
  EXPECT_EQ(again.imported, 0);
  EXPECT_EQ(again.unchanged, 2);
  EXPECT_EQ(again.failed, 1) << "the 404 is tried again, and fails again";
  EXPECT_EQ(m_server.requests() - requests_before, 3);
  EXPECT_EQ(m_server.not_modified(), 2);
  EXPECT_EQ(m_server.body_bytes(), bytes_before) << "no photo bytes sent again";
  EXPECT_EQ(again.bytes_fetched, 0U);
  EXPECT_EQ(catalog().photo_count().value(), photos_before);
  for (const auto& outcome : second.outcomes) {
    if (outcome.state == OutcomeState::unchanged) {
      EXPECT_TRUE(outcome.conditional);
      ASSERT_TRUE(outcome.photo);
    }
  }
}

TEST_F(ReleaseImportTest, APhotoChangedOnTheServerIsFetchedAndLinkedAgain) {
  m_server.serve("a.jpg", "camera.jpg");
  const auto release = write_release(release_text({{"Erste Aufnahme", m_server.url("a.jpg")}}));
  Collector first;
  ASSERT_EQ(import(release, first).imported, 1);
  const std::int64_t old_photo = first.outcomes.at(0).photo->id;

  m_server.serve("a.jpg", "orientation-6.jpg");  // a new ETag and new bytes
  Collector second;
  const ImportSummary again = import(release, second);
  EXPECT_EQ(again.imported, 1);
  ASSERT_EQ(second.outcomes.size(), 1U);
  const ImportOutcome& outcome = second.outcomes.front();
  ASSERT_TRUE(outcome.photo);
  EXPECT_NE(outcome.photo->id, old_photo);
  auto entries = catalog().entries(*outcome.release_id);
  ASSERT_TRUE(entries);
  EXPECT_EQ(entries->front().photo_id, outcome.photo->id);
  auto source = catalog().source(entries->front().url);
  ASSERT_TRUE(source && *source);
  EXPECT_EQ((*source)->etag, "\"2\"");
  EXPECT_EQ((*source)->photo_id, outcome.photo->id);
}

TEST_F(ReleaseImportTest, DryRunPlansEveryEntryAndNeitherFetchesNorWrites) {
  m_server.serve("a.jpg", "camera.jpg");
  const auto release = write_release(release_text(
      {{"Erste Aufnahme", m_server.url("a.jpg")}, {"Zweite Aufnahme", m_server.url("b.jpg")}}));
  const std::string catalog_before =
      testing::sql(m_library->layout().catalog_file(), "SELECT count(*) FROM releases");
  m_options.dry_run = true;
  Collector collector;
  const ImportSummary summary = import(release, collector);
  EXPECT_EQ(summary.planned, 2);
  EXPECT_EQ(summary.imported + summary.failed + summary.unchanged, 0);
  EXPECT_EQ(m_server.requests(), 0);
  EXPECT_EQ(testing::sql(m_library->layout().catalog_file(), "SELECT count(*) FROM releases"),
            catalog_before);
  ASSERT_EQ(collector.outcomes.size(), 2U);
  EXPECT_EQ(collector.outcomes[1].url, m_server.url("b.jpg"));
  EXPECT_EQ(collector.outcomes[1].caption, "Zweite Aufnahme");
  EXPECT_FALSE(std::filesystem::exists(m_library->layout().incoming()));
}

TEST_F(ReleaseImportTest, CancelledImportKeepsWhatItFinishedLeavesNoFilesAndResumes) {
  std::vector<std::pair<std::string, std::string>> entries;
  for (int i = 1; i <= 12; ++i) {
    const std::string name = "p" + std::to_string(i) + ".jpg";
    m_server.serve(name, i % 2 == 0 ? "camera.jpg" : "orientation-6.jpg");
    entries.emplace_back("Aufnahme " + std::to_string(i), m_server.url(name));
  }
  const auto release = write_release(release_text(entries));
  m_options.fetch_ahead = 2;
  m_options.fetcher.jobs = 1;
  Collector first;
  first.on_entry = [](const ImportOutcome&) { cancel_import(); };
  const ImportSummary interrupted = import(release, first);
  EXPECT_GE(interrupted.imported + interrupted.unchanged, 1);
  EXPECT_GT(interrupted.interrupted, 0);
  EXPECT_LT(first.outcomes.size(), 12U);
  EXPECT_EQ(
      interrupted.imported + interrupted.unchanged + interrupted.failed + interrupted.interrupted,
      12);
  EXPECT_EQ(files_in(m_library->layout().incoming()), 0) << "no fetched file is left";
  auto check = catalog().check();
  ASSERT_TRUE(check);
  EXPECT_TRUE(check->problems.empty());

  reset_import_cancel();
  Collector second;
  const ImportSummary resumed = import(release, second);
  EXPECT_EQ(resumed.failed, 0);
  EXPECT_EQ(resumed.interrupted, 0);
  EXPECT_EQ(resumed.imported + resumed.unchanged, 12);
  auto stored = catalog().entries(*second.outcomes.front().release_id);
  ASSERT_TRUE(stored);
  for (const auto& entry : *stored) {
    EXPECT_TRUE(entry.photo_id) << "entry " << entry.position;
  }
}

TEST_F(ReleaseImportTest, FetchedFilesWaitingForTheWorkersAreBounded) {
  std::vector<std::pair<std::string, std::string>> entries;
  for (int i = 1; i <= 10; ++i) {
    const std::string name = "p" + std::to_string(i) + ".jpg";
    m_server.serve(name, "camera.jpg");
    entries.emplace_back("Aufnahme " + std::to_string(i), m_server.url(name));
  }
  const auto release = write_release(release_text(entries));
  m_options.fetch_ahead = 2;
  m_options.jobs = 1;
  int most = 0;
  Collector collector;
  collector.on_entry = [&](const ImportOutcome&) {
    most = std::max(most, files_in(m_library->layout().incoming()));
  };
  const ImportSummary summary = import(release, collector);
  EXPECT_EQ(summary.imported + summary.unchanged, 10);
  // At most one group waiting and one group arriving: 2 × fetch_ahead.
  EXPECT_LE(most, 4);
}

TEST_F(ReleaseImportTest, ATextThatIsNoReleaseIsAnUnusableInput) {
  const auto file = m_dir / "notes.txt";
  std::ofstream(file, std::ios::binary) << std::string("\0\1\2binary", 9);
  Collector collector;
  const std::vector<std::filesystem::path> inputs{file, m_dir / "missing.txt"};
  const ImportSummary summary = import_paths(*m_library, inputs, collector, m_options);
  EXPECT_EQ(summary.unusable, 2);
  EXPECT_EQ(summary.failed, 2);
  ASSERT_EQ(collector.outcomes.size(), 2U);
  EXPECT_NE(to_string(*collector.outcomes[0].error).find(file.string()), std::string::npos);
}

TEST_F(ReleaseImportTest, CheckFindsWhatAnInterruptedImportLeftAndRepairRemovesOnlyThat) {
  m_server.serve("a.jpg", "camera.jpg");
  const auto release = write_release(release_text({{"Erste Aufnahme", m_server.url("a.jpg")}}));
  Collector collector;
  ASSERT_EQ(import(release, collector).imported, 1);
  const Photo photo = *collector.outcomes.at(0).photo;
  const LibraryLayout& layout = m_library->layout();
  // What a kill -9 leaves: a fetched body, a half-written temporary file, and the files of a
  // photo written before its catalog row.
  const std::string orphan(64, 'e');
  const std::vector<std::filesystem::path> leftovers{
      layout.incoming() / "4242-0-7", layout.incoming() / "4242-0-8.part",
      layout.original(photo.sha256, photo.type).parent_path() / ".x.jpg.tmp-4242-1",
      layout.original(orphan, ImageType::jpeg), layout.rendition(256, orphan)};
  for (const auto& file : leftovers) {
    std::filesystem::create_directories(file.parent_path());
    std::ofstream(file) << "partial";
  }
  {
    auto lock = ImportLock::shared(*m_library);
    ASSERT_TRUE(lock);
    auto running = check_library_files(*m_library, true);
    ASSERT_TRUE(running);
    EXPECT_TRUE(running->import_running);
    EXPECT_TRUE(running->removed.empty()) << "a running import's files are not touched";
  }
  auto found = check_library_files(*m_library, false);
  ASSERT_TRUE(found);
  EXPECT_FALSE(found->import_running);
  std::set<std::string> expected;
  for (const auto& file : leftovers) {
    expected.insert(file.string());
  }
  EXPECT_EQ(std::set<std::string>(found->leftovers.begin(), found->leftovers.end()), expected);
  EXPECT_TRUE(found->missing.empty());
  for (const auto& file : leftovers) {
    EXPECT_TRUE(std::filesystem::exists(file)) << "check alone removes nothing";
  }

  std::filesystem::remove(layout.rendition(1280, photo.sha256));
  auto repaired = check_library_files(*m_library, true);
  ASSERT_TRUE(repaired);
  EXPECT_EQ(repaired->removed.size(), leftovers.size());
  for (const auto& file : leftovers) {
    EXPECT_FALSE(std::filesystem::exists(file)) << file;
  }
  EXPECT_TRUE(std::filesystem::exists(layout.original(photo.sha256, photo.type)));
  EXPECT_TRUE(std::filesystem::exists(layout.rendition(256, photo.sha256)));
  ASSERT_EQ(repaired->missing.size(), 1U);
  EXPECT_EQ(repaired->missing.front(), layout.rendition(1280, photo.sha256).string());
}

TEST_F(ReleaseImportTest, ManifestRowsBecomeEntriesWithTheirCreditsTagsAndPeople) {
  m_server.serve("a.jpg", "camera.jpg");
  std::filesystem::create_directories(m_dir / "bilder");
  std::filesystem::copy_file(testing::fixture("orientation-6.jpg"), m_dir / "bilder/local.jpg");
  const auto manifest = m_dir / "photos.csv";
  std::ofstream(manifest, std::ios::binary)
      << "url,path,caption,credit,photographer,tags,people,release\n"
      << m_server.url("a.jpg")
      << ",,\"Empfang, im Rathaus\",\u00A9Stadt D\u00FCsseldorf/Anna Schmidt,,Event|Fair;Rathaus,"
         "Thomas Geisel;Anna B,Empfang\n"
      << ",bilder/local.jpg,Vom Platz,,Max Muster,,,\n"
      << m_server.url("gone.jpg") << ",,Fehlt,,,,,Empfang\n";
  Collector collector;
  const std::vector<std::filesystem::path> inputs{manifest};
  const ImportSummary summary = import_paths(*m_library, inputs, collector, m_options);
  EXPECT_EQ(summary.imported, 2);
  EXPECT_EQ(summary.failed, 1);
  EXPECT_EQ(summary.unusable, 0);
  std::map<std::string, ImportOutcome> by_caption;
  for (const auto& outcome : collector.outcomes) {
    by_caption[outcome.caption] = outcome;
  }
  const ImportOutcome& fair = by_caption["Empfang, im Rathaus"];
  ASSERT_TRUE(fair.photo);
  auto details = catalog().details(fair.photo->id);
  ASSERT_TRUE(details);
  EXPECT_EQ(details->caption, "Empfang, im Rathaus");
  ASSERT_TRUE(details->credit);
  EXPECT_EQ(details->credit->photographer, "Anna Schmidt");
  EXPECT_EQ(details->credit->rights_holder, "Stadt D\u00FCsseldorf");
  EXPECT_EQ(details->tags, (std::vector<std::string>{"Event|Fair", "Rathaus"}));
  ASSERT_EQ(details->people.size(), 2U);
  EXPECT_EQ(details->people[0].name, "Thomas Geisel");
  ASSERT_EQ(details->entries.size(), 1U);
  EXPECT_EQ(details->entries[0].release_title, "Empfang");

  const ImportOutcome& local = by_caption["Vom Platz"];
  ASSERT_TRUE(local.photo);
  EXPECT_EQ(local.url, "file://" + (m_dir / "bilder/local.jpg").string());
  EXPECT_EQ(local.photo->original_name, "local.jpg");
  EXPECT_TRUE(std::filesystem::exists(m_dir / "bilder/local.jpg")) << "a local file is kept";
  auto local_details = catalog().details(local.photo->id);
  ASSERT_TRUE(local_details && local_details->credit);
  EXPECT_EQ(local_details->credit->photographer, "Max Muster");
  EXPECT_NE(fair.release_id, local.release_id) << "rows without a release form their own";
  EXPECT_EQ(fair.release_id, by_caption["Fehlt"].release_id);
  EXPECT_EQ(by_caption["Fehlt"].position, 2);

  // The same manifest again: the same releases and entries, every photo unchanged.
  const std::string entries_before =
      testing::sql(m_library->layout().catalog_file(), "SELECT count(*) FROM entries");
  Collector again;
  const ImportSummary second = import_paths(*m_library, inputs, again, m_options);
  EXPECT_EQ(second.unchanged, 2);
  EXPECT_EQ(second.imported, 0);
  EXPECT_EQ(second.failed, 1);
  EXPECT_EQ(testing::sql(m_library->layout().catalog_file(), "SELECT count(*) FROM entries"),
            entries_before);
  EXPECT_EQ(testing::sql(m_library->layout().catalog_file(), "SELECT count(*) FROM releases"), "2");
}

TEST_F(ReleaseImportTest, ARepairedUrlIsImportedByRetryFailed) {
  m_server.serve("richtig.jpg", "camera.jpg");
  const auto release =
      write_release(release_text({{"Erste Aufnahme", m_server.url("falsch_jpg")}}));
  Collector first;
  ASSERT_EQ(import(release, first).failed, 1);
  const ImportOutcome failure = first.outcomes.at(0);
  ASSERT_TRUE(failure.entry_id);
  ASSERT_TRUE(catalog().set_entry_url(*failure.entry_id, m_server.url("richtig.jpg"), "test"));
  auto history = catalog().entries(*failure.release_id);
  ASSERT_TRUE(history);
  EXPECT_EQ(history->front().url, m_server.url("richtig.jpg"));
  EXPECT_FALSE(catalog().set_entry_url(*failure.entry_id, "", "test"));
  EXPECT_EQ(catalog().set_entry_url(9999, "https://a/b.jpg", "test").error().code, Errc::not_found);

  m_options.retry_failed = true;
  Collector retry;
  const ImportSummary summary = import_paths(*m_library, {}, retry, m_options);
  EXPECT_EQ(summary.imported, 1);
  EXPECT_EQ(summary.failed, 0);
  ASSERT_EQ(retry.outcomes.size(), 1U);
  EXPECT_EQ(retry.outcomes[0].entry_id, failure.entry_id);
  auto entries = catalog().entries(*failure.release_id);
  ASSERT_TRUE(entries);
  EXPECT_EQ(entries->front().photo_id, retry.outcomes[0].photo->id);
  EXPECT_EQ(testing::sql(m_library->layout().catalog_file(),
                         "SELECT count(*) FROM audit_log WHERE action = 'entry.url'"),
            "1");

  Collector nothing_left;
  EXPECT_EQ(import_paths(*m_library, {}, nothing_left, m_options).imported, 0);
  EXPECT_TRUE(nothing_left.outcomes.empty());
}

TEST_F(ReleaseImportTest, AReleaseAndAManifestGivenByUrlAreFetchedAndImported) {
  m_server.serve("a.jpg", "camera.jpg");
  m_server.serve("b.jpg", "orientation-6.jpg");
  m_server.serve_text("release.txt", release_text({{"Erste Aufnahme", m_server.url("a.jpg")}}));
  m_server.serve_text("urls.txt", "# more\n" + m_server.url("b.jpg") + "\n");
  Collector collector;
  const std::vector<std::filesystem::path> inputs{m_server.text_url("release.txt"),
                                                  m_server.text_url("urls.txt"),
                                                  m_server.text_url("missing.txt")};
  const ImportSummary summary = import_paths(*m_library, inputs, collector, m_options);
  EXPECT_EQ(summary.imported, 2);
  EXPECT_EQ(summary.unusable, 1) << "the missing text";
  const auto catalog_file = m_library->layout().catalog_file();
  EXPECT_EQ(testing::sql(catalog_file, "SELECT count(*) FROM releases WHERE source = '" +
                                           m_server.text_url("release.txt") + "'"),
            "1");
  EXPECT_EQ(testing::sql(catalog_file, "SELECT count(*) FROM releases WHERE source = '" +
                                           m_server.text_url("urls.txt") + "'"),
            "1");
  EXPECT_EQ(files_in(m_library->layout().incoming()), 0) << "the fetched texts are removed";
  bool named = false;
  for (const auto& outcome : collector.outcomes) {
    named = named ||
            (outcome.error && to_string(*outcome.error).find("missing.txt") != std::string::npos);
  }
  EXPECT_TRUE(named);

  Collector again;
  const ImportSummary second = import_paths(*m_library, inputs, again, m_options);
  EXPECT_EQ(second.unchanged, 2);
  EXPECT_EQ(testing::sql(catalog_file, "SELECT count(*) FROM releases"), "2");
}

}  // namespace
}  // namespace pressroom::importer
