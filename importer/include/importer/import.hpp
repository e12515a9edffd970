#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/photo.hpp"
#include "importer/library.hpp"

namespace pressroom::importer {

enum class OutcomeState {
  imported,   // new: original, renditions and catalog row written
  unchanged,  // the catalog has these bytes already (same file again, or a copy of it)
  failed,     // not imported; error says why
};
const char* to_string(OutcomeState state);

// How one input ended. Every file that is an import candidate ends in exactly one state.
struct ImportOutcome {
  std::filesystem::path input;  // the file (or, for a failure that has no file, the path given)
  OutcomeState state = OutcomeState::failed;
  std::optional<Photo> photo;         // set for imported and unchanged
  std::optional<Error> error;         // set for failed
  std::vector<std::string> warnings;  // oddities that did not stop the import
};

// Reports each outcome as it happens; app/ prints them.
class ImportObserver {
 public:
  ImportObserver() = default;
  ImportObserver(const ImportObserver&) = delete;
  ImportObserver& operator=(const ImportObserver&) = delete;
  ImportObserver(ImportObserver&&) = delete;
  ImportObserver& operator=(ImportObserver&&) = delete;
  virtual ~ImportObserver() = default;
  virtual void entry_finished(const ImportOutcome& outcome) = 0;
};

struct ImportOptions {
  // Files larger than this are refused unread.
  std::uint64_t max_file_bytes = 200ULL * 1024 * 1024;
  // Images with more pixels than this are refused before decoding.
  std::uint64_t max_pixels = 250'000'000;
  // Who the catalog's audit log names for the photos added.
  std::string who = "pressroom";
  // Worker threads that read, hash and render the files and write them into the library
  // (default_jobs() in work_queue.hpp: one per core). The catalog is written, and the
  // observer called, from the calling thread, in the order of the inputs, so the outcomes and
  // the catalog are the same for any number. More than 1 turns off OpenCV's own threads for
  // the process (thumbs::disable_opencv_threads()). At most 2 × jobs files are in memory.
  int jobs = 1;
};

struct ImportSummary {
  int imported = 0;
  int unchanged = 0;
  int failed = 0;
  int skipped = 0;  // files in folders that are not images (a README, a .txt): not candidates
};

// Imports files and folders (recursively; hidden files and folders are left out). A file
// named directly is always a candidate; in a folder, a file is one when its extension or its
// first bytes say image. For each candidate: hash, metadata, renditions, original stored under
// its hash, one catalog row. A failure of one input never stops the others; a folder without
// images, and a path that does not exist, are failed outcomes too. Each outcome goes to
// `observer` as it finishes, in the order of the inputs (a folder's files sorted by path),
// from the calling thread. Not thread-safe: one import per Library at a time.
ImportSummary import_paths(Library& library, std::span<const std::filesystem::path> inputs,
                           ImportObserver& observer, const ImportOptions& options = {});

}  // namespace pressroom::importer
