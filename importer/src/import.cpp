#include "importer/import.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <cctype>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <exception>
#include <fstream>
#include <map>
#include <mutex>
#include <system_error>
#include <thread>
#include <unordered_set>

#include <unistd.h>

#include "core/embedded_metadata.hpp"
#include "core/file_io.hpp"
#include "core/image_type.hpp"
#include "core/sha256.hpp"
#include "importer/library_check.hpp"
#include "importer/manifest.hpp"
#include "importer/release_parser.hpp"
#include "importer/work_queue.hpp"
#include "thumbs/render.hpp"
#include "thumbs/threads.hpp"

namespace pressroom::importer {
namespace {

// Set by cancel_import() (from a signal handler): lock-free, so the store is async-signal-safe.
std::atomic<bool> g_cancelled{false};
static_assert(std::atomic<bool>::is_always_lock_free);

using Clock = std::chrono::steady_clock;

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

// A failed fetch as an Error: its message names the URL already (the fetcher's wording).
Error fetch_error(const FetchResult& result) {
  Errc code = Errc::io;
  switch (result.failure) {
    case FetchFailure::http_status:
      code = result.status == 404 || result.status == 410 ? Errc::not_found : Errc::io;
      break;
    case FetchFailure::invalid_url:
    case FetchFailure::refused:
      code = Errc::invalid_input;
      break;
    case FetchFailure::too_large:
      code = Errc::too_large;
      break;
    case FetchFailure::not_an_image:
      code = Errc::unsupported_format;
      break;
    default:
      break;
  }
  const bool names_url = result.error.find(result.url) != std::string::npos;
  return Error{code, names_url ? "" : result.url, result.error};
}

// One input of the batch, in the order outcomes are reported: a file to import, or an outcome
// known before any file is read (a missing path, a folder without images).
struct Item {
  std::filesystem::path file;
  std::optional<ImportOutcome> outcome;
  bool unusable = false;  // the outcome is that the input as a whole could not be used
};

// A text input, read when the batch runs: a release (parsed already), or a manifest.
struct TextInput {
  std::filesystem::path file;
  std::optional<Release> release;
  std::optional<ManifestFormat> manifest;
  std::string sha256;  // of a release's bytes (a manifest's is taken when it is read)
  std::string url;     // a text to fetch first (then `file` is where it was put)
};

bool is_web_url(std::string_view text) {
  return text.starts_with("http://") || text.starts_with("https://");
}

// Entries read from the catalog and put through the pipeline at once: a long photo list goes
// through a part at a time, so that memory does not grow with it.
constexpr int k_entries_per_part = 512;
// Manifest rows stored per transaction.
constexpr std::size_t k_rows_per_write = 512;
constexpr std::string_view k_file_scheme = "file://";

bool is_local(std::string_view url) {
  return url.starts_with(k_file_scheme);
}

// One entry of a release's photo list on its way through the pipeline.
struct RemoteItem {
  catalog::EntryRecord entry;
  std::optional<catalog::SourceRecord> source;  // what the last fetch of its URL gave
  std::optional<Photo> known_photo;  // that fetch's photo, complete in the library: a 304 is it
  bool conditional = false;
};

// A fetch that ended, waiting for a worker.
struct Fetched {
  std::size_t item = 0;
  FetchResult result;
  std::filesystem::path file;  // the body, for a fetched result
  bool local = false;          // a manifest's local file: read, never removed
};

// The fetched results between the fetching thread and the workers. Bounded by the fetching
// thread, which starts the next group of transfers only when there is room.
class FetchedQueue {
 public:
  void push(Fetched fetched) {
    const std::lock_guard lock(m_mutex);
    m_queue.push_back(std::move(fetched));
    m_changed.notify_all();
  }
  // The next result; nullopt once the queue is closed and empty.
  std::optional<Fetched> pop() {
    std::unique_lock lock(m_mutex);
    m_changed.wait(lock, [this] { return !m_queue.empty() || m_closed; });
    if (m_queue.empty()) {
      return std::nullopt;
    }
    Fetched fetched = std::move(m_queue.front());
    m_queue.pop_front();
    m_changed.notify_all();
    return fetched;
  }
  // Waits until fewer than `limit` results wait; false when the queue was closed meanwhile.
  bool wait_for_room(std::size_t limit) {
    std::unique_lock lock(m_mutex);
    m_changed.wait(lock, [&] { return m_queue.size() < limit || m_closed; });
    return !m_closed;
  }
  void close() {
    const std::lock_guard lock(m_mutex);
    m_closed = true;
    m_changed.notify_all();
  }
  // Closes the queue and hands back what nobody will take (their files are to be removed).
  std::deque<Fetched> abandon() {
    const std::lock_guard lock(m_mutex);
    m_closed = true;
    m_changed.notify_all();
    return std::exchange(m_queue, {});
  }

