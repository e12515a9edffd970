#include "importer/import.hpp"

#include <set>

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "core/embedded_metadata.hpp"
#include "core/file_io.hpp"
#include "core/sha256.hpp"
#include "test_support.hpp"

namespace pressroom::importer {
namespace {

class Collector final : public ImportObserver {
 public:
  void entry_finished(const ImportOutcome& outcome) override { outcomes.push_back(outcome); }
  std::vector<ImportOutcome> outcomes;
};

// Every file under `root` with its size and modification time: what a re-import must not touch.
std::map<std::string, std::pair<std::uintmax_t, std::filesystem::file_time_type>> snapshot(
    const std::filesystem::path& root) {
  std::map<std::string, std::pair<std::uintmax_t, std::filesystem::file_time_type>> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    if (entry.is_regular_file() && entry.path().filename() != "catalog.sqlite-shm") {
      files[entry.path().string()] = {entry.file_size(), entry.last_write_time()};
    }
  }
  return files;
}

int count_files(const std::filesystem::path& folder) {
  int count = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(folder)) {
    count += entry.is_regular_file() ? 1 : 0;
  }
  return count;
}

class ImportTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { initialize_metadata(); }

  void SetUp() override {
    bool created = false;
    auto library = Library::create(m_dir / "library", created);
    ASSERT_TRUE(library) << to_string(library.error());
    ASSERT_TRUE(created);
    m_library.emplace(std::move(*library));
    std::filesystem::create_directories(m_dir / "in");
  }

  std::filesystem::path add_input(const std::string& fixture, const std::string& as) {
    auto target = m_dir / "in" / as;
    std::filesystem::create_directories(target.parent_path());
    std::filesystem::copy_file(testing::fixture(fixture), target);
    return target;
  }

  ImportSummary import(const std::vector<std::filesystem::path>& inputs, Collector& collector) {
    return import_paths(*m_library, inputs, collector);
  }

  testing::TempDir m_dir;
  std::optional<Library> m_library;
};

TEST_F(ImportTest, ImportsAFolderRecursivelyIntoOriginalsRenditionsAndCatalog) {
  add_input("camera.jpg", "Storm.jpg");
  add_input("orientation-6.jpg", "day1/rotated.JPG");
  add_input("base.png", "day1/deep/bridge.png");
  add_input("notes.txt", "day1/notes.txt");
  add_input("camera.jpg", ".hidden/secret.jpg");
  Collector collector;
  const ImportSummary summary = import({m_dir / "in"}, collector);
  EXPECT_EQ(summary.imported, 3);
  EXPECT_EQ(summary.failed, 0);
  EXPECT_EQ(summary.skipped, 1) << "notes.txt is not a candidate";
  ASSERT_EQ(collector.outcomes.size(), 3U);

  const LibraryLayout& layout = m_library->layout();
  for (const auto& outcome : collector.outcomes) {
    SCOPED_TRACE(outcome.input.string());
    ASSERT_EQ(outcome.state, OutcomeState::imported);
    ASSERT_TRUE(outcome.photo);
    const Photo& photo = *outcome.photo;
    auto source = read_file(outcome.input, 1U << 30U);
    ASSERT_TRUE(source);
    EXPECT_EQ(photo.sha256, sha256_hex(*source));
    auto stored = read_file(layout.original(photo.sha256, photo.type), 1U << 30U);
    ASSERT_TRUE(stored) << "original missing";
    EXPECT_EQ(*stored, *source) << "the original must be byte-identical";
    for (const int size : LibraryLayout::k_rendition_sizes) {
      const cv::Mat rendition = testing::load_image(layout.rendition(size, photo.sha256));
      ASSERT_FALSE(rendition.empty()) << "rendition " << size;
      EXPECT_EQ(std::max(rendition.cols, rendition.rows),
                std::min(size, std::max(photo.display_width(), photo.display_height())));
      EXPECT_EQ(rendition.cols > rendition.rows, photo.display_width() > photo.display_height());
    }
  }
  auto photos = m_library->catalog().photos();
  ASSERT_TRUE(photos);
  ASSERT_EQ(photos->size(), 3U);
  // Sorted walk: Storm.jpg, day1/deep/bridge.png, day1/rotated.JPG.
  EXPECT_EQ((*photos)[0].original_name, "Storm.jpg");
  EXPECT_EQ((*photos)[0].camera_model, "Canon EOS 400D DIGITAL");
  EXPECT_EQ((*photos)[0].date_taken, "2008-04-20T19:12:06");
  EXPECT_EQ((*photos)[1].type, ImageType::png);
  EXPECT_EQ((*photos)[2].orientation, 6);
  EXPECT_EQ((*photos)[2].width, 1024);
  EXPECT_EQ((*photos)[2].display_width(), 576);
  EXPECT_EQ((*photos)[2].imported_from, (m_dir / "in/day1/rotated.JPG").string());
}

