#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "core/error.hpp"
#include "core/photo.hpp"
#include "importer/library.hpp"

namespace pressroom::importer {

// How the renditions of one photo were made again.
struct RebuildOutcome {
  Photo photo;                        // as the catalog had it before the rebuild
  std::optional<Error> error;         // set when it failed: the original missing, unreadable, …
  std::vector<std::string> warnings;  // the decoder's, when it went on regardless
  // The perceptual hash of the picture made again, stored in the catalog (see
  // rebuild_renditions() for when); nullopt when the thumbnails were not rebuilt, or when it
  // could not be stored (`error` says why).
  std::optional<std::uint64_t> perceptual_hash;
};

// Reports each photo as it is done; app/ prints them. Called from the thread that called
// rebuild_renditions(), never from two at once.
class RebuildObserver {
 public:
  RebuildObserver() = default;
  RebuildObserver(const RebuildObserver&) = delete;
  RebuildObserver& operator=(const RebuildObserver&) = delete;
  RebuildObserver(RebuildObserver&&) = delete;
  RebuildObserver& operator=(RebuildObserver&&) = delete;
  virtual ~RebuildObserver() = default;
  // Once, before any photo: how many photos the rebuild will go through.
  virtual void started(std::int64_t total) = 0;
  virtual void photo_finished(const RebuildOutcome& outcome) = 0;
};

struct RebuildOptions {
  // Long edges of the renditions to make again, each one of LibraryLayout::k_rendition_sizes;
  // empty: all of them.
  std::vector<int> sizes;
  // Worker threads that read, decode and render the originals and write the renditions
  // (default_jobs() in work_queue.hpp: one per core). More than 1 turns off OpenCV's own
  // threads for the process. At most 2 × jobs originals are in memory.
  int jobs = 1;
  // Originals with more pixels than this are refused (as the import does).
  std::uint64_t max_pixels = 250'000'000;
};

struct RebuildSummary {
  std::int64_t rebuilt = 0;
  std::int64_t failed = 0;
};

// Makes the renditions of every photo in the catalog (in the catalog's order) again from its
// original in the library, with the orientation the catalog has for it, and writes each one
// atomically over the old (temporary file, fsync, rename: a crash leaves the old file or the
// new one, never half of one). A photo whose original is missing, unreadable or undecodable is
// a failed outcome with the reason, and the others go on; its old renditions are left as they
// were.
// When the thumbnails (LibraryLayout::k_rendition_sizes.front()) are among the sizes, each
// photo's perceptual hash is made again too, from the new thumbnail's pixels as the import takes
// it, and stored over the catalog's, on this thread; a photo whose hash cannot be stored is a
// failed outcome naming it (its renditions are made already). With all sizes the hash is the
// import's; a thumbnail made alone comes from a smaller decode, so its hash, like its bytes, can
// differ from the import's by a bit or two. Rebuilding only other sizes leaves the hashes as they
// are: a hash taken from a larger picture would not be of the kind `duplicates` compares.
// Errors: invalid_input (a size that is not one of the library's, naming the valid ones),
// database (the catalog cannot be read; nothing was rebuilt).
// Not thread-safe: one rebuild per Library at a time.
Result<RebuildSummary> rebuild_renditions(Library& library, RebuildObserver& observer,
                                          const RebuildOptions& options = {});

}  // namespace pressroom::importer