 private:
  std::mutex m_mutex;
  std::condition_variable m_changed;
  std::deque<Fetched> m_queue;
  bool m_closed = false;
};

// What a worker made of a file, for the calling thread to commit to the catalog.
struct Prepared {
  bool interrupted = false;    // not done: the import was cancelled first
  std::optional<Error> error;  // failed before the catalog was asked
  Photo photo;                 // all but id and imported_at; the decoder's size once rendered
  std::vector<std::string> warnings;
  bool stored = false;  // rendered; original and renditions are in the library
  // The file's bytes, kept only when it was not rendered (the catalog had it when the batch
  // began), for the repair of an unchanged photo; empty otherwise, so memory stays small.
  std::vector<std::byte> bytes;
  // For an entry of a release: which one, and what its fetch said.
  std::size_t item = 0;
  FetchResult fetch;
};

class Importer {
 public:
  Importer(Library& library, ImportObserver& observer, const ImportOptions& options)
      : m_library(library), m_observer(observer), m_options(options) {
    m_render_options.max_pixels = options.max_pixels;
    m_render_options.long_edges.assign(LibraryLayout::k_rendition_sizes.begin(),
                                       LibraryLayout::k_rendition_sizes.end());
  }

  // Adds `input` (a file, every candidate of a folder, or a release) to the batch.
  void add_input(const std::filesystem::path& input) {
    if (is_web_url(input.string())) {
      m_texts.push_back(TextInput{input, std::nullopt, std::nullopt, "", input.string()});
      return;
    }
    std::error_code error;
    const auto status = std::filesystem::status(input, error);
    if (!std::filesystem::exists(status)) {
      const bool dangling = std::filesystem::is_symlink(std::filesystem::symlink_status(input));
      add_failure(input, Error{Errc::not_found, input.string(),
                               dangling ? "link points to nothing" : "no such file or folder"});
      return;
    }
    if (std::filesystem::is_directory(status)) {
      if (m_options.as == InputKind::release) {
        add_failure(input, Error{Errc::invalid_input, input.string(),
                                 "a folder is not a press release (--as release)"});
        return;
      }
      add_folder(input);
      return;
    }
    const bool image = m_options.as == InputKind::files ||
                       (m_options.as == InputKind::detect &&
                        (has_image_extension(input) || starts_like_image(input)));
    if (image) {
      m_items.push_back(Item{input, std::nullopt});
      return;
    }
    switch (m_options.as) {
      case InputKind::urls:
        m_texts.push_back(TextInput{input, std::nullopt, ManifestFormat::urls, "", ""});
        return;
      case InputKind::csv:
        m_texts.push_back(TextInput{input, std::nullopt, ManifestFormat::csv, "", ""});
        return;
      case InputKind::jsonl:
        m_texts.push_back(TextInput{input, std::nullopt, ManifestFormat::jsonl, "", ""});
        return;
      case InputKind::detect:
        if (auto format = detect_manifest(head_of(input)); format) {
          m_texts.push_back(TextInput{input, std::nullopt, *format, "", ""});
          return;
        }
        break;
      default:
        break;
    }
    add_release(input);
  }

  // Imports the batch: first the files (workers read, hash, render and store them; this thread
  // asks the catalog, adds the rows and reports, in the order of the batch, so that ids and
  // outcomes are the same whatever the number of workers), then each release.
  void run() {
    m_started = Clock::now();
    m_total = m_items.size();
    for (const TextInput& text : m_texts) {
      m_total += text.release ? text.release->photos.size() : 0;
    }
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
    run_files();
    for (TextInput& text : m_texts) {
      if (g_cancelled.load()) {
        break;
      }
      if (!text.url.empty() && !fetch_text(text)) {
        continue;
      }
      if (text.manifest) {
        run_manifest(text);
      } else if (m_options.dry_run) {
        plan_release(text);
      } else {
        run_release(text);
      }
      if (!text.url.empty()) {
        std::error_code ignored;
        std::filesystem::remove(text.file, ignored);
      }
    }
    if (m_options.retry_failed && !g_cancelled.load()) {
      if (m_options.dry_run) {
        plan_failed();
      } else {
        retry_failed();
      }
    }
    m_summary.seconds = seconds_since_start();
  }

  const ImportSummary& summary() const { return m_summary; }
  std::uint64_t bytes_fetched() const { return m_bytes.load(); }

 private:
  // An input that cannot be used at all: it is missing, unreadable, or not what it must be.
  void add_failure(const std::filesystem::path& input, Error error) {
    m_items.push_back(Item{input, failed(input, std::move(error)), true});
  }

