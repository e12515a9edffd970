#include "catalog/catalog.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <string>

#include "audit.hpp"
#include "core/rights.hpp"
#include "core/text.hpp"
#include "database.hpp"
#include "migrations.hpp"
#include "search_index.hpp"
#include "values.hpp"

namespace pressroom::catalog {
namespace {

// A person's folded name with the punctuation between words made spaces, so that
// "marc-andre hergenroder" has the whole words "marc", "andre" and "hergenroder".
constexpr std::string_view k_photo_columns =
    "id, sha256, type, byte_size, width, height, orientation, date_taken, date_taken_offset, "
    "camera_make, camera_model, original_name, imported_from, imported_at, perceptual_hash";

// The body of Catalog::fill_missing_perceptual_hashes() and replace_perceptual_hashes(), in
// their transaction. The UPDATE's condition leaves a row alone when it would not change: its
// trigger would queue the photo for the search index for nothing. That leaves "no row changed"
// ambiguous, so the photo's existence is a query of its own.
Result<void> store_perceptual_hashes(
    Database& database, const std::vector<std::pair<std::int64_t, std::uint64_t>>& hashes,
    bool replace) {
  auto exists = database.prepare("SELECT 1 FROM photos WHERE id = ?1");
  if (!exists) {
    return fail(exists.error());
  }
  auto update = database.prepare(
      replace ? "UPDATE photos SET perceptual_hash = ?1 WHERE id = ?2 AND perceptual_hash IS NOT ?1"
              : "UPDATE photos SET perceptual_hash = ?1 WHERE id = ?2 AND perceptual_hash IS NULL");
  if (!update) {
    return fail(update.error());
  }
  for (const auto& [id, hash] : hashes) {
    if (auto bound = exists->bind(1, id); !bound) {
      return bound;
    }
    auto found = exists->step();
    exists->reset();
    if (!found) {
      return fail(found.error());
    }
    if (!*found) {
      return fail(Errc::not_found, std::to_string(id), "no photo has this id");
    }
    Result<void> bound = update->bind(1, std::string_view(to_hex16(hash)));
    if (bound) {
      bound = update->bind(2, id);
    }
    if (bound) {
      bound = update->run();
    }
    update->reset();
    if (!bound) {
      return bound;
    }
  }
  return {};
}

Photo photo_from_row(const Statement& row) {
  Photo photo;
  photo.id = row.column_int(0);
  photo.sha256 = row.column_text(1);
  photo.type = image_type_from_string(row.column_text(2)).value_or(ImageType::jpeg);
  photo.byte_size = static_cast<std::uint64_t>(row.column_int(3));
  photo.width = static_cast<int>(row.column_int(4));
  photo.height = static_cast<int>(row.column_int(5));
  photo.orientation = static_cast<int>(row.column_int(6));
  photo.date_taken = row.column_optional_text(7);
  photo.date_taken_offset = row.column_optional_text(8);
  photo.camera_make = row.column_optional_text(9);
  photo.camera_model = row.column_optional_text(10);
  photo.original_name = row.column_text(11);
  photo.imported_from = row.column_text(12);
  photo.imported_at = row.column_text(13);
  // Stored by to_hex16() (see there why as text); a value that is not one reads as none.
  if (const auto hash = row.column_optional_text(14)) {
    photo.perceptual_hash = from_hex16(*hash);
  }
  return photo;
}

Result<int> user_version(Database& database) {
  auto statement = database.prepare("PRAGMA user_version");
  if (!statement) {
    return fail(statement.error());
  }
  auto row = statement->step();
  if (!row) {
    return fail(row.error());
  }
  return static_cast<int>(statement->column_int(0));
}

// The first row that breaks a foreign key, described; "" when none does.
Result<std::string> foreign_key_violation(Database& database) {
  auto statement = database.prepare("PRAGMA foreign_key_check");
  if (!statement) {
    return fail(statement.error());
  }
  auto row = statement->step();
  if (!row) {
    return fail(row.error());
  }
  if (!*row) {
    return std::string();
  }
  return "row " + std::to_string(statement->column_int(1)) + " of " + statement->column_text(0) +
         " refers to a missing row of " + statement->column_text(2);
}

Result<int> migrate(Database& database) {
  auto version = user_version(database);
  if (!version) {
    return version;
  }
  const auto steps = migrations();
  const int latest = static_cast<int>(steps.size());
  if (*version > latest) {
    return fail(Errc::database, database.name(),
                "the catalog has schema version " + std::to_string(*version) +
                    ", newer than this pressroom knows (" + std::to_string(latest) +
                    "); use a newer pressroom");
  }
  if (*version == latest) {
    return latest;
  }
  // A migration that rebuilds a table (SQLite cannot change a CHECK in place) drops the old one;
  // with foreign keys enforced, that DROP would delete every row that refers to it (ON DELETE
  // CASCADE). SQLite's procedure (lang_altertable.html, "Making Other Kinds Of Table Schema
  // Changes"): enforcement off outside the transaction, foreign_key_check before each commit.
  if (auto off = database.execute("PRAGMA foreign_keys = OFF"); !off) {
    return fail(off.error());
  }
  Result<void> upgraded;
  for (int next = *version + 1; next <= latest && upgraded.has_value(); ++next) {
    upgraded = database.transaction([&]() -> Result<void> {
      if (auto done = database.execute(steps[static_cast<std::size_t>(next - 1)]); !done) {
        return done;
      }
      if (auto broken = foreign_key_violation(database); !broken || !broken->empty()) {
        return broken ? fail(Errc::database, database.name(), *broken) : fail(broken.error());
      }
      return database.execute("PRAGMA user_version = " + std::to_string(next));
    });
    if (!upgraded) {
      upgraded = fail(Errc::database, database.name(),
                      "cannot upgrade the catalog to schema version " + std::to_string(next) +
                          ": " + upgraded.error().message);
    }
  }
  if (auto on = database.execute("PRAGMA foreign_keys = ON"); !on && upgraded.has_value()) {
    upgraded = fail(on.error());
  }
  if (!upgraded) {
    return fail(upgraded.error());
  }
  return latest;
}

Result<std::int64_t> insert_photo(Database& database, const Photo& photo);

bool is_hex(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c)) != 0 || (c >= 'a' && c <= 'f');
  });
}

}  // namespace