TEST_F(ImportTest, OrientationSixLandscapeGivesPortraitThumbnail) {
  const auto file = add_input("orientation-6.jpg", "rotated.jpg");
  Collector collector;
  import({file}, collector);
  ASSERT_EQ(collector.outcomes.size(), 1U);
  ASSERT_TRUE(collector.outcomes[0].photo);
  const cv::Mat thumbnail =
      testing::load_image(m_library->layout().rendition(256, collector.outcomes[0].photo->sha256));
  EXPECT_EQ(thumbnail.cols, 144);
  EXPECT_EQ(thumbnail.rows, 256);
}

// A phone's HEIC in a folder: found by its extension, stored as .heic byte for byte, rendered
// upright as HEIF says (its EXIF Orientation 6 not applied: no irot), so the catalog keeps its
// upright size with orientation 1; its metadata is read without a warning.
TEST_F(ImportTest, HeicIsImportedUprightWithItsMetadata) {
  add_input("exif-orientation-6.heic", "phone/IMG_0001.HEIC");
  Collector collector;
  const ImportSummary summary = import({m_dir / "in"}, collector);
  EXPECT_EQ(summary.imported, 1);
  ASSERT_EQ(collector.outcomes.size(), 1U);
  ASSERT_TRUE(collector.outcomes[0].photo)
      << (collector.outcomes[0].error ? to_string(*collector.outcomes[0].error) : "");
  const Photo& photo = *collector.outcomes[0].photo;
  EXPECT_EQ(photo.type, ImageType::heic);
  EXPECT_EQ(photo.width, 1024);
  EXPECT_EQ(photo.height, 576);
  EXPECT_EQ(photo.orientation, 1);
  const LibraryLayout& layout = m_library->layout();
  EXPECT_EQ(layout.original(photo.sha256, photo.type).extension(), ".heic");
  EXPECT_EQ(read_file(layout.original(photo.sha256, photo.type), 1U << 30U).value(),
            read_file(testing::fixture("exif-orientation-6.heic"), 1U << 30U).value());
  const cv::Mat thumbnail = testing::load_image(layout.rendition(256, photo.sha256));
  EXPECT_EQ(thumbnail.cols, 256);
  EXPECT_EQ(thumbnail.rows, 144);
  EXPECT_TRUE(photo.perceptual_hash.has_value());
  // Exiv2 read it: no "metadata reader does not know this format".
  EXPECT_EQ(collector.outcomes[0].warnings, std::vector<std::string>());
}

TEST_F(ImportTest, SecondImportChangesNothingAndReportsUnchanged) {
  add_input("camera.jpg", "a.jpg");
  add_input("orientation-3.jpg", "b.jpg");
  Collector first;
  ASSERT_EQ(import({m_dir / "in"}, first).imported, 2);
  const auto before = snapshot(m_dir / "library");
  Collector second;
  const ImportSummary summary = import({m_dir / "in"}, second);
  EXPECT_EQ(summary.imported, 0);
  EXPECT_EQ(summary.unchanged, 2);
  for (const auto& outcome : second.outcomes) {
    EXPECT_EQ(outcome.state, OutcomeState::unchanged);
    EXPECT_TRUE(outcome.warnings.empty());
  }
  auto after = snapshot(m_dir / "library");
  // The WAL file may be checkpointed by a read; every stored file must be as it was.
  after.erase((m_dir / "library/catalog.sqlite-wal").string());
  auto expected = before;
  expected.erase((m_dir / "library/catalog.sqlite-wal").string());
  EXPECT_EQ(after, expected);
  EXPECT_EQ(m_library->catalog().photo_count().value_or(-1), 2);
}

TEST_F(ImportTest, SameBytesUnderTwoNamesAreStoredOnce) {
  const auto first = add_input("camera.jpg", "one.jpg");
  const auto second = add_input("camera.jpg", "copy/two.jpg");
  Collector collector;
  const ImportSummary summary = import({first, second}, collector);
  EXPECT_EQ(summary.imported, 1);
  EXPECT_EQ(summary.unchanged, 1);
  EXPECT_EQ(collector.outcomes[1].photo->id, collector.outcomes[0].photo->id);
  EXPECT_EQ(collector.outcomes[1].photo->original_name, "one.jpg");
  EXPECT_EQ(count_files(m_dir / "library/originals"), 1);
  EXPECT_EQ(m_library->catalog().photo_count().value_or(-1), 1);
}