  // A text file: a press release or a news page, stored with its photo list when the batch
  // runs. One that cannot be read as either is an unusable input.
  void add_release(const std::filesystem::path& file) {
    auto bytes = read_file(file, ReleaseParseOptions{}.max_bytes);
    if (!bytes) {
      add_failure(file, bytes.error());
      return;
    }
    const std::string_view text(reinterpret_cast<const char*>(bytes->data()), bytes->size());
    auto release = parse_release(text, file.string());
    if (!release) {
      Error error = release.error();
      if (m_options.as == InputKind::detect) {
        error.message += " (read as a press release: it is neither an image nor a folder)";
      }
      add_failure(file, std::move(error));
      return;
    }
    m_texts.push_back(TextInput{file, std::move(*release), std::nullopt, sha256_hex(*bytes), ""});
  }

  // A release, news page or manifest given by URL: fetched into incoming/ (whatever its type)
  // and read as a file of it would be. False, with the failure reported, when it cannot be.
  bool fetch_text(TextInput& text) {
    const std::filesystem::path input(text.url);
    if (!ensure_fetcher(input)) {
      return false;
    }
    FetchRequest request;
    request.url = text.url;
    request.destination = m_library.layout().incoming() /
                          (std::to_string(::getpid()) + "-text-" + std::to_string(m_batches++));
    request.any_type = true;
    FetchResult result;
    m_fetcher->fetch(std::span(&request, 1), [&result](const FetchResult& done) { result = done; });
    if (result.outcome != FetchOutcome::fetched) {
      ++m_total;
      ImportOutcome outcome = failed(input, fetch_error(result));
      outcome.url = text.url;
      outcome.fetch_failure = result.failure;
      report(outcome, result.failure != FetchFailure::cancelled);
      return false;
    }
    m_bytes += result.bytes;
    text.file = request.destination;
    if (auto format = detect_manifest(head_of(text.file));
        format && m_options.as != InputKind::release) {
      text.manifest = format;
      return true;
    }
    auto bytes = read_file(text.file, ReleaseParseOptions{}.max_bytes);
    std::error_code ignored;
    std::filesystem::remove(text.file, ignored);
    if (!bytes) {
      ++m_total;
      report(failed(input, bytes.error()), true);
      return false;
    }
    const std::string_view body(reinterpret_cast<const char*>(bytes->data()), bytes->size());
    auto release = parse_release(body, text.url);
    if (!release) {
      ++m_total;
      report(failed(input, release.error()), true);
      return false;
    }
    m_total += release->photos.size();
    text.release = std::move(*release);
    text.sha256 = sha256_hex(*bytes);
    return true;
  }

