#include "importer/rebuild.hpp"

#include <bit>
#include <map>

#include <gtest/gtest.h>

#include "core/embedded_metadata.hpp"
#include "core/file_io.hpp"
#include "core/text.hpp"
#include "importer/import.hpp"
#include "test_support.hpp"

namespace pressroom::importer {
namespace {

using testing::sql;

class NullObserver final : public ImportObserver {
 public:
  void entry_finished(const ImportOutcome&) override {}
};

class RebuildCollector final : public RebuildObserver {
 public:
  void started(std::int64_t count) override { total = count; }
  void photo_finished(const RebuildOutcome& outcome) override { outcomes.push_back(outcome); }
  std::int64_t total = -1;
  std::vector<RebuildOutcome> outcomes;
};

std::vector<std::byte> bytes_of(const std::filesystem::path& file) {
  auto bytes = read_file(file, 1U << 30U);
  return bytes ? *bytes : std::vector<std::byte>{};
}

// A library with four photos imported (one rotated, one PNG), and each rendition's bytes as
// the import wrote them.
class RebuildTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { initialize_metadata(); }

  void SetUp() override {
    bool created = false;
    auto library = Library::create(m_dir / "library", created);
    ASSERT_TRUE(library) << to_string(library.error());
    m_library.emplace(std::move(*library));
    std::vector<std::filesystem::path> inputs;
    for (const std::string name :
         {"camera.jpg", "orientation-6.jpg", "base.png", "meta-full.jpg"}) {
      inputs.push_back(m_dir / name);
      std::filesystem::copy_file(testing::fixture(name), inputs.back());
    }
    NullObserver observer;
    ASSERT_EQ(import_paths(*m_library, inputs, observer).imported, 4);
    auto photos = m_library->catalog().photos();
    ASSERT_TRUE(photos);
    m_photos = *photos;
    for (const Photo& photo : m_photos) {
      ASSERT_TRUE(photo.perceptual_hash) << "the import stores every photo's hash";
    }
    for (const Photo& photo : m_photos) {
      for (const int size : LibraryLayout::k_rendition_sizes) {
        m_imported[rendition(size, photo)] = bytes_of(rendition(size, photo));
        ASSERT_FALSE(m_imported[rendition(size, photo)].empty());
      }
    }
  }

  std::filesystem::path rendition(int size, const Photo& photo) const {
    return m_library->layout().rendition(size, photo.sha256);
  }

  // Runs SQL on the library's catalog (see sql()).
  std::string catalog_sql(const std::string& statement) const {
    return sql(m_library->layout().catalog_file(), statement);
  }

  // What the catalog has for each photo now, in the catalog's order.
  std::vector<std::optional<std::uint64_t>> stored_hashes() {
    std::vector<std::optional<std::uint64_t>> hashes;
    auto photos = m_library->catalog().photos();
    EXPECT_TRUE(photos);
    for (const Photo& photo : photos ? *photos : std::vector<Photo>{}) {
      hashes.push_back(photo.perceptual_hash);
    }
    return hashes;
  }

  // Photo 0 without a hash (imported by an older pressroom), photo 1 with a wrong one (a hash of
  // an older renderer), through SQL as the catalog holds them.
  void spoil_hashes() {
    catalog_sql("UPDATE photos SET perceptual_hash = NULL WHERE id = " +
                std::to_string(m_photos[0].id));
    catalog_sql("UPDATE photos SET perceptual_hash = '" + std::string(k_wrong_hash) +
                "' WHERE id = " + std::to_string(m_photos[1].id));
    const auto hashes = stored_hashes();
    ASSERT_EQ(hashes.size(), 4U);
    ASSERT_FALSE(hashes[0]);
    ASSERT_EQ(hashes[1], 0x0123456789abcdefULL);
  }

  static constexpr std::string_view k_wrong_hash = "0123456789abcdef";