TEST_F(ImportTest, EachBadInputFailsWithItsReasonAndTheRestIsImported) {
  const auto truncated = add_input("truncated.jpg", "truncated.jpg");
  const auto empty = add_input("empty.jpg", "empty.jpg");
  const auto html = add_input("not-an-image.jpg", "error-page.jpg");
  const auto good = add_input("camera.jpg", "good.jpg");
  const auto missing = m_dir / "in/missing.jpg";
  const auto dangling = m_dir / "in/dangling.jpg";
  std::filesystem::create_symlink(m_dir / "in/nowhere.jpg", dangling);
  const auto fifo = m_dir / "in/pipe.jpg";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  const auto empty_folder = m_dir / "empty-folder";
  std::filesystem::create_directories(empty_folder);
  const auto text_folder = m_dir / "text-folder";
  std::filesystem::create_directories(text_folder);
  std::filesystem::copy_file(testing::fixture("notes.txt"), text_folder / "notes.txt");

  Collector collector;
  const ImportSummary summary =
      import({truncated, empty, html, missing, dangling, fifo, empty_folder, text_folder, good},
             collector);
  EXPECT_EQ(summary.imported, 1);
  EXPECT_EQ(summary.failed, 8);
  ASSERT_EQ(collector.outcomes.size(), 9U);
  const std::vector<std::pair<Errc, std::string>> expected{
      {Errc::corrupt_data, "truncated"},
      {Errc::invalid_input, "empty file"},
      {Errc::unsupported_format, "not an image"},
      {Errc::not_found, "no such file"},
      {Errc::not_found, "link points to nothing"},
      {Errc::invalid_input, "not a regular file"},
      {Errc::not_found, "no images"},
      {Errc::not_found, "no images (1 other files)"}};
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const ImportOutcome& outcome = collector.outcomes[i];
    SCOPED_TRACE(outcome.input.string());
    ASSERT_EQ(outcome.state, OutcomeState::failed);
    ASSERT_TRUE(outcome.error);
    EXPECT_EQ(outcome.error->code, expected[i].first);
    EXPECT_NE(to_string(*outcome.error).find(outcome.input.string()), std::string::npos)
        << "the error must name the input: " << to_string(*outcome.error);
    EXPECT_NE(outcome.error->message.find(expected[i].second), std::string::npos)
        << outcome.error->message;
    EXPECT_FALSE(outcome.photo);
  }
  EXPECT_EQ(collector.outcomes[8].state, OutcomeState::imported);
  EXPECT_EQ(count_files(m_dir / "library/originals"), 1) << "failed inputs leave nothing behind";
  EXPECT_EQ(count_files(m_dir / "library/renditions"), 2);
}

TEST_F(ImportTest, RefusesAPhotoOverThePixelLimitAndStoresNothing) {
  const std::vector<std::filesystem::path> inputs{add_input("base.png", "bridge.png")};
  ImportOptions options;
  options.max_pixels = 500'000;  // base.png is 1024x576 = 589,824 pixels
  Collector collector;
  const ImportSummary summary = import_paths(*m_library, inputs, collector, options);
  EXPECT_EQ(summary.failed, 1);
  ASSERT_EQ(collector.outcomes.size(), 1U);
  ASSERT_TRUE(collector.outcomes[0].error);
  EXPECT_EQ(collector.outcomes[0].error->code, Errc::too_large);
  EXPECT_EQ(collector.outcomes[0].error->subject, inputs[0].string());
  EXPECT_NE(collector.outcomes[0].error->message.find("1024x576"), std::string::npos);
  EXPECT_EQ(count_files(m_dir / "library/originals"), 0);
  EXPECT_EQ(m_library->catalog().photo_count().value_or(-1), 0);
}

TEST_F(ImportTest, ReimportRestoresRenditionsDeletedFromTheLibrary) {
  const auto file = add_input("camera.jpg", "a.jpg");
  Collector first;
  import({file}, first);
  const std::string sha256 = first.outcomes.at(0).photo->sha256;
  const auto thumbnail = m_library->layout().rendition(256, sha256);
  ASSERT_TRUE(std::filesystem::remove(thumbnail));
  Collector second;
  const ImportSummary summary = import({file}, second);
  EXPECT_EQ(summary.unchanged, 1);
  ASSERT_EQ(second.outcomes.at(0).warnings.size(), 1U);
  EXPECT_NE(second.outcomes[0].warnings[0].find("written again"), std::string::npos);
  EXPECT_FALSE(testing::load_image(thumbnail).empty());
}