  // The first bytes of a file, to tell a manifest from a release.
  static std::string head_of(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::string head(4096, '\0');
    in.read(head.data(), static_cast<std::streamsize>(head.size()));
    head.resize(static_cast<std::size_t>(in.gcount()));
    return head;
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

  void run_files() {
    if (m_options.dry_run) {
      for (Item& item : m_items) {
        if (item.outcome) {
          report(*item.outcome, item.unusable);
          continue;
        }
        ImportOutcome outcome;
        outcome.input = item.file;
        outcome.state = OutcomeState::planned;
        report(outcome);
      }
      return;
    }
    run_in_order<Prepared>(
        m_items.size(), m_options.jobs,
        [this](std::size_t index) {
          const Item& item = m_items[index];
          if (item.outcome) {
            return Prepared{};
          }
          if (g_cancelled.load()) {
            Prepared prepared;
            prepared.interrupted = true;
            return prepared;
          }
          return prepare(item.file);
        },
        [this](std::size_t index, Prepared&& prepared) {
          Item& item = m_items[index];
          if (item.outcome) {
            report(*item.outcome, item.unusable);
          } else if (prepared.interrupted) {
            ++m_summary.interrupted;
          } else {
            report(commit(item.file, std::move(prepared)));
          }
        });
  }

  // On a worker thread: everything but the catalog. Reads only what does not change during
  // the batch (options, layout, m_known).
  Prepared prepare(const std::filesystem::path& file) const {
    Prepared prepared;
    auto bytes = read_file(file, m_options.max_file_bytes);
    if (!bytes) {
      prepared.error = bytes.error();
      return prepared;
    }
    std::error_code error;
    prepare_bytes(prepared, std::move(*bytes), file.string(), file.filename().string(),
                  std::filesystem::absolute(file, error).lexically_normal().string());
    return prepared;
  }

  // The part of prepare() after the bytes are read: type, hash, metadata, renditions.
  void prepare_bytes(Prepared& prepared, std::vector<std::byte> bytes, const std::string& subject,
                     std::string original_name, std::string imported_from) const {
    if (bytes.empty()) {
      prepared.error = Error{Errc::invalid_input, subject, "empty file (0 bytes)"};
      return;
    }
    const auto type = sniff_image_type(bytes);
    if (!type) {
      prepared.error = Error{Errc::unsupported_format, subject,
                             "not an image (the content is not JPEG, PNG, TIFF, WebP or HEIC)"};
      return;
    }
    Photo& photo = prepared.photo;
    photo.sha256 = sha256_hex(bytes);
    photo.type = *type;
    photo.byte_size = bytes.size();
    photo.original_name = std::move(original_name);
    photo.imported_from = std::move(imported_from);
    if (m_known.contains(photo.sha256) || stored_in_this_run(photo.sha256)) {
      prepared.bytes = std::move(bytes);
      return;
    }
    if (auto stored = render_new(photo, bytes, subject, prepared.warnings); !stored) {
      prepared.error = stored.error();
      return;
    }
    prepared.stored = true;
    const std::lock_guard lock(m_stored_mutex);
    m_stored.insert(photo.sha256);
  }

  // Whether a worker has stored this photo's files in this run already (the same photo under
  // two URLs of a list): it is then not rendered again.
  bool stored_in_this_run(const std::string& sha256) const {
    const std::lock_guard lock(m_stored_mutex);
    return m_stored.contains(sha256);
  }

  // ---- Releases

  // --dry-run: each entry as it would be fetched; the catalog is only read.
  void plan_release(const TextInput& input) {
    const Release& release = *input.release;
    m_observer.release_read(input.file, 0, release_title(release), release.photos.size(), false);
    for (const ReleaseEntry& entry : release.photos) {
      ImportOutcome outcome;
      outcome.input = input.file;
      outcome.state = OutcomeState::planned;
      outcome.position = entry.position;
      outcome.url = entry.url;
      outcome.caption = entry.caption;
      outcome.credit = entry.credit.text;
      outcome.warnings = entry.warnings;
      if (auto source = m_library.catalog().source(entry.url); source && *source) {
        outcome.conditional = (*source)->photo_id.has_value();
      }
      report(outcome);
    }
  }

  static std::string release_title(const Release& release) {
    if (release.kind == ReleaseKind::news && !release.items.empty()) {
      return release.items.front().title;
    }
    return release.titles.empty() ? std::string() : release.titles.begin()->second;
  }

  // Stores the release (or finds it stored: the same file again changes nothing) and imports
  // the photos of its entries.
  void run_release(const TextInput& input) {
    catalog::Catalog& catalog = m_library.catalog();
    const Release& release = *input.release;
    std::error_code error;
    const std::string source =
        input.url.empty() ? std::filesystem::absolute(input.file, error).lexically_normal().string()
                          : input.url;
    const std::filesystem::path shown =
        input.url.empty() ? input.file : std::filesystem::path(input.url);
    auto id = catalog.add_release(release, catalog::ReleaseSource{source, input.sha256, {}},
                                  m_options.who);
    if (!id) {
      m_total = m_total - release.photos.size() + 1;
      report(failed(input.file, id.error()), true);
      return;
    }
    m_observer.release_read(shown, *id, release_title(release), release.photos.size(), false);
    import_entries_of(shown, *id);
  }

  // Every entry of a stored release through the pipeline, a part at a time.
  void import_entries_of(const std::filesystem::path& file, std::int64_t release_id) {
    int after = 0;
    while (!g_cancelled.load()) {
      auto entries = m_library.catalog().entries(release_id, after, k_entries_per_part);
      if (!entries) {
        report(failed(file, entries.error()), true);
        return;
      }
      if (entries->empty()) {
        return;
      }
      after = entries->back().position;
      if (!import_entries(file, std::move(*entries))) {
        return;
      }
    }
  }

  // `entries` through the pipeline; false when it cannot start (no fetcher, no incoming/).
  bool import_entries(const std::filesystem::path& file,
                      std::vector<catalog::EntryRecord> entries) {
    if (!ensure_fetcher(file)) {
      return false;
    }
    std::vector<RemoteItem> items;
    items.reserve(entries.size());
    for (catalog::EntryRecord& entry : entries) {
      items.push_back(plan_entry(std::move(entry)));
    }
    fetch_and_import(file, items);
    return true;
  }

  // `import --retry-failed`: every entry of the catalog whose URL has given no photo.
  void retry_failed() {
    std::int64_t after = 0;
    while (!g_cancelled.load()) {
      auto entries = m_library.catalog().entries_without_photo(after, k_entries_per_part);
      if (!entries) {
        report(failed("--retry-failed", entries.error()), true);
        return;
      }
      if (entries->empty()) {
        return;
      }
      after = entries->back().id;
      m_total += entries->size();
      if (!import_entries("", std::move(*entries))) {
        return;
      }
    }
  }

  void plan_failed() {
    std::int64_t after = 0;
    while (true) {
      auto entries = m_library.catalog().entries_without_photo(after, k_entries_per_part);
      if (!entries || entries->empty()) {
        return;
      }
      after = entries->back().id;
      for (const catalog::EntryRecord& entry : *entries) {
        ImportOutcome outcome = outcome_of(entry, "");
        outcome.state = OutcomeState::planned;
        report(outcome);
      }
    }
  }

  // ---- Manifests

  // A manifest's row as an entry of a release's photo list.
  static ReleaseEntry entry_of(ManifestRow&& row, const std::filesystem::path& folder) {
    ReleaseEntry entry;
    entry.caption = std::move(row.caption);
    if (!row.credit.empty()) {
      entry.credit = parse_credit(row.credit);
    }
    if (!row.photographer.empty()) {
      entry.credit.photographer = std::move(row.photographer);
    }
    if (!row.rights_holder.empty()) {
      entry.credit.rights_holder = std::move(row.rights_holder);
    }
    if (row.path.empty()) {
      entry.url = std::move(row.url);
    } else {
      std::error_code error;
      std::filesystem::path path(row.path);
      path = std::filesystem::absolute(folder / path, error).lexically_normal();
      entry.url = std::string(k_file_scheme) + path.string();
    }
    for (std::string& name : row.people) {
      entry.people.push_back(Person{std::move(name), "", ""});
    }
    entry.licence_note = std::move(row.licence_note);
    entry.tags = std::move(row.tags);
    entry.line = row.line;
    return entry;
  }

  // The manifest's rows are stored as releases' entries (one release per `release` name, and
  // one for rows without), a few hundred rows per transaction; then each release's entries go
  // through the pipeline. Running it again finds them stored (the same file, the same rows).
  void run_manifest(const TextInput& input) {
    // Outcomes name the manifest as given (a URL's is fetched into incoming/ first).
    const std::filesystem::path file =
        input.url.empty() ? input.file : std::filesystem::path(input.url);
    auto reader = ManifestReader::open(input.file, *input.manifest);
    if (!reader) {
      ++m_total;
      report(failed(file, reader.error()), true);
      return;
    }
    auto sha256 = hash_file(input.file);
    if (!sha256) {
      ++m_total;
      report(failed(file, sha256.error()), true);
      return;
    }
    std::error_code error;
    const std::filesystem::path absolute =
        std::filesystem::absolute(input.file, error).lexically_normal();
    // A manifest's relative paths are from its folder (from the working folder for a URL's).
    const std::filesystem::path folder =
        input.url.empty() ? absolute.parent_path() : std::filesystem::current_path(error);
    const std::string source_base = input.url.empty() ? absolute.string() : input.url;
    struct Stored {
      std::int64_t id = 0;
      int rows = 0;
    };
    std::map<std::string, Stored> releases;
    std::vector<std::int64_t> order;
    std::map<std::int64_t, std::vector<ReleaseEntry>> pending;
    std::size_t pending_rows = 0;
    bool usable = true;
    const auto flush = [&] {
      for (auto& [release_id, entries] : pending) {
        if (auto added = m_library.catalog().add_entries(release_id, entries); !added) {
          report(failed(file, added.error()), true);
          usable = false;
        }
      }
      pending.clear();
      pending_rows = 0;
    };
    while (usable) {
      auto row = reader->next();
      if (!row) {
        break;
      }
      ++m_total;
      if (row->error) {
        ImportOutcome outcome = failed(file, Error{Errc::invalid_input, "", *row->error});
        outcome.position = 0;
        report(outcome);
        continue;
      }
      if (m_options.dry_run) {
        ImportOutcome outcome;
        outcome.input = file;
        outcome.state = OutcomeState::planned;
        ReleaseEntry entry = entry_of(std::move(*row), folder);
        outcome.position = entry.line;
        outcome.url = entry.url;
        outcome.caption = entry.caption;
        outcome.credit = entry.credit.text;
        report(outcome);
        continue;
      }
      const std::string name = row->release;
      auto found = releases.find(name);
      if (found == releases.end()) {
        Release release;
        if (!name.empty()) {
          release.titles["de"] = name;  // a manifest states no language: the office's
        }
        std::string source = source_base;
        if (!name.empty()) {
          source.append("#").append(name);
        }
        auto id = m_library.catalog().add_release(
            release, catalog::ReleaseSource{source, *sha256, {}}, m_options.who);
        if (!id) {
          report(failed(file, id.error()), true);
          usable = false;
          break;
        }
        found = releases.emplace(name, Stored{*id, 0}).first;
        order.push_back(*id);
        m_observer.release_read(file, *id, name, 0, false);
      }
      ReleaseEntry entry = entry_of(std::move(*row), folder);
      entry.position = ++found->second.rows;
      pending[found->second.id].push_back(std::move(entry));
      if (++pending_rows >= k_rows_per_write) {
        flush();
      }
    }
    flush();
    for (const std::int64_t release_id : order) {
      if (!usable || g_cancelled.load()) {
        break;
      }
      import_entries_of(file, release_id);
    }
  }

  static Result<std::string> hash_file(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
      return fail(Errc::io, file.string(), "cannot read the file");
    }
    Sha256 digest;
    std::vector<char> chunk(std::size_t{64} * 1024);
    while (in.read(chunk.data(), static_cast<std::streamsize>(chunk.size())) || in.gcount() > 0) {
      digest.update(std::as_bytes(std::span(chunk.data(), static_cast<std::size_t>(in.gcount()))));
    }
    if (in.bad()) {
      return fail(Errc::io, file.string(), "cannot read the file to its end");
    }
    return digest.hex_digest();
  }