int Catalog::latest_schema_version() {
  return static_cast<int>(migrations().size());
}

Catalog::Catalog(std::unique_ptr<Database> database, std::unique_ptr<SearchIndex> index,
                 int schema_version)
    : m_database(std::move(database)),
      m_index(std::move(index)),
      m_schema_version(schema_version) {}
Catalog::Catalog(Catalog&&) noexcept = default;
Catalog& Catalog::operator=(Catalog&&) noexcept = default;
Catalog::~Catalog() = default;

Result<Catalog> Catalog::open(const std::filesystem::path& file, bool create) {
  auto database = Database::open(
      file, create ? Database::Mode::create_if_missing : Database::Mode::open_existing);
  if (!database) {
    return fail(database.error());
  }
  // WAL: readers (list, show, later the web UI) never wait for an import's writes. FULL:
  // a committed import survives a power cut, which the press office's data is worth.
  // foreign_keys for the tables that later migrations add.
  if (auto set = database->execute(
          "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;");
      !set) {
    return fail(Errc::database, file.string(), "cannot open the catalog: " + set.error().message);
  }
  auto version = migrate(*database);
  if (!version) {
    return fail(version.error());
  }
  auto owned = std::make_unique<Database>(std::move(*database));
  // The search index lives beside the file: catalog.sqlite → catalog.sqlite-search/.
  std::filesystem::path index_directory;
  if (file != ":memory:") {
    index_directory = file;
    index_directory += "-search";
  }
  auto index = SearchIndex::open(*owned, index_directory);
  if (!index) {
    return fail(index.error());
  }
  Catalog catalog(std::move(owned), std::move(*index), *version);
  // Catch up with what a crash or another process left pending; a locked index is not an
  // error (its writer catches up), a failing one is reported by `check`.
  (void)catalog.update_search_index();
  return catalog;
}

Result<void> Catalog::write(const std::function<Result<void>()>& body) {
  auto done = m_database->transaction(body);
  if (!done) {
    return done;
  }
  // The change is committed; an index that fails now only delays search (check reports it).
  (void)m_index->update(*m_database);
  return {};
}

Result<void> Catalog::fill_missing_perceptual_hashes(
    const std::vector<std::pair<std::int64_t, std::uint64_t>>& hashes) {
  return write([&] { return store_perceptual_hashes(*m_database, hashes, false); });
}

Result<void> Catalog::replace_perceptual_hashes(
    const std::vector<std::pair<std::int64_t, std::uint64_t>>& hashes) {
  return write([&] { return store_perceptual_hashes(*m_database, hashes, true); });
}

