#include "importer/import.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <fstream>
#include <system_error>
#include <unordered_set>

#include "core/embedded_metadata.hpp"
#include "core/file_io.hpp"
#include "core/image_type.hpp"
#include "core/sha256.hpp"
#include "importer/work_queue.hpp"
#include "thumbs/render.hpp"
#include "thumbs/threads.hpp"

namespace pressroom::importer {
namespace {

bool is_hidden(const std::filesystem::path& path) {
  const std::string name = path.filename().string();
  return !name.empty() && name.front() == '.';
}

bool has_image_extension(const std::filesystem::path& path) {
  std::string extension = path.extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  constexpr std::array<std::string_view, 9> k_extensions{".jpg",  ".jpeg", ".jpe",  ".png", ".tif",
                                                         ".tiff", ".webp", ".heic", ".heif"};
  return std::find(k_extensions.begin(), k_extensions.end(), extension) != k_extensions.end();
}

bool starts_like_image(const std::filesystem::path& path) {
  std::ifstream file(path, std::ios::binary);
  std::array<char, k_sniff_bytes> head{};
  file.read(head.data(), head.size());
  return sniff_image_type(
             std::as_bytes(std::span(head.data(), static_cast<std::size_t>(file.gcount()))))
      .has_value();
}

ImportOutcome failed(const std::filesystem::path& input, Error error) {
  ImportOutcome outcome;
  outcome.input = input;
  outcome.state = OutcomeState::failed;
  outcome.error = std::move(error);
  return outcome;
}

// One input of the batch, in the order outcomes are reported: a file to import, or an outcome
// known before any file is read (a missing path, a folder without images).
struct Item {
  std::filesystem::path file;
  std::optional<ImportOutcome> outcome;
};

// What a worker made of a file, for the calling thread to commit to the catalog.
struct Prepared {
  std::optional<Error> error;  // failed before the catalog was asked
  Photo photo;                 // all but id and imported_at; the decoder's size once rendered
  std::vector<std::string> warnings;
  bool stored = false;  // rendered; original and renditions are in the library
  // The file's bytes, kept only when it was not rendered (the catalog had it when the batch
  // began), for the repair of an unchanged photo; empty otherwise, so memory stays small.
  std::vector<std::byte> bytes;
};

class Importer {
 public:
  Importer(Library& library, ImportObserver& observer, const ImportOptions& options)
      : m_library(library), m_observer(observer), m_options(options) {
    m_render_options.max_pixels = options.max_pixels;
    m_render_options.long_edges.assign(LibraryLayout::k_rendition_sizes.begin(),
                                       LibraryLayout::k_rendition_sizes.end());
  }

  // Adds `input` (a file, or every candidate of a folder) to the batch.
  void add_input(const std::filesystem::path& input) {
    std::error_code error;
    const auto status = std::filesystem::status(input, error);
    if (!std::filesystem::exists(status)) {
      const bool dangling = std::filesystem::is_symlink(std::filesystem::symlink_status(input));
      add_failure(input, Error{Errc::not_found, input.string(),
                               dangling ? "link points to nothing" : "no such file or folder"});
      return;
    }
    if (std::filesystem::is_directory(status)) {
      add_folder(input);
      return;
    }
    m_items.push_back(Item{input, std::nullopt});
  }

  // Imports the batch: workers read, hash, render and store the files; this thread asks the
  // catalog, adds the rows and reports, in the order of the batch, so that ids and outcomes
  // are the same whatever the number of workers.
  void run() {
    // The hashes the catalog has now, so that workers (which must not use this thread's
    // connection) skip rendering what is unchanged. Only an optimisation: the catalog is asked
    // again for every file before its row is written. Without it, everything is rendered.
    if (auto photos = m_library.catalog().photos(); photos) {
      for (const Photo& photo : *photos) {
        m_known.insert(photo.sha256);
      }
    }
    if (m_options.jobs > 1) {
      thumbs::disable_opencv_threads();
    }
    run_in_order<Prepared>(
        m_items.size(), m_options.jobs,
        [this](std::size_t index) {
          const Item& item = m_items[index];
          return item.outcome ? Prepared{} : prepare(item.file);
        },
        [this](std::size_t index, Prepared&& prepared) {
          Item& item = m_items[index];
          report(item.outcome ? std::move(*item.outcome) : commit(item.file, std::move(prepared)));
        });
  }

  const ImportSummary& summary() const { return m_summary; }

 private:
  void add_failure(const std::filesystem::path& input, Error error) {
    m_items.push_back(Item{input, failed(input, std::move(error))});
  }