  // The fetcher and incoming/, made on first use; false, with the reason reported against
  // `input`, when they cannot be.
  bool ensure_fetcher(const std::filesystem::path& input) {
    if (auto made = make_folder(m_library.layout().incoming()); !made) {
      report(failed(input, made.error()), true);
      return false;
    }
    if (!m_fetcher) {
      auto fetcher = Fetcher::create(m_options.fetcher);
      if (!fetcher) {
        report(failed(input, fetcher.error()), true);
        return false;
      }
      m_fetcher = std::make_unique<Fetcher>(std::move(*fetcher));
    }
    return true;
  }

  static Result<void> make_folder(const std::filesystem::path& folder) {
    std::error_code error;
    std::filesystem::create_directories(folder, error);
    if (error) {
      return fail(Errc::io, folder.string(), "cannot make the folder: " + error.message());
    }
    return {};
  }

  // What the catalog knows of an entry's URL: a photo it gave, complete in the library, makes
  // the fetch conditional (a 304 then means that photo).
  RemoteItem plan_entry(catalog::EntryRecord entry) {
    RemoteItem item;
    item.entry = std::move(entry);
    if (item.entry.url.empty() || is_local(item.entry.url)) {
      return item;
    }
    auto source = m_library.catalog().source(item.entry.url);
    if (!source || !*source) {
      return item;
    }
    item.source = std::move(**source);
    if (!item.source->photo_id || (!item.source->etag && !item.source->last_modified)) {
      return item;
    }
    auto photo = m_library.catalog().find_by_id(*item.source->photo_id);
    if (photo && *photo && files_complete(**photo)) {
      item.known_photo = std::move(**photo);
      item.conditional = true;
    }
    return item;
  }

