#include "importer/rebuild.hpp"

#include <algorithm>
#include <string>

#include "core/file_io.hpp"
#include "importer/work_queue.hpp"
#include "thumbs/render.hpp"
#include "thumbs/threads.hpp"

namespace pressroom::importer {
namespace {

// Originals are the library's own files, imported under ImportOptions::max_file_bytes; this
// only keeps a file that grew there by accident from filling memory.
constexpr std::uint64_t k_max_original_bytes = 1ULL << 30U;

std::string size_list() {
  std::string list;
  for (const int size : LibraryLayout::k_rendition_sizes) {
    list += (list.empty() ? "" : ", ") + std::to_string(size);
  }
  return list;
}

// How errors name a photo: "photo 12 (/library/originals/ab/abcd….jpg)".
std::string subject_of(const LibraryLayout& layout, const Photo& photo) {
  return "photo " + std::to_string(photo.id) + " (" +
         layout.original(photo.sha256, photo.type).string() + ")";
}

// On a worker thread: the original read and rendered, the renditions written. Touches files
// only, each photo its own.
RebuildOutcome rebuild_one(const LibraryLayout& layout, Photo photo,
                           const thumbs::RenderOptions& render_options, bool with_hash) {
  RebuildOutcome outcome;
  outcome.photo = std::move(photo);
  const Photo& stored = outcome.photo;
  const auto original = layout.original(stored.sha256, stored.type);
  const std::string subject = subject_of(layout, stored);
  auto bytes = read_file(original, k_max_original_bytes);
  if (!bytes) {
    outcome.error = Error{
        bytes.error().code, subject,
        bytes.error().code == Errc::not_found ? "the original is missing" : bytes.error().message};
    return outcome;
  }
  auto rendered = thumbs::render(*bytes, stored.type, stored.orientation, subject, render_options);
  if (!rendered) {
    outcome.error = rendered.error();
    return outcome;
  }
  for (const auto& rendition : rendered->renditions) {
    if (auto written = write_file_atomically(layout.rendition(rendition.long_edge, stored.sha256),
                                             rendition.jpeg);
        !written) {
      outcome.error = written.error();
      return outcome;
    }
  }
  outcome.warnings = std::move(rendered->warnings);
  if (with_hash) {
    // render() hashes the smallest rendition's pixels: with the thumbnails asked for, theirs.
    outcome.perceptual_hash = rendered->perceptual_hash;
  }
  return outcome;
}

}  // namespace

Result<RebuildSummary> rebuild_renditions(Library& library, RebuildObserver& observer,
                                          const RebuildOptions& options) {
  thumbs::RenderOptions render_options;
  render_options.max_pixels = options.max_pixels;
  render_options.long_edges.clear();
  const auto& valid = LibraryLayout::k_rendition_sizes;
  if (options.sizes.empty()) {
    render_options.long_edges.assign(valid.begin(), valid.end());
  }
  for (const int size : options.sizes) {
    if (std::find(valid.begin(), valid.end(), size) == valid.end()) {
      return fail(Errc::invalid_input, "size " + std::to_string(size),
                  "not a rendition size of the library (valid: " + size_list() + ")");
    }
    if (std::find(render_options.long_edges.begin(), render_options.long_edges.end(), size) ==
        render_options.long_edges.end()) {
      render_options.long_edges.push_back(size);
    }
  }
  auto photos = library.catalog().photos();
  if (!photos) {
    return fail(photos.error());
  }
  observer.started(static_cast<std::int64_t>(photos->size()));
  if (options.jobs > 1) {
    thumbs::disable_opencv_threads();
  }
  // The import hashes its thumbnail-sized picture; a hash from the preview alone would be of
  // another size, a bit or two from it, so only a rebuild of the thumbnails makes the hash again
  // (rebuild.hpp).
  const int thumbnail_size = LibraryLayout::k_rendition_sizes.front();
  const bool with_hash =
      std::find(render_options.long_edges.begin(), render_options.long_edges.end(),
                thumbnail_size) != render_options.long_edges.end();
  RebuildSummary summary;
  const LibraryLayout& layout = library.layout();
  catalog::Catalog& catalog = library.catalog();
  run_in_order<RebuildOutcome>(
      photos->size(), options.jobs,
      [&](std::size_t index) {
        // Each worker takes a distinct index: the rows are read, and moved from, once each.
        return rebuild_one(layout, std::move((*photos)[index]), render_options, with_hash);
      },
      [&](std::size_t /*index*/, RebuildOutcome&& outcome) {
        // On this thread, whose the catalog connection is. One photo per statement, written
        // before the photo is reported, so that a failure is its own; an unchanged hash writes
        // nothing (Catalog::replace_perceptual_hashes).
        if (!outcome.error && outcome.perceptual_hash) {
          if (auto stored =
                  catalog.replace_perceptual_hashes({{outcome.photo.id, *outcome.perceptual_hash}});
              !stored) {
            outcome.error = Error{stored.error().code, subject_of(layout, outcome.photo),
                                  "its renditions were made again, but its perceptual hash "
                                  "could not be stored: " +
                                      to_string(stored.error())};
            outcome.perceptual_hash.reset();
          }
        }
        ++(outcome.error ? summary.failed : summary.rebuilt);
        observer.photo_finished(outcome);
      });
  return summary;
}

}  // namespace pressroom::importer