  void add_folder(const std::filesystem::path& folder) {
    std::vector<std::filesystem::path> candidates;
    int skipped = 0;
    std::error_code error;
    std::filesystem::recursive_directory_iterator walk(folder, error);
    for (; !error && walk != std::filesystem::recursive_directory_iterator();
         walk.increment(error)) {
      const auto& entry = *walk;
      if (is_hidden(entry.path())) {
        if (entry.is_directory(error)) {
          walk.disable_recursion_pending();
        }
        continue;
      }
      if (!entry.is_regular_file(error)) {
        continue;
      }
      if (has_image_extension(entry.path()) || starts_like_image(entry.path())) {
        candidates.push_back(entry.path());
      } else {
        ++skipped;
      }
    }
    if (error) {
      add_failure(folder,
                  Error{Errc::io, folder.string(), "cannot read the folder: " + error.message()});
    }
    m_summary.skipped += skipped;
    if (candidates.empty()) {
      if (!error) {
        add_failure(folder,
                    Error{Errc::not_found, folder.string(),
                          "folder holds no images (" + std::to_string(skipped) + " other files)"});
      }
      return;
    }
    // A stable order: the same folder always imports, and reports, the same way.
    std::sort(candidates.begin(), candidates.end());
    for (auto& file : candidates) {
      m_items.push_back(Item{std::move(file), std::nullopt});
    }
  }

  // On a worker thread: everything but the catalog. Reads only what does not change during
  // the batch (options, layout, m_known).
  Prepared prepare(const std::filesystem::path& file) const {
    Prepared prepared;
    const std::string subject = file.string();
    auto bytes = read_file(file, m_options.max_file_bytes);
    if (!bytes) {
      prepared.error = bytes.error();
      return prepared;
    }
    if (bytes->empty()) {
      prepared.error = Error{Errc::invalid_input, subject, "empty file (0 bytes)"};
      return prepared;
    }
    const auto type = sniff_image_type(*bytes);
    if (!type) {
      prepared.error = Error{Errc::unsupported_format, subject,
                             "not an image (the content is not JPEG, PNG, TIFF, WebP or HEIC)"};
      return prepared;
    }
    Photo& photo = prepared.photo;
    photo.sha256 = sha256_hex(*bytes);
    photo.type = *type;
    photo.byte_size = bytes->size();
    photo.original_name = file.filename().string();
    std::error_code error;
    photo.imported_from = std::filesystem::absolute(file, error).lexically_normal().string();
    if (m_known.contains(photo.sha256)) {
      prepared.bytes = std::move(*bytes);
      return prepared;
    }
    if (auto stored = render_new(photo, *bytes, subject, prepared.warnings); !stored) {
      prepared.error = stored.error();
      return prepared;
    }
    prepared.stored = true;
    return prepared;
  }

  // On the calling thread: the catalog decides between unchanged and imported.
  ImportOutcome commit(const std::filesystem::path& file, Prepared&& prepared) {
    if (prepared.error) {
      return failed(file, std::move(*prepared.error));
    }
    const std::string subject = file.string();
    auto known = m_library.catalog().find_by_sha256(prepared.photo.sha256);
    if (!known) {
      return failed(file, known.error());
    }
    if (*known) {
      return unchanged(file, **known, std::move(prepared.bytes));
    }
    ImportOutcome outcome;
    outcome.input = file;
    outcome.warnings = std::move(prepared.warnings);
    Photo& photo = prepared.photo;
    // In the catalog when the batch began, gone now (removed by another process): render here.
    if (!prepared.stored) {
      if (auto stored = render_new(photo, prepared.bytes, subject, outcome.warnings); !stored) {
        return failed(file, stored.error());
      }
    }
    auto id = m_library.catalog().add_photo(photo, m_options.who);
    if (!id) {
      return failed(file, id.error());
    }
    auto added = m_library.catalog().find_by_id(*id);
    if (!added || !*added) {
      return failed(file, added ? Error{Errc::database, subject, "photo vanished after insert"}
                                : added.error());
    }
    outcome.state = OutcomeState::imported;
    outcome.photo = std::move(**added);
    return outcome;
  }

  // A photo the catalog does not have: its metadata into `photo`, then its renditions and the
  // original into the library. Thread-safe (files only; distinct photos, distinct paths).
  Result<void> render_new(Photo& photo, std::span<const std::byte> bytes,
                          const std::string& subject, std::vector<std::string>& warnings) const {
    auto metadata = read_embedded_metadata(bytes, subject);
    if (metadata) {
      photo.width = metadata->width;
      photo.height = metadata->height;
      // A HEIC is decoded upright (its irot/imir boxes decide, thumbs/render.hpp): its EXIF
      // orientation, which exiftool still reports, says nothing more about how to show it.
      photo.orientation = photo.type == ImageType::heic ? 1 : metadata->orientation;
      photo.date_taken = metadata->date_taken;
      photo.date_taken_offset = metadata->date_taken_offset;
      photo.camera_make = metadata->camera_make;
      photo.camera_model = metadata->camera_model;
      warnings.insert(warnings.end(), metadata->warnings.begin(), metadata->warnings.end());
    } else {
      // The pixels may still be fine: import them without what the metadata would have said.
      warnings.push_back(to_string(metadata.error()));
    }
    // Exiv2 read the size from the header: refuse a decompression bomb of any type before
    // anything decodes it (render() can do so itself only for JPEG).
    if (auto allowed =
            thumbs::check_pixel_limit(photo.width, photo.height, m_options.max_pixels, subject);
        !allowed) {
      return fail(allowed.error());
    }
    // Files first, the catalog row last: a photo that cannot be decoded or stored leaves no row.
    auto stored = render_and_store(photo, bytes, subject);
    if (!stored) {
      return fail(stored.error());
    }
    // The decoder's size is authoritative (metadata may be missing or lie about it).
    photo.width = stored->source_width;
    photo.height = stored->source_height;
    photo.perceptual_hash = stored->perceptual_hash;
    warnings.insert(warnings.end(), stored->warnings.begin(), stored->warnings.end());
    return {};
  }