  bool files_complete(const Photo& photo) const {
    const LibraryLayout& layout = m_library.layout();
    bool complete = std::filesystem::exists(layout.original(photo.sha256, photo.type));
    for (const int size : LibraryLayout::k_rendition_sizes) {
      complete = complete && std::filesystem::exists(layout.rendition(size, photo.sha256));
    }
    return complete;
  }

  // The pipeline: one thread fetches, `jobs` workers render, this thread commits and reports.
  void fetch_and_import(const std::filesystem::path& release_file,
                        const std::vector<RemoteItem>& items) {
    FetchedQueue queue;
    std::exception_ptr fetch_failure;
    std::thread fetching([&] {
      try {
        fetch_all(items, queue);
      } catch (...) {
        fetch_failure = std::current_exception();
      }
      queue.close();
    });
    try {
      run_in_order<Prepared>(
          items.size(), m_options.jobs,
          [&](std::size_t) {
            auto next = queue.pop();
            if (!next) {
              Prepared prepared;
              prepared.interrupted = true;
              return prepared;
            }
            return prepare_fetched(std::move(*next));
          },
          [&](std::size_t, Prepared&& prepared) {
            if (prepared.interrupted) {
              ++m_summary.interrupted;
              return;
            }
            const std::size_t index = prepared.item;
            report(commit_entry(release_file, items[index], std::move(prepared)));
          });
    } catch (...) {
      m_fetcher->cancel();
      for (const Fetched& left : queue.abandon()) {
        if (!left.local) {
          std::error_code ignored;
          std::filesystem::remove(left.file, ignored);
        }
      }
      fetching.join();
      throw;
    }
    fetching.join();
    if (fetch_failure) {
      std::rethrow_exception(fetch_failure);
    }
  }