TEST_F(ImportTest, ParallelImportGivesTheSameCatalogAndFilesAsOneJob) {
  // Good photos, a copy under a second name, and bad inputs between them.
  add_input("camera.jpg", "a/Storm.jpg");
  add_input("orientation-6.jpg", "a/rotated.jpg");
  add_input("truncated.jpg", "b/truncated.jpg");
  add_input("base.png", "b/bridge.png");
  add_input("camera.jpg", "c/copy-of-storm.jpg");
  add_input("not-an-image.jpg", "c/page.jpg");
  add_input("meta-full.jpg", "c/meta-full.jpg");
  add_input("progressive.jpg", "d/progressive.jpg");
  const std::vector<std::filesystem::path> inputs{m_dir / "in", m_dir / "in/missing.jpg"};

  struct Run {
    std::vector<std::string> outcomes;  // input, state, error code, photo id, per outcome
    std::vector<Photo> photos;
    std::map<std::string, std::string> files;  // path in the library → sha256 of its bytes
    ImportSummary summary;
  };
  const auto run = [&](int jobs) {
    Run result;
    const auto root = m_dir / ("library-" + std::to_string(jobs));
    bool created = false;
    auto library = Library::create(root, created);
    EXPECT_TRUE(library);
    Collector collector;
    ImportOptions options;
    options.jobs = jobs;
    result.summary = import_paths(*library, inputs, collector, options);
    for (const auto& outcome : collector.outcomes) {
      result.outcomes.push_back(
          outcome.input.string() + " " + to_string(outcome.state) + " " +
          (outcome.error ? to_string(*outcome.error) : "") + " " +
          (outcome.photo ? std::to_string(outcome.photo->id) + " " + outcome.photo->sha256 : ""));
    }
    result.photos = library->catalog().photos().value_or(std::vector<Photo>{});
    for (const char* folder : {"originals", "renditions"}) {
      for (const auto& entry : std::filesystem::recursive_directory_iterator(root / folder)) {
        if (entry.is_regular_file()) {
          result.files[entry.path().lexically_relative(root).string()] =
              sha256_hex(read_file(entry.path(), 1U << 30U).value_or(std::vector<std::byte>{}));
        }
      }
    }
    return result;
  };
  const Run one = run(1);
  const Run four = run(4);
  EXPECT_EQ(one.summary.imported, 5);
  EXPECT_EQ(one.summary.unchanged, 1);
  EXPECT_EQ(one.summary.failed, 3);
  EXPECT_EQ(four.summary.imported, one.summary.imported);
  EXPECT_EQ(four.summary.unchanged, one.summary.unchanged);
  EXPECT_EQ(four.summary.failed, one.summary.failed);
  EXPECT_EQ(four.outcomes, one.outcomes);
  ASSERT_EQ(four.photos.size(), one.photos.size());
  for (std::size_t i = 0; i < one.photos.size(); ++i) {
    const Photo& a = one.photos[i];
    const Photo& b = four.photos[i];
    EXPECT_EQ(std::tie(a.id, a.sha256, a.type, a.byte_size, a.width, a.height, a.orientation,
                       a.date_taken, a.date_taken_offset, a.camera_make, a.camera_model,
                       a.original_name, a.imported_from),
              std::tie(b.id, b.sha256, b.type, b.byte_size, b.width, b.height, b.orientation,
                       b.date_taken, b.date_taken_offset, b.camera_make, b.camera_model,
                       b.original_name, b.imported_from));
  }
  EXPECT_EQ(one.files.size(), 15U) << "5 originals, 10 renditions";
  EXPECT_EQ(four.files, one.files) << "same originals and renditions, byte for byte";
}

TEST(Library, CreateRefusesAFolderWithOtherContentAndReopensItsOwn) {
  const testing::TempDir dir;
  std::filesystem::create_directories(dir / "documents");
  std::filesystem::copy_file(testing::fixture("notes.txt"), dir / "documents/notes.txt");
  bool created = false;
  auto refused = Library::create(dir / "documents", created);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::invalid_input);
  EXPECT_FALSE(std::filesystem::exists(dir / "documents/catalog.sqlite"));

  ASSERT_TRUE(Library::create(dir / "library", created));
  EXPECT_TRUE(created);
  auto again = Library::create(dir / "library", created);
  ASSERT_TRUE(again) << to_string(again.error());
  EXPECT_FALSE(created);

  auto missing = Library::open(dir / "nothing-here");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, Errc::not_found);
}

}  // namespace
}  // namespace pressroom::importer
