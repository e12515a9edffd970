// Backup and consistency checks.

#include <memory>

#include "audit.hpp"
#include "catalog/catalog.hpp"
#include "database.hpp"
#include "search_index.hpp"

namespace pressroom::catalog {
namespace {

struct BackupDeleter {
  void operator()(sqlite3_backup* backup) const noexcept { sqlite3_backup_finish(backup); }
};

// Adds one problem per row `sql` returns (its first column, as text) to `problems`.
Result<void> collect(Database& database, std::string_view sql, const std::string& prefix,
                     std::vector<std::string>& problems) {
  auto statement = database.prepare(sql);
  if (!statement) {
    return fail(statement.error());
  }
  while (true) {
    auto row = statement->step();
    if (!row) {
      return fail(row.error());
    }
    if (!*row) {
      return {};
    }
    problems.push_back(prefix + statement->column_text(0));
  }
}

}  // namespace

Result<void> Catalog::backup(const std::filesystem::path& destination, std::string_view who) {
  std::error_code ignored;
  if (std::filesystem::exists(destination, ignored)) {
    return fail(Errc::invalid_input, destination.string(),
                "the backup file exists already; pressroom does not overwrite it");
  }
  const std::filesystem::path partial = destination.string() + ".part";
  std::filesystem::remove(partial, ignored);
  auto target = Database::open(partial, Database::Mode::create_if_missing);
  if (!target) {
    return fail(Errc::io, destination.string(),
                "cannot create the backup: " + target.error().message);
  }
  {
    const std::unique_ptr<sqlite3_backup, BackupDeleter> backup(
        sqlite3_backup_init(target->handle(), "main", m_database->handle(), "main"));
    if (!backup) {
      return fail(database_error(target->handle(), "cannot start the backup"));
    }
    // All pages in one step: the copy is one consistent state of the catalog, whatever others
    // write meanwhile (WAL lets them go on).
    const int code = sqlite3_backup_step(backup.get(), -1);
    if (code != SQLITE_DONE) {
      std::filesystem::remove(partial, ignored);
      return fail(Errc::io, destination.string(),
                  std::string("the backup failed: ") + sqlite3_errstr(code));
    }
  }
  if (auto mode = target->execute("PRAGMA journal_mode = DELETE"); !mode) {
    return fail(mode.error());
  }
  *target = Database::open(":memory:", Database::Mode::create_if_missing).value();  // close
  std::filesystem::rename(partial, destination, ignored);
  if (ignored) {
    return fail(Errc::io, destination.string(), "cannot rename the backup: " + ignored.message());
  }
  return write([&]() -> Result<void> {
    return write_audit(*m_database, AuditEntry{.who = who,
                                               .action = "catalog.backup",
                                               .photo_id = std::nullopt,
                                               .release_id = std::nullopt,
                                               .field = "file",
                                               .before = std::nullopt,
                                               .after = destination.string()});
  });
}

Result<CheckReport> Catalog::check() {
  CheckReport report;
  auto& problems = report.problems;
  auto integrity = m_database->prepare("PRAGMA integrity_check");
  if (!integrity) {
    return fail(integrity.error());
  }
  while (true) {
    auto row = integrity->step();
    if (!row) {
      return fail(row.error());
    }
    if (!*row) {
      break;
    }
    const std::string line = integrity->column_text(0);
    if (line != "ok") {
      problems.push_back("SQLite integrity check: " + line);
    }
  }
  const std::vector<std::pair<std::string_view, std::string>> checks{
      {"SELECT \"table\" || ifnull(' row ' || rowid, '') || ' refers to a missing row of ' || "
       "parent FROM pragma_foreign_key_check",
       "foreign key: "},
      {"SELECT 'photo ' || photos.id || ' has no original file record (byte size 0)' "
       "FROM photos WHERE byte_size <= 0",
       ""},
      {"SELECT 'tag \"' || path || '\" has a parent that is not its path''s parent' FROM tags "
       "WHERE parent_id IS NOT NULL AND path NOT LIKE (SELECT p.path FROM tags p WHERE "
       "p.id = tags.parent_id) || '|%'",
       ""},
      {"SELECT 'photo ' || photo_id || ' shows people at duplicate positions' FROM "
       "photo_people GROUP BY photo_id, position HAVING count(*) > 1",
       ""},
      {"SELECT 'credit ' || id || ' names neither a photographer nor a rights holder' "
       "FROM credits WHERE photographer_id IS NULL AND rights_holder IS NULL AND "
       "credit_line = ''",
       ""},
      {"SELECT 'person ' || id || ' (' || name || ') has a stale folded name' FROM people "
       "WHERE folded_name = ''",
       ""},
      {"SELECT 'person ' || id || ' (' || name || ') has no words for the person filter' "
       "FROM people WHERE NOT EXISTS (SELECT 1 FROM person_words WHERE person_id = people.id) "
       "AND trim(folded_name, ' -.,''/()&;:\"') <> ''",
       ""},
      {"SELECT 'saved search ' || name || ' lists photo ' || photo_id || ' twice' FROM "
       "saved_search_photos GROUP BY name, photo_id HAVING count(*) > 1",
       ""},
  };
  for (const auto& [sql, prefix] : checks) {
    if (auto done = collect(*m_database, sql, prefix, problems); !done) {
      return fail(done.error());
    }
  }
  auto photos = photo_count();
  if (!photos) {
    return fail(photos.error());
  }
  report.photos = *photos;
  (void)m_index->update(*m_database);
  auto pending = m_database->prepare("SELECT count(*) FROM search_pending");
  if (!pending) {
    return fail(pending.error());
  }
  if (auto row = pending->step(); !row) {
    return fail(row.error());
  }
  report.pending = pending->column_int(0);
  auto indexed = m_index->document_count();
  if (!indexed) {
    problems.push_back(indexed.error().message);
  } else {
    report.indexed = *indexed;
    auto active = m_database->prepare("SELECT count(*) FROM photos WHERE status = 'active'");
    if (!active) {
      return fail(active.error());
    }
    if (auto row = active->step(); !row) {
      return fail(row.error());
    }
    if (report.pending == 0 && active->column_int(0) != report.indexed) {
      problems.push_back("the search index holds " + std::to_string(report.indexed) +
                         " photos, the catalog " + std::to_string(active->column_int(0)) +
                         " (pressroom check --repair rebuilds it)");
    }
  }
  if (report.pending > 0) {
    problems.push_back(std::to_string(report.pending) +
                       " photos wait for the search index (another pressroom may be writing "
                       "it; pressroom check --repair rebuilds it)");
  }
  return report;
}

}  // namespace pressroom::catalog