  // On the fetching thread: the entries' URLs in groups of fetch_ahead, each group started
  // when the workers have taken enough of the last ones.
  void fetch_all(const std::vector<RemoteItem>& items, FetchedQueue& queue) {
    const std::size_t group = std::max<std::size_t>(1, m_options.fetch_ahead);
    const std::string prefix = std::to_string(::getpid()) + "-" + std::to_string(m_batches++) + "-";
    for (std::size_t start = 0; start < items.size(); start += group) {
      if (g_cancelled.load() || !queue.wait_for_room(group)) {
        return;
      }
      const std::size_t end = std::min(items.size(), start + group);
      std::vector<FetchRequest> requests;
      std::vector<std::size_t> indexes;
      for (std::size_t index = start; index < end; ++index) {
        const RemoteItem& item = items[index];
        if (is_local(item.entry.url)) {
          Fetched fetched;
          fetched.item = index;
          fetched.local = true;
          fetched.file = item.entry.url.substr(k_file_scheme.size());
          fetched.result.url = item.entry.url;
          fetched.result.outcome = FetchOutcome::fetched;
          queue.push(std::move(fetched));
          continue;
        }
        if (item.entry.url.empty()) {
          Fetched fetched;
          fetched.item = index;
          fetched.result.failure = FetchFailure::invalid_url;
          fetched.result.error =
              "entry " + std::to_string(item.entry.position) + " of the release has no URL";
          queue.push(std::move(fetched));
          continue;
        }
        FetchRequest request;
        request.url = item.entry.url;
        request.destination = m_library.layout().incoming() / (prefix + std::to_string(index));
        if (item.conditional) {
          request.etag = item.source->etag.value_or("");
          request.last_modified = item.source->last_modified.value_or("");
        }
        requests.push_back(std::move(request));
        indexes.push_back(index);
      }
      const std::uint64_t bytes_before = m_bytes.load();
      m_fetcher->fetch(
          requests,
          [&](const FetchResult& result) {
            Fetched fetched;
            fetched.item = indexes[result.index];
            fetched.file = requests[result.index].destination;
            fetched.result = result;
            queue.push(std::move(fetched));
          },
          [&](const FetchProgress& progress) {
            if (g_cancelled.load()) {
              m_fetcher->cancel();
            }
            m_bytes.store(bytes_before + progress.bytes);
            emit_progress();
          });
    }
  }

  // On a worker: the fetched body read, removed from incoming/, and prepared as a file is.
  Prepared prepare_fetched(Fetched fetched) const {
    Prepared prepared;
    prepared.item = fetched.item;
    prepared.fetch = std::move(fetched.result);
    const FetchResult& result = prepared.fetch;
    if (result.outcome == FetchOutcome::failed) {
      prepared.interrupted = result.failure == FetchFailure::cancelled;
      if (!prepared.interrupted) {
        prepared.error = fetch_error(result);
      }
      return prepared;
    }
    if (result.outcome == FetchOutcome::unchanged) {
      return prepared;
    }
    auto bytes = read_file(fetched.file, m_options.max_file_bytes);
    if (!fetched.local) {
      std::error_code ignored;
      std::filesystem::remove(fetched.file, ignored);
    }
    if (g_cancelled.load()) {
      prepared.interrupted = true;
      return prepared;
    }
    if (!bytes) {
      prepared.error = bytes.error();
      return prepared;
    }
    const std::string name =
        fetched.local ? fetched.file.filename().string() : last_path_segment(result.url);
    prepare_bytes(prepared, std::move(*bytes), result.url, name,
                  fetched.local ? fetched.file.string() : result.url);
    return prepared;
  }

  // An outcome that names a stored entry: where it stands and what it says.
  static ImportOutcome outcome_of(const catalog::EntryRecord& entry,
                                  const std::filesystem::path& input) {
    ImportOutcome outcome;
    outcome.input = input;
    outcome.release_id = entry.release_id;
    outcome.entry_id = entry.id;
    outcome.position = entry.position;
    outcome.url = entry.url;
    outcome.caption = entry.caption;
    outcome.credit = entry.credit;
    return outcome;
  }

