#include "importer/import.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <fstream>
#include <system_error>

#include "core/embedded_metadata.hpp"
#include "core/file_io.hpp"
#include "core/image_type.hpp"
#include "core/sha256.hpp"
#include "thumbs/render.hpp"

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
  constexpr std::array<std::string_view, 7> k_extensions{".jpg", ".jpeg", ".jpe", ".png",
                                                         ".tif", ".tiff", ".webp"};
  return std::find(k_extensions.begin(), k_extensions.end(), extension) != k_extensions.end();
}

bool starts_like_image(const std::filesystem::path& path) {
  std::ifstream file(path, std::ios::binary);
  std::array<char, 12> head{};
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

class Importer {
 public:
  Importer(Library& library, ImportObserver& observer, const ImportOptions& options)
      : m_library(library), m_observer(observer), m_options(options) {
    m_render_options.max_pixels = options.max_pixels;
    m_render_options.long_edges.assign(LibraryLayout::k_rendition_sizes.begin(),
                                       LibraryLayout::k_rendition_sizes.end());
  }

  void import_input(const std::filesystem::path& input) {
    std::error_code error;
    const auto status = std::filesystem::status(input, error);
    if (!std::filesystem::exists(status)) {
      const bool dangling = std::filesystem::is_symlink(std::filesystem::symlink_status(input));
      report(failed(input, Error{Errc::not_found, input.string(),
                                 dangling ? "link points to nothing" : "no such file or folder"}));
      return;
    }
    if (std::filesystem::is_directory(status)) {
      import_folder(input);
      return;
    }
    report(import_file(input));
  }

  const ImportSummary& summary() const { return m_summary; }

 private:
  void import_folder(const std::filesystem::path& folder) {
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
      report(failed(
          folder, Error{Errc::io, folder.string(), "cannot read the folder: " + error.message()}));
    }
    m_summary.skipped += skipped;
    if (candidates.empty()) {
      if (!error) {
        report(failed(
            folder, Error{Errc::not_found, folder.string(),
                          "folder holds no images (" + std::to_string(skipped) + " other files)"}));
      }
      return;
    }
    // A stable order: the same folder always imports, and reports, the same way.
    std::sort(candidates.begin(), candidates.end());
    for (const auto& file : candidates) {
      report(import_file(file));
    }
  }

  ImportOutcome import_file(const std::filesystem::path& file) {
    const std::string subject = file.string();
    auto bytes = read_file(file, m_options.max_file_bytes);
    if (!bytes) {
      return failed(file, bytes.error());
    }
    if (bytes->empty()) {
      return failed(file, Error{Errc::invalid_input, subject, "empty file (0 bytes)"});
    }
    const auto type = sniff_image_type(*bytes);
    if (!type) {
      return failed(file, Error{Errc::unsupported_format, subject,
                                "not an image (the content is not JPEG, PNG, TIFF or WebP)"});
    }
    const std::string sha256 = sha256_hex(*bytes);
    auto known = m_library.catalog().find_by_sha256(sha256);
    if (!known) {
      return failed(file, known.error());
    }
    if (*known) {
      return unchanged(file, **known, *bytes);
    }

    ImportOutcome outcome;
    outcome.input = file;
    Photo photo;
    photo.sha256 = sha256;
    photo.type = *type;
    photo.byte_size = bytes->size();
    photo.original_name = file.filename().string();
    std::error_code error;
    photo.imported_from = std::filesystem::absolute(file, error).lexically_normal().string();

    auto metadata = read_embedded_metadata(*bytes, subject);
    if (metadata) {
      photo.width = metadata->width;
      photo.height = metadata->height;
      photo.orientation = metadata->orientation;
      photo.date_taken = metadata->date_taken;
      photo.date_taken_offset = metadata->date_taken_offset;
      photo.camera_make = metadata->camera_make;
      photo.camera_model = metadata->camera_model;
      outcome.warnings = metadata->warnings;
    } else {
      // The pixels may still be fine: import them without what the metadata would have said.
      outcome.warnings.push_back(to_string(metadata.error()));
    }
    // Exiv2 read the size from the header: refuse a decompression bomb of any type before
    // anything decodes it (render() can do so itself only for JPEG).
    if (auto allowed =
            thumbs::check_pixel_limit(photo.width, photo.height, m_options.max_pixels, subject);
        !allowed) {
      return failed(file, allowed.error());
    }
    // Files first, the catalog row last: a photo that cannot be decoded or stored leaves no row.
    auto stored = render_and_store(photo, *bytes, subject);
    if (!stored) {
      return failed(file, stored.error());
    }
    // The decoder's size is authoritative (metadata may be missing or lie about it).
    photo.width = stored->source_width;
    photo.height = stored->source_height;
    photo.perceptual_hash = stored->perceptual_hash;
    outcome.warnings.insert(outcome.warnings.end(), stored->warnings.begin(),
                            stored->warnings.end());
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

  // The catalog knows these bytes. Files that went missing from the library (deleted by hand,
  // a crash between writing and committing) are written again, so a re-import repairs.
  ImportOutcome unchanged(const std::filesystem::path& file, const Photo& photo,
                          std::span<const std::byte> bytes) {
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
    if (auto stored = render_and_store(photo, bytes, file.string()); !stored) {
      return failed(file, stored.error());
    }
    outcome.warnings.push_back(file.string() +
                               ": the library was missing files of this photo; written again");
    return outcome;
  }

  // Renders the photo's renditions and writes them and the original into the library. The
  // result's renditions are moved out; its size and warnings are the decoder's.
  Result<thumbs::RenderResult> render_and_store(const Photo& photo,
                                                std::span<const std::byte> bytes,
                                                const std::string& subject) {
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
                           const std::vector<thumbs::Rendition>& renditions) {
    const LibraryLayout& layout = m_library.layout();
    const auto original = layout.original(photo.sha256, photo.type);
    // Originals are never modified: one that exists under its hash already is these bytes.
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
    importer.import_input(input);
  }
  return importer.summary();
}

}  // namespace pressroom::importer