Result<void> Catalog::update_search_index() {
  return m_index->update(*m_database);
}

Result<void> Catalog::rebuild_search_index() {
  return m_index->rebuild(*m_database);
}

Result<SearchPage> Catalog::search(const SearchQuery& query) {
  if (query.limit < 0 || query.offset < 0 || query.limit > 100'000) {
    return fail(Errc::invalid_input, std::to_string(query.limit),
                "a page holds 0 to 100000 photos, from an offset of 0 or more");
  }
  for (const auto* date : {&query.date_from, &query.date_to, &query.today}) {
    if (!date->empty() && !is_iso_date(*date)) {
      return fail(Errc::invalid_input, *date, "not a date in the form YYYY-MM-DD");
    }
  }
  if (!is_clean_utf8(query.text)) {
    return fail(Errc::invalid_input, query.text.substr(0, 60),
                "the search query is not UTF-8 text");
  }
  (void)m_index->update(*m_database);
  auto people = people_named(query.person);
  if (!people) {
    return fail(people.error());
  }
  if (!query.person.empty() && people->empty()) {
    return SearchPage{};  // nobody of that name is shown anywhere
  }
  return m_index->search(query, *people);
}

Result<std::vector<std::int64_t>> Catalog::people_named(std::string_view name) {
  std::vector<std::int64_t> ids;
  const auto words = name_words(fold_for_search(name));
  if (words.empty()) {
    return ids;
  }
  // The people who have every word (person_words, kept by a trigger), through its index. A
  // word may have its umlauts spelled out: "hergenroeder" is also looked up as "hergenroder".
  std::string sql;
  std::vector<std::string> values;
  for (std::size_t i = 0; i < words.size(); ++i) {
    values.push_back(words[i]);
    values.push_back(umlauts_written_back(words[i]));
    sql += (i == 0 ? "" : " INTERSECT ");
    sql += "SELECT person_id FROM person_words WHERE word IN (?" +
           std::to_string(values.size() - 1) + ", ?" + std::to_string(values.size()) + ")";
  }
  auto statement = m_database->prepare(sql);
  if (!statement) {
    return fail(statement.error());
  }
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (auto bound = statement->bind(static_cast<int>(i + 1), std::string_view(values[i]));
        !bound) {
      return fail(bound.error());
    }
  }
  while (true) {
    auto row = statement->step();
    if (!row) {
      return fail(row.error());
    }
    if (!*row) {
      return ids;
    }
    ids.push_back(statement->column_int(0));
  }
}

Result<std::string> Catalog::journal_mode() {
  auto statement = m_database->prepare("PRAGMA journal_mode");
  if (!statement) {
    return fail(statement.error());
  }
  if (auto row = statement->step(); !row) {
    return fail(row.error());
  }
  return statement->column_text(0);
}

Result<std::int64_t> Catalog::add_photo(const Photo& photo, std::string_view who) {
  std::int64_t id = 0;
  auto added = write([&]() -> Result<void> {
    auto inserted = insert_photo(*m_database, photo);
    if (!inserted) {
      return fail(inserted.error());
    }
    id = *inserted;
    return write_audit(*m_database, AuditEntry{.who = who,
                                               .action = "photo.add",
                                               .photo_id = id,
                                               .release_id = std::nullopt,
                                               .field = "sha256",
                                               .before = std::nullopt,
                                               .after = photo.sha256});
  });
  if (!added) {
    return fail(added.error());
  }
  return id;
}