  // On this thread: the photo into the catalog (or found there), linked to its entry, and the
  // URL's answer recorded for the next conditional fetch, in that order, so that a crash
  // between them leaves an entry that the next import finishes.
  ImportOutcome commit_entry(const std::filesystem::path& release_file, const RemoteItem& item,
                             Prepared&& prepared) {
    catalog::Catalog& catalog = m_library.catalog();
    const catalog::EntryRecord& entry = item.entry;
    const FetchResult fetch = prepared.fetch;
    ImportOutcome outcome = outcome_of(entry, release_file);
    outcome.conditional = item.conditional;
    outcome.warnings = entry.warnings;
    catalog::SourceRecord record;
    record.url = entry.url;
    if (item.source) {
      record.etag = item.source->etag;
      record.last_modified = item.source->last_modified;
      record.photo_id = item.source->photo_id;
    }
    if (fetch.status != 0) {
      record.status = static_cast<int>(fetch.status);
    }
    const auto fail_entry = [&](Error error) {
      if (!entry.url.empty()) {
        record.error = to_string(error);
        if (auto recorded = catalog.record_source(record); !recorded) {
          outcome.warnings.push_back(to_string(recorded.error()));
        }
      }
      outcome.state = OutcomeState::failed;
      outcome.photo.reset();
      outcome.error = std::move(error);
      return outcome;
    };
    if (prepared.error) {
      if (fetch.outcome == FetchOutcome::failed) {
        outcome.fetch_failure = fetch.failure;
      }
      return fail_entry(std::move(*prepared.error));
    }
    if (fetch.outcome == FetchOutcome::unchanged) {
      outcome.state = OutcomeState::unchanged;
      outcome.photo = *item.known_photo;
    } else {
      ImportOutcome imported = commit(std::filesystem::path(entry.url), std::move(prepared));
      outcome.warnings.insert(outcome.warnings.end(), imported.warnings.begin(),
                              imported.warnings.end());
      if (imported.state == OutcomeState::failed) {
        return fail_entry(std::move(*imported.error));
      }
      outcome.state = imported.state;
      outcome.photo = std::move(imported.photo);
    }
    const std::int64_t photo_id = outcome.photo->id;
    if (entry.photo_id != photo_id) {
      if (auto attached = catalog.attach_photo(entry.id, photo_id, m_options.who); !attached) {
        return fail_entry(attached.error());
      }
    }
    if (!fetch.etag.empty() || !fetch.last_modified.empty() ||
        fetch.outcome == FetchOutcome::fetched) {
      record.etag = fetch.etag.empty() ? std::nullopt : std::optional<std::string>(fetch.etag);
      record.last_modified = fetch.last_modified.empty()
                                 ? std::nullopt
                                 : std::optional<std::string>(fetch.last_modified);
    }
    // Tags each time: a crash after the link must not lose them (adding one twice is no change).
    for (const std::string& tag : entry.tags) {
      if (auto tagged = catalog.add_tag({photo_id}, tag, m_options.who); !tagged) {
        outcome.warnings.push_back(to_string(tagged.error()));
      }
    }
    record.error.reset();
    record.photo_id = photo_id;
    if (auto recorded = catalog.record_source(record); !recorded) {
      return fail_entry(recorded.error());
    }
    return outcome;
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
    if (files_complete(photo)) {
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

  double seconds_since_start() const {
    return std::chrono::duration<double>(Clock::now() - m_started).count();
  }

  // Thread-safe: the fetching thread calls it too.
  void emit_progress() {
    const std::lock_guard lock(m_progress_mutex);
    ImportObserver::Progress progress;
    progress.done = m_done.load();
    progress.total = m_total.load();
    progress.failed = m_failed.load();
    progress.bytes = m_bytes.load();
    progress.seconds = seconds_since_start();
    m_observer.progress(progress);
  }

  void report(const ImportOutcome& outcome, bool unusable = false) {
    if (unusable) {
      ++m_summary.unusable;
    }
    switch (outcome.state) {
      case OutcomeState::imported:
        ++m_summary.imported;
        break;
      case OutcomeState::unchanged:
        ++m_summary.unchanged;
        break;
      case OutcomeState::failed:
        ++m_summary.failed;
        ++m_failed;
        break;
      case OutcomeState::planned:
        ++m_summary.planned;
        break;
    }
    ++m_done;
    m_observer.entry_finished(outcome);
    emit_progress();
  }

  Library& m_library;
  ImportObserver& m_observer;
  const ImportOptions& m_options;
  thumbs::RenderOptions m_render_options;
  std::vector<Item> m_items;
  std::vector<TextInput> m_texts;
  std::unordered_set<std::string> m_known;  // sha256 in the catalog when run() began
  mutable std::mutex m_stored_mutex;
  // sha256 whose files workers wrote in this run (workers add to it: mutable, under the mutex)
  mutable std::unordered_set<std::string> m_stored;
  ImportSummary m_summary;
  std::unique_ptr<Fetcher> m_fetcher;  // made for the first release with photos
  int m_batches = 0;                   // fetch batches, for unique file names in incoming/
  Clock::time_point m_started;
  // For progress(), which the fetching thread calls too.
  std::mutex m_progress_mutex;
  std::atomic<std::size_t> m_done{0};
  std::atomic<std::size_t> m_total{0};
  std::atomic<std::size_t> m_failed{0};
  std::atomic<std::uint64_t> m_bytes{0};
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
    case OutcomeState::planned:
      return "planned";
  }
  return "failed";
}

void cancel_import() {
  g_cancelled.store(true);
}

void reset_import_cancel() {
  g_cancelled.store(false);
}

ImportSummary import_paths(Library& library, std::span<const std::filesystem::path> inputs,
                           ImportObserver& observer, const ImportOptions& options) {
  // Held until the import ends, so that `check --repair` leaves this import's files alone.
  std::optional<ImportLock> lock;
  if (!options.dry_run) {
    if (auto taken = ImportLock::shared(library); taken) {
      lock.emplace(std::move(*taken));
    }
  }
  Importer importer(library, observer, options);
  for (const auto& input : inputs) {
    importer.add_input(input);
  }
  importer.run();
  ImportSummary summary = importer.summary();
  summary.bytes_fetched = importer.bytes_fetched();
  return summary;
}

}  // namespace pressroom::importer
