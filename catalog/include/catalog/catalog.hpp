#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "core/photo.hpp"
#include "core/release.hpp"
#include "core/rights.hpp"

namespace pressroom::catalog {

class Database;
class SearchIndex;

// Limits on what a user may store, checked before anything is written (README, "Catalog").
constexpr std::size_t k_max_caption_bytes = 4000;
constexpr std::size_t k_max_name_bytes = 200;
constexpr std::size_t k_max_tag_level_bytes = 100;
constexpr int k_max_tag_depth = 8;
constexpr std::size_t k_max_usage_terms_bytes = 2000;

// A release as stored: what the parser read, and where from.
struct ReleaseSource {
  std::string source;                          // the file or URL it was read from
  std::optional<std::string> sha256;           // of the text as read
  std::optional<std::int64_t> translation_of;  // a stored release this one translates
};

// One photo of a release's list as stored; photo_id is empty while its URL has not given one.
struct EntryRecord {
  std::int64_t id = 0;
  std::int64_t release_id = 0;
  int position = 0;
  std::optional<std::int64_t> photo_id;
  std::string caption;
  std::string credit;  // as written: "©Landeshauptstadt Düsseldorf/David Young"
  std::string credit_rights_holder;
  std::string credit_photographer;
  std::vector<std::string> people;  // the people the caption names, left to right
  std::string url;
  std::string licence_note;
  std::vector<std::string> warnings;
  std::vector<std::string> tags;  // for the photo, from a manifest
  std::string release_title;      // in the release's first language
  std::optional<std::string> release_date;
};

// What the fetcher last heard from a URL, so that the next import can ask conditionally.
struct SourceRecord {
  std::string url;
  std::optional<std::string> etag;
  std::optional<std::string> last_modified;
  std::optional<int> status;  // the HTTP status, if an answer came
  std::optional<std::string> error;
  std::optional<std::int64_t> photo_id;
  std::string checked_at;  // set by the catalog
};

struct CreditRecord {
  std::string photographer;   // "" when not known
  std::string rights_holder;  // "" when not known
  std::string credit_line;    // "©Landeshauptstadt Düsseldorf/David Young"
};

struct PersonShown {
  std::string name;
  int position = 0;  // 1 is leftmost
};

// Everything the catalog knows about one photo.
struct PhotoDetails {
  Photo photo;
  std::string caption;          // the press office's caption, else the first entry's
  bool caption_edited = false;  // true when the press office set it
  std::optional<std::string> headline;
  std::optional<std::string> place;
  std::string status;  // "active" or "withdrawn"
  std::optional<CreditRecord> credit;
  std::optional<Licence> licence;
  std::vector<std::string> tags;  // paths, "Event|Living Together 2019"
  std::vector<PersonShown> people;
  std::vector<EntryRecord> entries;  // each release the photo appears in
};

// One change, as the audit log keeps it.
struct AuditRecord {
  std::int64_t id = 0;
  std::string at;  // UTC, ISO 8601 with milliseconds
  std::string who;
  std::string action;  // "caption.set", "tag.add", "photo.add", …
  std::optional<std::int64_t> photo_id;
  std::optional<std::int64_t> release_id;
  std::string field;
  std::optional<std::string> before;
  std::optional<std::string> after;
};

enum class Orientation { any, landscape, portrait, square };
enum class LicenceFilter { any, usable, embargoed, expired };
enum class SearchOrder { relevance, newest, oldest };

// A search as a press desk asks it. Empty fields filter nothing.
struct SearchQuery {
  // Words (all must occur), "phrases", prefix*, AND, OR, NOT, -word, parentheses; case and
  // diacritics do not matter ("strasse" finds "Straße"). Empty: every photo the filters pass.
  std::string text;
  std::string photographer;   // every word of it in the photographer's name
  std::string rights_holder;  // every word of it in the rights holder's name
  std::string person;         // every word of it in the name of a person shown
  std::string tag;            // the tag or any of its sub-tags
  std::optional<std::int64_t> release;
  std::string date_from;  // ISO dates, inclusive, on the day the photo was taken (else the
  std::string date_to;    // release's date, else the day it was imported)
  Orientation orientation = Orientation::any;
  int min_width = 0;  // as displayed (orientation applied)
  int min_height = 0;
  LicenceFilter licence = LicenceFilter::any;  // a photo without a licence counts as usable
  std::string today;                           // for the licence state; empty: today (UTC)
  SearchOrder order = SearchOrder::relevance;
  int offset = 0;
  int limit = 50;
};

struct SearchHit {
  std::int64_t photo_id = 0;
  double score = 0;  // relevance; 0 when sorted by date without a text query
};

struct SearchPage {
  std::vector<SearchHit> hits;
  std::int64_t total = 0;  // matches in all (an estimate when total_exact is false)
  bool total_exact = true;
};

// What `check` found; consistent when problems is empty.
struct CheckReport {
  std::vector<std::string> problems;  // one sentence each
  std::int64_t photos = 0;
  std::int64_t indexed = 0;  // documents in the search index
  std::int64_t pending = 0;  // photos whose index entry is waiting to be updated
};

// The library's SQLite catalog. One Catalog is one connection: use it from one thread at a
// time (open another Catalog for another thread). Move-only.
class Catalog {
 public:
  // The schema version this build creates and reads; older catalogs are upgraded on open.
  static int latest_schema_version();