  testing::TempDir m_dir;
  std::optional<Library> m_library;
  std::vector<Photo> m_photos;
  std::map<std::filesystem::path, std::vector<std::byte>> m_imported;
};

TEST_F(RebuildTest, RemakesDeletedAndDamagedRenditionsAsTheImportMadeThem) {
  for (const int jobs : {1, 3}) {
    SCOPED_TRACE("jobs " + std::to_string(jobs));
    ASSERT_TRUE(std::filesystem::remove(rendition(256, m_photos[0])));
    ASSERT_TRUE(std::filesystem::remove(rendition(1280, m_photos[1])));
    const std::string junk = "not a JPEG any more";
    ASSERT_TRUE(write_file_atomically(rendition(256, m_photos[2]), std::as_bytes(std::span(junk))));
    auto cut = m_imported[rendition(1280, m_photos[3])];
    cut.resize(cut.size() / 2);  // a half-written file
    ASSERT_TRUE(write_file_atomically(rendition(1280, m_photos[3]), cut));

    RebuildCollector collector;
    RebuildOptions options;
    options.jobs = jobs;
    auto summary = rebuild_renditions(*m_library, collector, options);
    ASSERT_TRUE(summary) << to_string(summary.error());
    EXPECT_EQ(summary->rebuilt, 4);
    EXPECT_EQ(summary->failed, 0);
    EXPECT_EQ(collector.total, 4);
    ASSERT_EQ(collector.outcomes.size(), 4U);
    for (std::size_t i = 0; i < collector.outcomes.size(); ++i) {
      EXPECT_EQ(collector.outcomes[i].photo.id, m_photos[i].id) << "in the catalog's order";
      EXPECT_FALSE(collector.outcomes[i].error);
    }
    for (const auto& [file, bytes] : m_imported) {
      EXPECT_EQ(bytes_of(file), bytes) << file;
    }
  }
}

TEST_F(RebuildTest, OneSizeTouchesOnlyThoseRenditions) {
  // The previews are replaced by a marker: a rebuild of the thumbnails must leave them alone.
  const std::string marker = "preview left alone";
  for (const Photo& photo : m_photos) {
    ASSERT_TRUE(write_file_atomically(rendition(1280, photo), std::as_bytes(std::span(marker))));
    ASSERT_TRUE(std::filesystem::remove(rendition(256, photo)));
  }
  RebuildCollector collector;
  RebuildOptions options;
  options.sizes = {256};
  options.jobs = 2;
  auto summary = rebuild_renditions(*m_library, collector, options);
  ASSERT_TRUE(summary) << to_string(summary.error());
  EXPECT_EQ(summary->rebuilt, 4);
  for (const Photo& photo : m_photos) {
    SCOPED_TRACE(photo.original_name);
    EXPECT_EQ(testing::read_text(rendition(1280, photo)), marker);
    // Made from a smaller decode than the import's (no preview asked for), so not the same
    // bytes: the same picture at the same size.
    const cv::Mat thumbnail = testing::load_image(rendition(256, photo));
    const std::string imported_file = (m_dir / "imported.jpg").string();
    ASSERT_TRUE(write_file_atomically(imported_file, m_imported[rendition(256, photo)]));
    const cv::Mat imported = testing::load_image(imported_file);
    ASSERT_FALSE(thumbnail.empty());
    ASSERT_EQ(thumbnail.size(), imported.size());
    EXPECT_LT(testing::mean_abs_difference(thumbnail, imported), 3.0);
  }
}

TEST_F(RebuildTest, AMissingOriginalFailsWithItsReasonAndTheOthersAreRebuilt) {
  const Photo& lost = m_photos[1];
  ASSERT_TRUE(std::filesystem::remove(m_library->layout().original(lost.sha256, lost.type)));
  const std::string junk = "damaged";
  for (const Photo& photo : m_photos) {
    ASSERT_TRUE(write_file_atomically(rendition(256, photo), std::as_bytes(std::span(junk))));
  }
  RebuildCollector collector;
  RebuildOptions options;
  options.jobs = 2;
  auto summary = rebuild_renditions(*m_library, collector, options);
  ASSERT_TRUE(summary) << to_string(summary.error());
  EXPECT_EQ(summary->rebuilt, 3);
  EXPECT_EQ(summary->failed, 1);
  ASSERT_EQ(collector.outcomes.size(), 4U);
  const RebuildOutcome& failed = collector.outcomes[1];
  ASSERT_TRUE(failed.error);
  EXPECT_EQ(failed.error->code, Errc::not_found);
  const std::string reason = to_string(*failed.error);
  EXPECT_NE(reason.find("photo " + std::to_string(lost.id)), std::string::npos) << reason;
  EXPECT_NE(reason.find("the original is missing"), std::string::npos) << reason;
  EXPECT_EQ(testing::read_text(rendition(256, lost)), junk) << "left as it was";
  for (const std::size_t i : {0U, 2U, 3U}) {
    EXPECT_FALSE(collector.outcomes[i].error);
    EXPECT_EQ(bytes_of(rendition(256, m_photos[i])), m_imported[rendition(256, m_photos[i])]);
  }
}

TEST_F(RebuildTest, StoresTheHashTheImportStoredOverAMissingOrWrongOne) {
  spoil_hashes();
  RebuildCollector collector;
  RebuildOptions options;
  options.jobs = 2;
  auto summary = rebuild_renditions(*m_library, collector, options);
  ASSERT_TRUE(summary) << to_string(summary.error());
  EXPECT_EQ(summary->rebuilt, 4);
  EXPECT_EQ(summary->failed, 0);
  const auto hashes = stored_hashes();
  ASSERT_EQ(hashes.size(), 4U);
  ASSERT_EQ(collector.outcomes.size(), 4U);
  for (std::size_t i = 0; i < m_photos.size(); ++i) {
    SCOPED_TRACE(m_photos[i].original_name);
    EXPECT_EQ(hashes[i], m_photos[i].perceptual_hash) << "the import's, bit for bit";
    EXPECT_EQ(collector.outcomes[i].perceptual_hash, m_photos[i].perceptual_hash);
  }
  // As the catalog's column holds it: 16 lowercase hex digits.
  EXPECT_EQ(catalog_sql("SELECT perceptual_hash FROM photos WHERE id = " +
                        std::to_string(m_photos[1].id)),
            to_hex16(*m_photos[1].perceptual_hash));
}

TEST_F(RebuildTest, ThumbnailsAloneStoreAHashWithinABitOrTwoOfTheImports) {
  spoil_hashes();
  RebuildCollector collector;
  RebuildOptions options;
  options.sizes = {256};
  auto summary = rebuild_renditions(*m_library, collector, options);
  ASSERT_TRUE(summary) << to_string(summary.error());
  EXPECT_EQ(summary->rebuilt, 4);
  const auto hashes = stored_hashes();
  ASSERT_EQ(hashes.size(), 4U);
  for (std::size_t i = 0; i < m_photos.size(); ++i) {
    SCOPED_TRACE(m_photos[i].original_name);
    ASSERT_TRUE(hashes[i]);
    // From a smaller decode than the import's (as the thumbnail itself is): the same picture.
    EXPECT_LE(std::popcount(*hashes[i] ^ *m_photos[i].perceptual_hash), 2);
  }
}

TEST_F(RebuildTest, PreviewsAloneLeaveTheHashesAsTheyAre) {
  spoil_hashes();
  RebuildCollector collector;
  RebuildOptions options;
  options.sizes = {1280};
  auto summary = rebuild_renditions(*m_library, collector, options);
  ASSERT_TRUE(summary) << to_string(summary.error());
  EXPECT_EQ(summary->rebuilt, 4);
  const auto hashes = stored_hashes();
  ASSERT_EQ(hashes.size(), 4U);
  EXPECT_FALSE(hashes[0]);
  EXPECT_EQ(hashes[1], 0x0123456789abcdefULL);
  EXPECT_EQ(hashes[2], m_photos[2].perceptual_hash);
  for (const RebuildOutcome& outcome : collector.outcomes) {
    EXPECT_FALSE(outcome.perceptual_hash);
  }
}

TEST_F(RebuildTest, AHashTheCatalogRefusesFailsThatPhotoByNameAndTheOthersGoOn) {
  spoil_hashes();
  // The catalog refuses the write as a locked or broken one would, for photo 1 only.
  const Photo& refused = m_photos[1];
  catalog_sql(
      "CREATE TRIGGER refuse_hash BEFORE UPDATE OF perceptual_hash ON photos WHEN old.id = " +
      std::to_string(refused.id) + " BEGIN SELECT RAISE(ABORT, 'refused by the test'); END");
  ASSERT_TRUE(std::filesystem::remove(rendition(256, refused)));
  RebuildCollector collector;
  RebuildOptions options;
  options.jobs = 2;
  auto summary = rebuild_renditions(*m_library, collector, options);
  ASSERT_TRUE(summary) << to_string(summary.error());
  EXPECT_EQ(summary->rebuilt, 3);
  EXPECT_EQ(summary->failed, 1);
  ASSERT_EQ(collector.outcomes.size(), 4U);
  const RebuildOutcome& failed = collector.outcomes[1];
  ASSERT_TRUE(failed.error);
  EXPECT_EQ(failed.error->code, Errc::database);
  EXPECT_FALSE(failed.perceptual_hash);
  const std::string reason = to_string(*failed.error);
  EXPECT_NE(reason.find("photo " + std::to_string(refused.id) + " ("), std::string::npos) << reason;
  EXPECT_NE(reason.find("perceptual hash could not be stored"), std::string::npos) << reason;
  EXPECT_NE(reason.find("refused by the test"), std::string::npos) << reason;
  // Its renditions were made before the catalog refused; the wrong hash stays.
  EXPECT_EQ(bytes_of(rendition(256, refused)), m_imported[rendition(256, refused)]);
  const auto hashes = stored_hashes();
  ASSERT_EQ(hashes.size(), 4U);
  EXPECT_EQ(hashes[1], 0x0123456789abcdefULL);
  for (const std::size_t i : {0U, 2U, 3U}) {
    EXPECT_FALSE(collector.outcomes[i].error);
    EXPECT_EQ(hashes[i], m_photos[i].perceptual_hash);
  }
}

TEST_F(RebuildTest, RefusesASizeTheLibraryDoesNotHaveAndTouchesNothing) {
  const auto before = std::filesystem::last_write_time(rendition(256, m_photos[0]));
  RebuildCollector collector;
  RebuildOptions options;
  options.sizes = {300};
  auto summary = rebuild_renditions(*m_library, collector, options);
  ASSERT_FALSE(summary);
  EXPECT_EQ(summary.error().code, Errc::invalid_input);
  EXPECT_NE(to_string(summary.error()).find("300"), std::string::npos);
  EXPECT_NE(summary.error().message.find("256, 1280"), std::string::npos)
      << summary.error().message;
  EXPECT_TRUE(collector.outcomes.empty());
  EXPECT_EQ(std::filesystem::last_write_time(rendition(256, m_photos[0])), before);
}

}  // namespace
}  // namespace pressroom::importer