namespace {

Result<std::int64_t> insert_photo(Database& database, const Photo& photo) {
  auto statement = database.prepare(
      "INSERT INTO photos (sha256, type, byte_size, width, height, orientation, date_taken, "
      "date_taken_offset, camera_make, camera_model, original_name, imported_from, "
      "perceptual_hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) "
      "RETURNING id");
  if (!statement) {
    return fail(statement.error());
  }
  Result<void> bound = statement->bind(1, std::string_view(photo.sha256));
  const auto bind_next = [&](int index, const auto& value) {
    if (bound) {
      bound = statement->bind(index, value);
    }
  };
  bind_next(2, to_string(photo.type));
  bind_next(3, static_cast<std::int64_t>(photo.byte_size));
  bind_next(4, static_cast<std::int64_t>(photo.width));
  bind_next(5, static_cast<std::int64_t>(photo.height));
  bind_next(6, static_cast<std::int64_t>(photo.orientation));
  bind_next(7, photo.date_taken);
  bind_next(8, photo.date_taken_offset);
  bind_next(9, photo.camera_make);
  bind_next(10, photo.camera_model);
  bind_next(11, std::string_view(photo.original_name));
  bind_next(12, std::string_view(photo.imported_from));
  bind_next(13, photo.perceptual_hash ? std::optional<std::string>(to_hex16(*photo.perceptual_hash))
                                      : std::nullopt);
  if (!bound) {
    return fail(bound.error());
  }
  if (auto done = statement->step(); !done) {
    if (sqlite3_extended_errcode(database.handle()) == SQLITE_CONSTRAINT_UNIQUE) {
      return fail(Errc::invalid_input, photo.sha256, "the catalog has this photo already");
    }
    return fail(done.error());
  }
  return statement->column_int(0);
}

}  // namespace

Result<std::vector<Photo>> Catalog::query_photos(std::string_view where, std::string_view value) {
  std::string sql = "SELECT " + std::string(k_photo_columns) + " FROM photos";
  if (!where.empty()) {
    sql += " WHERE " + std::string(where);
  }
  sql += " ORDER BY id";
  auto statement = m_database->prepare(sql);
  if (!statement) {
    return fail(statement.error());
  }
  if (!where.empty()) {
    if (auto bound = statement->bind(1, value); !bound) {
      return fail(bound.error());
    }
  }
  std::vector<Photo> photos;
  while (true) {
    auto row = statement->step();
    if (!row) {
      return fail(row.error());
    }
    if (!*row) {
      break;
    }
    photos.push_back(photo_from_row(*statement));
  }
  return photos;
}

Result<std::optional<Photo>> Catalog::find_one(std::string_view where, std::string_view value) {
  auto found = query_photos(where, value);
  if (!found) {
    return fail(found.error());
  }
  if (found->empty()) {
    return std::optional<Photo>();
  }
  return std::optional<Photo>(std::move(found->front()));
}

Result<std::optional<Photo>> Catalog::find_by_sha256(std::string_view sha256) {
  return find_one("sha256 = ?1", sha256);
}

Result<std::optional<Photo>> Catalog::find_by_id(std::int64_t id) {
  return find_one("id = CAST(?1 AS INTEGER)", std::to_string(id));
}

Result<Photo> Catalog::lookup(std::string_view id_or_hash) {
  const std::string subject(id_or_hash);
  const bool all_digits = !id_or_hash.empty() && id_or_hash.size() <= 18 &&
                          std::all_of(id_or_hash.begin(), id_or_hash.end(), [](char c) {
                            return std::isdigit(static_cast<unsigned char>(c)) != 0;
                          });
  if (all_digits) {
    std::int64_t id = 0;
    std::from_chars(id_or_hash.data(), id_or_hash.data() + id_or_hash.size(), id);
    auto found = find_by_id(id);
    if (!found) {
      return fail(found.error());
    }
    if (*found) {
      return std::move(**found);
    }
  }
  if (id_or_hash.size() < 6 || id_or_hash.size() > 64 || !is_hex(id_or_hash)) {
    if (all_digits) {
      return fail(Errc::not_found, subject, "no photo with this id");
    }
    return fail(Errc::invalid_input, subject,
                "not a photo id or a sha256 (or a prefix of at least 6 lowercase hex digits)");
  }
  // substr() rather than LIKE: a prefix is matched literally, whatever it contains.
  auto found = query_photos("substr(sha256, 1, length(?1)) = ?1", id_or_hash);
  if (!found) {
    return fail(found.error());
  }
  if (found->empty()) {
    return fail(Errc::not_found, subject, "no photo with this id or hash");
  }
  if (found->size() > 1) {
    return fail(
        Errc::invalid_input, subject,
        "the prefix matches " + std::to_string(found->size()) + " photos; give more digits");
  }
  return std::move(found->front());
}

Result<std::vector<Photo>> Catalog::photos() {
  return query_photos("", "");
}

Result<std::int64_t> Catalog::photo_count() {
  auto statement = m_database->prepare("SELECT count(*) FROM photos");
  if (!statement) {
    return fail(statement.error());
  }
  if (auto row = statement->step(); !row) {
    return fail(row.error());
  }
  return statement->column_int(0);
}

}  // namespace pressroom::catalog