  // Opens the catalog file, creating it when `create` is true, switches it to WAL mode and
  // applies the numbered migrations it lacks, each in its own transaction.
  // Errors: not_found (no file and !create), database (not an SQLite file, a schema newer than
  // this build knows, or any SQLite failure).
  static Result<Catalog> open(const std::filesystem::path& file, bool create);

  Catalog(Catalog&&) noexcept;
  Catalog& operator=(Catalog&&) noexcept;
  Catalog(const Catalog&) = delete;
  Catalog& operator=(const Catalog&) = delete;
  ~Catalog();

  int schema_version() const { return m_schema_version; }
  // "wal" for a file catalog.
  Result<std::string> journal_mode();

  // Adds a photo and returns its id. The catalog sets imported_at; photo.id is ignored.
  // Errors: invalid_input (a photo with this sha256 exists), database.
  Result<std::int64_t> add_photo(const Photo& photo, std::string_view who = "pressroom");

  // nullopt when there is none. Errors: database.
  Result<std::optional<Photo>> find_by_sha256(std::string_view sha256);
  Result<std::optional<Photo>> find_by_id(std::int64_t id);

  // A photo named as a user names it: its id ("12"), its sha256, or a prefix of the sha256 of
  // at least 6 hex digits. Errors: not_found, invalid_input (not an id or a hash, or a prefix
  // that matches more than one photo), database.
  Result<Photo> lookup(std::string_view id_or_hash);

  // Every photo, in the order they were added. Errors: database.
  Result<std::vector<Photo>> photos();
  Result<std::int64_t> photo_count();

  // Perceptual hashes, as (photo id, hash). Both store them in one transaction; the audit log
  // does not record them (they are computed, not edited). A photo whose stored hash is left as
  // it was is not written at all (a written photo row is queued for the search index again).
  // Errors: not_found (no such photo; nothing is stored), database.
  //
  // fill_missing_perceptual_hashes() stores only where a photo has none yet (imported before
  // the importer stored it: `duplicates` hashes their thumbnails); a photo that has a hash
  // keeps it. replace_perceptual_hashes() stores over whatever a photo has (`thumbs rebuild`:
  // the renderer that made the stored hash may have changed since).
  Result<void> fill_missing_perceptual_hashes(
      const std::vector<std::pair<std::int64_t, std::uint64_t>>& hashes);
  Result<void> replace_perceptual_hashes(
      const std::vector<std::pair<std::int64_t, std::uint64_t>>& hashes);

  // ---- Releases and where photos came from (releases.cpp)

  // Stores a release with its texts and its photo list (entries without photos) in one
  // transaction and returns its id. The same source with the same sha256 again returns the
  // stored release's id and changes nothing. Errors: invalid_input (a bad date, an unknown
  // translation_of, text that is not UTF-8), database.
  Result<std::int64_t> add_release(const Release& release, const ReleaseSource& source,
                                   std::string_view who);
  Result<std::vector<EntryRecord>> entries(std::int64_t release_id);
  // At most `limit` entries of a release after `after_position`, in order: a long photo list
  // read a part at a time.
  Result<std::vector<EntryRecord>> entries(std::int64_t release_id, int after_position, int limit);
  // Adds entries to a stored release in one transaction; an entry whose position the release
  // has already is left as it is (a manifest read again). Errors: invalid_input (text that is
  // not UTF-8), not_found (no such release), database.
  Result<void> add_entries(std::int64_t release_id, const std::vector<ReleaseEntry>& entries);
  // Entries whose URL has not given a photo (failed, or never tried), after the entry id
  // `after_id`, at most `limit`, by id: what `import --retry-failed` tries again.
  Result<std::vector<EntryRecord>> entries_without_photo(std::int64_t after_id, int limit);
  // Gives an entry another URL (a wrong one repaired), written to the audit log.
  // Errors: not_found (no such entry), invalid_input (empty or not UTF-8), database.
  Result<void> set_entry_url(std::int64_t entry_id, std::string_view url, std::string_view who);
  // Links an entry to the photo its URL gave. The entry's credit and people become the photo's
  // where the photo has none yet. Errors: not_found (entry or photo), database.
  Result<void> attach_photo(std::int64_t entry_id, std::int64_t photo_id, std::string_view who);
  Result<void> record_source(const SourceRecord& source);
  Result<std::optional<SourceRecord>> source(std::string_view url);