  // The catalog knows these bytes. Files that went missing from the library (deleted by hand,
  // a crash between writing and committing) are written again, so a re-import repairs.
  // `bytes` may be empty (the worker did not keep them); they are read again when needed.
  ImportOutcome unchanged(const std::filesystem::path& file, const Photo& photo,
                          std::vector<std::byte> bytes) {
    ImportOutcome outcome;
    outcome.input = file;
    outcome.state = OutcomeState::unchanged;
    outcome.photo = photo;
    const LibraryLayout& layout = m_library.layout();
    bool complete = std::filesystem::exists(layout.original(photo.sha256, photo.type));
    for (const int size : LibraryLayout::k_rendition_sizes) {
      complete = complete && std::filesystem::exists(layout.rendition(size, photo.sha256));
    }
    if (complete) {
      return outcome;
    }
    if (bytes.empty()) {
      auto read = read_file(file, m_options.max_file_bytes);
      if (!read) {
        return failed(file, read.error());
      }
      bytes = std::move(*read);
    }
    if (auto stored = render_and_store(photo, bytes, file.string()); !stored) {
      return failed(file, stored.error());
    }
    outcome.warnings.push_back(file.string() +
                               ": the library was missing files of this photo; written again");
    return outcome;
  }

  // Renders the photo's renditions and writes them and the original into the library. The
  // result's renditions are moved out; its size and warnings are the decoder's. Thread-safe.
  Result<thumbs::RenderResult> render_and_store(const Photo& photo,
                                                std::span<const std::byte> bytes,
                                                const std::string& subject) const {
    auto rendered = thumbs::render(bytes, photo.type, photo.orientation, subject, m_render_options);
    if (!rendered) {
      return fail(rendered.error());
    }
    if (auto stored = store_files(photo, bytes, rendered->renditions); !stored) {
      return fail(stored.error());
    }
    rendered->renditions.clear();
    return rendered;
  }

  Result<void> store_files(const Photo& photo, std::span<const std::byte> bytes,
                           const std::vector<thumbs::Rendition>& renditions) const {
    const LibraryLayout& layout = m_library.layout();
    const auto original = layout.original(photo.sha256, photo.type);
    // Originals are never modified: one that exists under its hash already is these bytes.
    // (Two workers may write the same photo, given twice in a batch: each writes a temporary
    // file of its own and renames it over the other's, identical bytes.)
    if (!std::filesystem::exists(original)) {
      if (auto written = write_file_atomically(original, bytes); !written) {
        return written;
      }
    }
    for (const auto& rendition : renditions) {
      if (auto written = write_file_atomically(layout.rendition(rendition.long_edge, photo.sha256),
                                               rendition.jpeg);
          !written) {
        return written;
      }
    }
    return {};
  }

  void report(const ImportOutcome& outcome) {
    switch (outcome.state) {
      case OutcomeState::imported:
        ++m_summary.imported;
        break;
      case OutcomeState::unchanged:
        ++m_summary.unchanged;
        break;
      case OutcomeState::failed:
        ++m_summary.failed;
        break;
    }
    m_observer.entry_finished(outcome);
  }

  Library& m_library;
  ImportObserver& m_observer;
  const ImportOptions& m_options;
  thumbs::RenderOptions m_render_options;
  std::vector<Item> m_items;
  std::unordered_set<std::string> m_known;  // sha256 in the catalog when run() began
  ImportSummary m_summary;
};

}  // namespace

const char* to_string(OutcomeState state) {
  switch (state) {
    case OutcomeState::imported:
      return "imported";
    case OutcomeState::unchanged:
      return "unchanged";
    case OutcomeState::failed:
      return "failed";
  }
  return "failed";
}

ImportSummary import_paths(Library& library, std::span<const std::filesystem::path> inputs,
                           ImportObserver& observer, const ImportOptions& options) {
  Importer importer(library, observer, options);
  for (const auto& input : inputs) {
    importer.add_input(input);
  }
  importer.run();
  return importer.summary();
}

}  // namespace pressroom::importer
