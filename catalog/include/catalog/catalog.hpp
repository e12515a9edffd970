#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/photo.hpp"

namespace pressroom::catalog {

class Database;

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
  Result<std::int64_t> add_photo(const Photo& photo);

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

 private:
  Catalog(std::unique_ptr<Database> database, int schema_version);
  // Photos matching the SQL condition `where` with `value` bound to ?1, by id.
  Result<std::vector<Photo>> query_photos(std::string_view where, std::string_view value);
  Result<std::optional<Photo>> find_one(std::string_view where, std::string_view value);

  std::unique_ptr<Database> m_database;
  int m_schema_version;
};

}  // namespace pressroom::catalog