  // ---- Editing (edits.cpp). Each call is one transaction: every photo changes, or none does.
  // Every change is written to the audit log with `who`. They return how many photos changed
  // (a tag a photo has already is not a change). Errors: not_found (a photo, or for removal a
  // tag or person the catalog does not have), invalid_input (an empty or over-long value, text
  // that is not UTF-8, an invalid date), database.

  Result<int> add_tag(const std::vector<std::int64_t>& photos, std::string_view path,
                      std::string_view who);
  Result<int> remove_tag(const std::vector<std::int64_t>& photos, std::string_view path,
                         std::string_view who);
  // `position` 1 is leftmost; nullopt puts the person rightmost. A person already shown moves.
  Result<int> add_person(std::int64_t photo, std::string_view name, std::optional<int> position,
                         std::string_view who);
  Result<int> remove_person(std::int64_t photo, std::string_view name, std::string_view who);
  // Empty strings leave that part unknown; at least one must be given.
  Result<int> set_credit(const std::vector<std::int64_t>& photos, std::string_view photographer,
                         std::string_view rights_holder, std::string_view who);
  Result<int> set_licence(const std::vector<std::int64_t>& photos, const Licence& licence,
                          std::string_view who);
  Result<int> set_caption(std::int64_t photo, std::string_view caption, std::string_view who);

  // ---- Reading

  Result<PhotoDetails> details(std::int64_t photo);
  // The audit log of one photo, oldest first.
  Result<std::vector<AuditRecord>> history(std::int64_t photo);
  // Photos as a user names them: an id, a sha256 (prefix), or "@NAME" for a saved search
  // (every photo of it, in its order). Duplicates are dropped. Errors: as lookup(), and
  // not_found for an unknown saved search.
  Result<std::vector<std::int64_t>> resolve_photos(const std::vector<std::string>& names);

  // ---- Search (search.cpp)

  // Errors: invalid_input (a query that cannot be read, a bad date or limit), database.
  Result<SearchPage> search(const SearchQuery& query);
  // Saves every photo `query` finds (in its order, up to 100,000) as "@name", replacing a
  // saved search of that name. Returns how many were saved.
  Result<std::int64_t> save_search(std::string_view name, const SearchQuery& query,
                                   std::string_view who);

  // ---- Maintenance (maintenance.cpp)

  // A consistent copy of the catalog at `destination` (a new file), made with SQLite's online
  // backup while others may write. Errors: invalid_input (destination exists), io, database.
  Result<void> backup(const std::filesystem::path& destination, std::string_view who);
  // SQLite's integrity and foreign-key checks plus the catalog's own. Errors: database.
  Result<CheckReport> check();
  // Throws the search index away and builds it again from the catalog.
  Result<void> rebuild_search_index();
  // Brings the search index up to date with the catalog (every write does; call it after a
  // crash or when another process held the index). Errors: database (the index failed).
  Result<void> update_search_index();

 private:
  Catalog(std::unique_ptr<Database> database, std::unique_ptr<SearchIndex> index,
          int schema_version);
  // Runs `body` in one transaction, then brings the search index up to date.
  Result<void> write(const std::function<Result<void>()>& body);
  // Photos matching the SQL condition `where` with `value` bound to ?1, by id.
  Result<std::vector<Photo>> query_photos(std::string_view where, std::string_view value);
  Result<std::optional<Photo>> find_one(std::string_view where, std::string_view value);
  // The people whose (folded) names have every word of `name` as a whole word.
  Result<std::vector<std::int64_t>> people_named(std::string_view name);

  std::unique_ptr<Database> m_database;
  std::unique_ptr<SearchIndex> m_index;
  int m_schema_version;
};

}  // namespace pressroom::catalog
