#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/photo.hpp"
#include "importer/fetcher.hpp"
#include "importer/library.hpp"

namespace pressroom::importer {

enum class OutcomeState {
  imported,   // new: original, renditions and catalog row written
  unchanged,  // the catalog has these bytes already (same file again, or a copy of it)
  failed,     // not imported; error says why
  planned,    // --dry-run: what an import would do; nothing was fetched or written
};
const char* to_string(OutcomeState state);

// How one input ended. Every file that is an import candidate, and every entry of a release's
// photo list, ends in exactly one state.
struct ImportOutcome {
  std::filesystem::path input;  // the file (or, for a failure that has no file, the path given);
                                // for an entry of a release, the release's file
  OutcomeState state = OutcomeState::failed;
  // For an entry of a release: where it stands and what it says.
  std::optional<std::int64_t> release_id;  // empty in a dry run
  std::optional<std::int64_t> entry_id;    // empty in a dry run
  int position = 0;                        // in the release's photo list, from 1
  std::string url;
  std::string caption;
  std::string credit;
  bool conditional = false;                   // asked with the ETag/Last-Modified of the last fetch
  std::optional<FetchFailure> fetch_failure;  // why the fetch failed, when it did
  std::optional<Photo> photo;                 // set for imported and unchanged
  std::optional<Error> error;                 // set for failed
  std::vector<std::string> warnings;          // oddities that did not stop the import
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
  // A release read from `input`, stored (or found stored: `known`) with `entries` photos.
  virtual void release_read(const std::filesystem::path& /*input*/, std::int64_t /*release_id*/,
                            const std::string& /*title*/, std::size_t /*entries*/, bool /*known*/) {
  }
  // How far the import is; called from the calling thread after each outcome, and from the
  // fetching thread (at most five times a second) while photos arrive. Never concurrently with
  // itself, but possibly concurrently with entry_finished().
  struct Progress {
    std::size_t done = 0;   // outcomes reported
    std::size_t total = 0;  // candidates and entries known so far
    std::size_t failed = 0;
    std::uint64_t bytes = 0;  // fetched so far
    double seconds = 0;       // since the import began
  };
  virtual void progress(const Progress& /*progress*/) {}
};

// What the inputs are, when the user says (`--as`); `detect` looks at each input: a folder, a
// file whose extension or first bytes say image, a manifest (a CSV whose header names a `url`
// or `path` column, JSON lines, a list of URLs), or else a text read as a press release or
// news page.
enum class InputKind { detect, files, release, urls, csv, jsonl };

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
  InputKind as = InputKind::detect;
  // How a release's photos are fetched. The fetcher is made when the first release with photos
  // is read; its errors (a bad --connect-to) fail that release.
  FetcherOptions fetcher;
  // Photos fetched and not yet rendered at most (files in ROOT/incoming), so that neither the
  // disk nor memory grow with the length of a photo list.
  std::size_t fetch_ahead = 16;
  // Read and plan only: parse the releases, report each entry as `planned` (with whether it
  // would be asked conditionally), fetch nothing, write nothing.
  bool dry_run = false;
  // After the inputs, try again every entry of the catalog whose URL has given no photo.
  bool retry_failed = false;
};

struct ImportSummary {
  int imported = 0;
  int unchanged = 0;
  int failed = 0;
  int skipped = 0;      // files in folders that are not images (a README, a .txt): not candidates
  int planned = 0;      // --dry-run
  int interrupted = 0;  // entries not finished because the import was cancelled
  int unusable = 0;     // inputs that could not be used at all (missing, unreadable, no release)
  std::uint64_t bytes_fetched = 0;
  double seconds = 0;
};

// Imports files and folders (recursively; hidden files and folders are left out). A file
// named directly is always a candidate; in a folder, a file is one when its extension or its
// first bytes say image. For each candidate: hash, metadata, renditions, original stored under
// its hash, one catalog row. A failure of one input never stops the others; a folder without
// images, and a path that does not exist, are failed outcomes too. Each outcome goes to
// `observer` as it finishes, in the order of the inputs (a folder's files sorted by path),
// from the calling thread. Not thread-safe: one import per Library at a time.
//
// A press release or news page (a text file) is parsed and stored with its photo list; then
// each entry's URL is fetched (conditionally, with the ETag and Last-Modified of the last fetch
// of that URL, when the catalog has the photo it gave), and the photo imported and linked to
// the entry, which gives it the entry's caption, credit and people. Fetching, rendering and
// the catalog overlap: one thread fetches (FetcherOptions::jobs transfers at once), `jobs`
// workers render, the calling thread commits each entry on its own as it finishes (in the
// order they arrive). A failed entry stays in the catalog with its caption and credit, and the
// URL's reason in `sources`; importing the release again tries it again.
ImportSummary import_paths(Library& library, std::span<const std::filesystem::path> inputs,
                           ImportObserver& observer, const ImportOptions& options = {});

// Asks a running import to stop soon: transfers are cancelled and their files removed, photos
// being rendered are finished and committed, nothing more is started. Async-signal-safe (an
// atomic store), for a SIGINT handler. The flag stays set until reset_import_cancel().
void cancel_import();
void reset_import_cancel();

}  // namespace pressroom::importer
