// The press office's edits, each one transaction with its audit rows, and the reading side.

#include <algorithm>
#include <set>

#include "audit.hpp"
#include "catalog/catalog.hpp"
#include "core/rights.hpp"
#include "core/text.hpp"
#include "database.hpp"
#include "records.hpp"
#include "search_index.hpp"
#include "values.hpp"

namespace pressroom::catalog {
namespace {

Result<void> require_photos(Database& database, const std::vector<std::int64_t>& photos) {
  if (photos.empty()) {
    return fail(Errc::invalid_input, "", "no photo given");
  }
  auto statement = database.prepare("SELECT 1 FROM photos WHERE id = ?1");
  if (!statement) {
    return fail(statement.error());
  }
  for (const auto id : photos) {
    statement->reset();
    if (auto bound = statement->bind(1, id); !bound) {
      return bound;
    }
    auto row = statement->step();
    if (!row) {
      return fail(row.error());
    }
    if (!*row) {
      return fail(Errc::not_found, std::to_string(id), "no photo with this id");
    }
  }
  return {};
}

// The id of the tag at `levels`, made with its ancestors when `create`; nullopt when it is
// not there and !create.
Result<std::optional<std::int64_t>> tag_id(Database& database,
                                           const std::vector<std::string>& levels, bool create) {
  auto find = database.prepare("SELECT id FROM tags WHERE folded_path = ?1");
  auto insert = database.prepare(
      "INSERT INTO tags (parent_id, name, path, folded_path) VALUES (?1, ?2, ?3, ?4) RETURNING id");
  if (!find || !insert) {
    return fail(!find ? find.error() : insert.error());
  }
  std::optional<std::int64_t> parent;
  std::string path;
  std::string folded;
  for (const auto& level : levels) {
    path += (path.empty() ? "" : "|") + level;
    folded += (folded.empty() ? "" : "|") + fold_for_search(level);
    find->reset();
    if (auto bound = find->bind(1, std::string_view(folded)); !bound) {
      return fail(bound.error());
    }
    auto row = find->step();
    if (!row) {
      return fail(row.error());
    }
    if (*row) {
      parent = find->column_int(0);
      continue;
    }
    if (!create) {
      return std::optional<std::int64_t>();
    }
    insert->reset();
    Result<void> bound = insert->bind(1, parent);
    if (bound) {
      bound = insert->bind(2, std::string_view(level));
    }
    if (bound) {
      bound = insert->bind(3, std::string_view(path));
    }
    if (bound) {
      bound = insert->bind(4, std::string_view(folded));
    }
    if (!bound) {
      return fail(bound.error());
    }
    auto inserted = insert->step();
    if (!inserted) {
      return fail(inserted.error());
    }
    parent = insert->column_int(0);
    insert->reset();
  }
  return parent;
}

Result<std::string> tag_path(Database& database, std::int64_t id) {
  auto statement = database.prepare("SELECT path FROM tags WHERE id = ?1");
  if (!statement) {
    return fail(statement.error());
  }
  if (auto bound = statement->bind(1, id); !bound) {
    return fail(bound.error());
  }
  auto row = statement->step();
  if (!row) {
    return fail(row.error());
  }
  return statement->column_text(0);
}

// Runs a statement with two integer parameters; returns how many rows it changed.
Result<int> run_pair(Database& database, Statement& statement, std::int64_t first,
                     std::int64_t second) {
  statement.reset();
  Result<void> bound = statement.bind(1, first);
  if (bound) {
    bound = statement.bind(2, second);
  }
  if (!bound) {
    return fail(bound.error());
  }
  if (auto done = statement.run(); !done) {
    return fail(done.error());
  }
  return sqlite3_changes(database.handle());
}

// The people of a photo in their order, as ids.
Result<std::vector<std::int64_t>> people_of(Database& database, std::int64_t photo) {
  auto statement = database.prepare(
      "SELECT person_id FROM photo_people WHERE photo_id = ?1 ORDER BY position, person_id");
  if (!statement) {
    return fail(statement.error());
  }
  if (auto bound = statement->bind(1, photo); !bound) {
    return fail(bound.error());
  }
  std::vector<std::int64_t> people;
  while (true) {
    auto row = statement->step();
    if (!row) {
      return fail(row.error());
    }
    if (!*row) {
      return people;
    }
    people.push_back(statement->column_int(0));
  }
}

// Replaces the people of a photo with `people`, numbered from 1 left to right.
Result<void> store_people(Database& database, std::int64_t photo,
                          const std::vector<std::int64_t>& people) {
  auto clear = database.prepare("DELETE FROM photo_people WHERE photo_id = ?1");
  if (!clear) {
    return fail(clear.error());
  }
  if (auto bound = clear->bind(1, photo); !bound) {
    return bound;
  }
  if (auto done = clear->run(); !done) {
    return done;
  }
  auto insert = database.prepare(
      "INSERT INTO photo_people (photo_id, person_id, position) VALUES (?1, ?2, ?3)");
  if (!insert) {
    return fail(insert.error());
  }
  std::int64_t position = 0;
  for (const auto person : people) {
    insert->reset();
    Result<void> bound = insert->bind(1, photo);
    if (bound) {
      bound = insert->bind(2, person);
    }
    if (bound) {
      bound = insert->bind(3, ++position);
    }
    if (!bound) {
      return bound;
    }
    if (auto done = insert->run(); !done) {
      return done;
    }
  }
  return {};
}

Result<std::string> person_name(Database& database, std::int64_t id) {
  auto statement = database.prepare("SELECT name FROM people WHERE id = ?1");
  if (!statement) {
    return fail(statement.error());
  }
  if (auto bound = statement->bind(1, id); !bound) {
    return fail(bound.error());
  }
  if (auto row = statement->step(); !row) {
    return fail(row.error());
  }
  return statement->column_text(0);
}

Result<std::optional<std::int64_t>> column_of_photo(Database& database, std::string_view column,
                                                    std::int64_t photo) {
  auto statement = database.prepare("SELECT " + std::string(column) + " FROM photos WHERE id = ?1");
  if (!statement) {
    return fail(statement.error());
  }
  if (auto bound = statement->bind(1, photo); !bound) {
    return fail(bound.error());
  }
  if (auto row = statement->step(); !row) {
    return fail(row.error());
  }
  return statement->column_optional_int(0);
}

Result<std::int64_t> licence_id(Database& database, const Licence& licence) {
  auto insert = database.prepare(
      "INSERT INTO licences (usage_terms, editorial_only, credit_required, valid_from, "
      "valid_until) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO NOTHING");
  auto find = database.prepare(
      "SELECT id FROM licences WHERE usage_terms = ?1 AND editorial_only = ?2 AND "
      "credit_required = ?3 AND valid_from IS ?4 AND valid_until IS ?5");
  if (!insert || !find) {
    return fail(!insert ? insert.error() : find.error());
  }
  for (auto* statement : {&*insert, &*find}) {
    Result<void> bound = statement->bind(1, std::string_view(licence.usage_terms));
    if (bound) {
      bound = statement->bind(2, std::int64_t{licence.editorial_only ? 1 : 0});
    }
    if (bound) {
      bound = statement->bind(3, std::int64_t{licence.credit_required ? 1 : 0});
    }
    if (bound) {
      bound = statement->bind(4, licence.valid_from);
    }
    if (bound) {
      bound = statement->bind(5, licence.valid_until);
    }
    if (!bound) {
      return fail(bound.error());
    }
  }
  if (auto done = insert->run(); !done) {
    return fail(done.error());
  }
  if (auto row = find->step(); !row || !*row) {
    return row ? fail(Errc::database, "licences", "the licence row vanished") : fail(row.error());
  }
  return find->column_int(0);
}

// What set_credit and set_licence share: every photo's `column` (credit_id, licence_id) made to
// point at row `id`, with an audit row "FIELD.set" for each photo that changed: `before` the
// row the photo pointed at, read by `read_row` (read_credit, read_licence) and described,
// `after` the description of row `id`.
template <class ReadRow>
Result<int> point_photos_at(Database& database, const std::vector<std::int64_t>& photos,
                            std::string_view column, std::int64_t id, std::string_view who,
                            std::string_view field, const std::string& after, ReadRow&& read_row) {
  const std::string action = std::string(field) + ".set";
  auto update =
      database.prepare("UPDATE photos SET " + std::string(column) + " = ?1 WHERE id = ?2");
  if (!update) {
    return fail(update.error());
  }
  int changed = 0;
  for (const auto photo : photos) {
    auto current = column_of_photo(database, column, photo);
    if (!current) {
      return fail(current.error());
    }
    if (*current == id) {
      continue;
    }
    auto before = read_row(database, *current);
    if (!before) {
      return fail(before.error());
    }
    if (auto rows = run_pair(database, *update, id, photo); !rows) {
      return fail(rows.error());
    }
    ++changed;
    const AuditEntry entry{
        .who = who,
        .action = action,
        .photo_id = photo,
        .release_id = std::nullopt,
        .field = field,
        .before = *before ? std::optional<std::string>(describe(**before)) : std::nullopt,
        .after = after};
    if (auto audited = write_audit(database, entry); !audited) {
      return fail(audited.error());
    }
  }
  return changed;
}

}  // namespace

Result<int> Catalog::add_tag(const std::vector<std::int64_t>& photos, std::string_view path,
                             std::string_view who) {
  auto levels = clean_tag_path(path);
  if (!levels) {
    return fail(levels.error());
  }
  int changed = 0;
  auto done = write([&]() -> Result<void> {
    if (auto exist = require_photos(*m_database, photos); !exist) {
      return exist;
    }
    auto tag = tag_id(*m_database, *levels, true);
    if (!tag) {
      return fail(tag.error());
    }
    auto stored_path = tag_path(*m_database, **tag);
    if (!stored_path) {
      return fail(stored_path.error());
    }
    auto insert =
        m_database->prepare("INSERT OR IGNORE INTO photo_tags (photo_id, tag_id) VALUES (?1, ?2)");
    if (!insert) {
      return fail(insert.error());
    }
    for (const auto photo : photos) {
      auto rows = run_pair(*m_database, *insert, photo, **tag);
      if (!rows) {
        return fail(rows.error());
      }
      if (*rows == 0) {
        continue;
      }
      ++changed;
      if (auto audited = write_audit(*m_database, AuditEntry{.who = who,
                                                             .action = "tag.add",
                                                             .photo_id = photo,
                                                             .release_id = std::nullopt,
                                                             .field = "tags",
                                                             .before = std::nullopt,
                                                             .after = *stored_path});
          !audited) {
        return audited;
      }
    }
    return {};
  });
  if (!done) {
    return fail(done.error());
  }
  return changed;
}

Result<int> Catalog::remove_tag(const std::vector<std::int64_t>& photos, std::string_view path,
                                std::string_view who) {
  auto levels = clean_tag_path(path);
  if (!levels) {
    return fail(levels.error());
  }
  int changed = 0;
  auto done = write([&]() -> Result<void> {
    if (auto exist = require_photos(*m_database, photos); !exist) {
      return exist;
    }
    auto tag = tag_id(*m_database, *levels, false);
    if (!tag) {
      return fail(tag.error());
    }
    if (!*tag) {
      return fail(Errc::not_found, std::string(path), "no such tag in the catalog");
    }
    auto stored_path = tag_path(*m_database, **tag);
    if (!stored_path) {
      return fail(stored_path.error());
    }
    auto remove = m_database->prepare("DELETE FROM photo_tags WHERE photo_id = ?1 AND tag_id = ?2");
    if (!remove) {
      return fail(remove.error());
    }
    for (const auto photo : photos) {
      auto rows = run_pair(*m_database, *remove, photo, **tag);
      if (!rows) {
        return fail(rows.error());
      }
      if (*rows == 0) {
        continue;
      }
      ++changed;
      if (auto audited = write_audit(*m_database, AuditEntry{.who = who,
                                                             .action = "tag.remove",
                                                             .photo_id = photo,
                                                             .release_id = std::nullopt,
                                                             .field = "tags",
                                                             .before = *stored_path,
                                                             .after = std::nullopt});
          !audited) {
        return audited;
      }
    }
    return {};
  });
  if (!done) {
    return fail(done.error());
  }
  return changed;
}

Result<int> Catalog::add_person(std::int64_t photo, std::string_view name,
                                std::optional<int> position, std::string_view who) {
  auto cleaned = clean_text(name, "the name", k_max_name_bytes);
  if (!cleaned) {
    return fail(cleaned.error());
  }
  if (position && (*position < 1 || *position > 1000)) {
    return fail(Errc::invalid_input, std::to_string(*position),
                "a position counts from 1 (leftmost)");
  }
  int changed = 0;
  auto done = write([&]() -> Result<void> {
    if (auto exist = require_photos(*m_database, {photo}); !exist) {
      return exist;
    }
    auto person = person_id(*m_database, *cleaned);
    auto people = people_of(*m_database, photo);
    if (!person || !people) {
      return fail(!person ? person.error() : people.error());
    }
    const std::vector<std::int64_t> before = *people;
    std::erase(*people, *person);
    const auto at = std::min<std::size_t>(
        position ? static_cast<std::size_t>(*position - 1) : people->size(), people->size());
    people->insert(people->begin() + static_cast<std::ptrdiff_t>(at), *person);
    if (*people == before) {
      return {};
    }
    if (auto stored = store_people(*m_database, photo, *people); !stored) {
      return stored;
    }
    auto stored_name = person_name(*m_database, *person);
    if (!stored_name) {
      return fail(stored_name.error());
    }
    changed = 1;
    return write_audit(*m_database, AuditEntry{.who = who,
                                               .action = "person.add",
                                               .photo_id = photo,
                                               .release_id = std::nullopt,
                                               .field = "people",
                                               .before = std::nullopt,
                                               .after = *stored_name + " (position " +
                                                        std::to_string(at + 1) + ")"});
  });
  if (!done) {
    return fail(done.error());
  }
  return changed;
}

Result<int> Catalog::remove_person(std::int64_t photo, std::string_view name,
                                   std::string_view who) {
  auto cleaned = clean_text(name, "the name", k_max_name_bytes);
  if (!cleaned) {
    return fail(cleaned.error());
  }
  auto done = write([&]() -> Result<void> {
    if (auto exist = require_photos(*m_database, {photo}); !exist) {
      return exist;
    }
    auto person = find_person(*m_database, *cleaned);
    auto people = people_of(*m_database, photo);
    if (!person || !people) {
      return fail(!person ? person.error() : people.error());
    }
    if (!*person || std::find(people->begin(), people->end(), **person) == people->end()) {
      return fail(Errc::not_found, *cleaned,
                  "photo " + std::to_string(photo) + " does not show this person");
    }
    auto stored_name = person_name(*m_database, **person);
    if (!stored_name) {
      return fail(stored_name.error());
    }
    std::erase(*people, **person);
    if (auto stored = store_people(*m_database, photo, *people); !stored) {
      return stored;
    }
    return write_audit(*m_database, AuditEntry{.who = who,
                                               .action = "person.remove",
                                               .photo_id = photo,
                                               .release_id = std::nullopt,
                                               .field = "people",
                                               .before = *stored_name,
                                               .after = std::nullopt});
  });
  if (!done) {
    return fail(done.error());
  }
  return 1;
}

Result<int> Catalog::set_credit(const std::vector<std::int64_t>& photos,
                                std::string_view photographer, std::string_view rights_holder,
                                std::string_view who) {
  auto clean_photographer = clean_text(photographer, "the photographer", k_max_name_bytes, true);
  auto clean_holder = clean_text(rights_holder, "the rights holder", k_max_name_bytes, true);
  if (!clean_photographer || !clean_holder) {
    return fail(!clean_photographer ? clean_photographer.error() : clean_holder.error());
  }
  if (clean_photographer->empty() && clean_holder->empty()) {
    return fail(Errc::invalid_input, "", "a credit needs a photographer or a rights holder");
  }
  int changed = 0;
  auto done = write([&]() -> Result<void> {
    if (auto exist = require_photos(*m_database, photos); !exist) {
      return exist;
    }
    auto id = credit_id(*m_database, *clean_photographer, *clean_holder, "");
    if (!id) {
      return fail(id.error());
    }
    auto after = read_credit(*m_database, *id);
    if (!after) {
      return fail(after.error());
    }
    auto count = point_photos_at(*m_database, photos, "credit_id", *id, who, "credit",
                                 describe(**after), read_credit);
    if (!count) {
      return fail(count.error());
    }
    changed = *count;
    return {};
  });
  if (!done) {
    return fail(done.error());
  }
  return changed;
}

Result<int> Catalog::set_licence(const std::vector<std::int64_t>& photos, const Licence& licence,
                                 std::string_view who) {
  auto terms = clean_text(licence.usage_terms, "the usage terms", k_max_usage_terms_bytes);
  if (!terms) {
    return fail(terms.error());
  }
  for (const auto* date : {&licence.valid_from, &licence.valid_until}) {
    if (*date && !is_iso_date(**date)) {
      return fail(Errc::invalid_input, **date, "not a date in the form YYYY-MM-DD");
    }
  }
  if (licence.valid_from && licence.valid_until && *licence.valid_until < *licence.valid_from) {
    return fail(Errc::invalid_input, *licence.valid_until,
                "the licence would end before it begins (" + *licence.valid_from + ")");
  }
  Licence cleaned = licence;
  cleaned.usage_terms = *terms;
  int changed = 0;
  auto done = write([&]() -> Result<void> {
    if (auto exist = require_photos(*m_database, photos); !exist) {
      return exist;
    }
    auto id = licence_id(*m_database, cleaned);
    if (!id) {
      return fail(id.error());
    }
    auto count = point_photos_at(*m_database, photos, "licence_id", *id, who, "licence",
                                 describe(cleaned), read_licence);
    if (!count) {
      return fail(count.error());
    }
    changed = *count;
    return {};
  });
  if (!done) {
    return fail(done.error());
  }
  return changed;
}

Result<int> Catalog::set_caption(std::int64_t photo, std::string_view caption,
                                 std::string_view who) {
  auto cleaned = clean_text(caption, "the caption", k_max_caption_bytes);
  if (!cleaned) {
    return fail(cleaned.error());
  }
  int changed = 0;
  auto done = write([&]() -> Result<void> {
    auto details_before = details(photo);
    if (!details_before) {
      return fail(details_before.error());
    }
    if (details_before->caption_edited && details_before->caption == *cleaned) {
      return {};
    }
    auto update = m_database->prepare("UPDATE photos SET caption = ?1 WHERE id = ?2");
    if (!update) {
      return fail(update.error());
    }
    Result<void> bound = update->bind(1, std::string_view(*cleaned));
    if (bound) {
      bound = update->bind(2, photo);
    }
    if (!bound) {
      return bound;
    }
    if (auto ran = update->run(); !ran) {
      return ran;
    }
    changed = 1;
    return write_audit(*m_database, AuditEntry{.who = who,
                                               .action = "caption.set",
                                               .photo_id = photo,
                                               .release_id = std::nullopt,
                                               .field = "caption",
                                               .before = details_before->caption,
                                               .after = *cleaned});
  });
  if (!done) {
    return fail(done.error());
  }
  return changed;
}

Result<PhotoDetails> Catalog::details(std::int64_t photo) {
  auto found = find_by_id(photo);
  if (!found) {
    return fail(found.error());
  }
  if (!*found) {
    return fail(Errc::not_found, std::to_string(photo), "no photo with this id");
  }
  PhotoDetails details;
  details.photo = std::move(**found);
  auto row = m_database->prepare(
      "SELECT caption, headline, place, status, credit_id, licence_id FROM photos WHERE id = ?1");
  if (!row) {
    return fail(row.error());
  }
  if (auto bound = row->bind(1, photo); !bound) {
    return fail(bound.error());
  }
  if (auto stepped = row->step(); !stepped) {
    return fail(stepped.error());
  }
  const auto caption = row->column_optional_text(0);
  details.headline = row->column_optional_text(1);
  details.place = row->column_optional_text(2);
  details.status = row->column_text(3);
  auto credit = read_credit(*m_database, row->column_optional_int(4));
  auto licence = read_licence(*m_database, row->column_optional_int(5));
  auto entries = read_entries(*m_database, "entries.photo_id = ?1", photo);
  if (!credit || !licence || !entries) {
    return fail(!credit ? credit.error() : !licence ? licence.error() : entries.error());
  }
  details.credit = std::move(*credit);
  details.licence = std::move(*licence);
  details.entries = std::move(*entries);
  details.caption_edited = caption.has_value();
  if (caption) {
    details.caption = *caption;
  } else if (!details.entries.empty()) {
    details.caption = details.entries.front().caption;
  }
  auto tags = m_database->prepare(
      "SELECT tags.path FROM photo_tags JOIN tags ON tags.id = photo_tags.tag_id "
      "WHERE photo_tags.photo_id = ?1 ORDER BY tags.folded_path");
  auto people = m_database->prepare(
      "SELECT people.name, photo_people.position FROM photo_people JOIN people ON people.id = "
      "photo_people.person_id WHERE photo_people.photo_id = ?1 ORDER BY photo_people.position");
  if (!tags || !people) {
    return fail(!tags ? tags.error() : people.error());
  }
  for (auto* statement : {&*tags, &*people}) {
    if (auto bound = statement->bind(1, photo); !bound) {
      return fail(bound.error());
    }
    while (true) {
      auto next = statement->step();
      if (!next) {
        return fail(next.error());
      }
      if (!*next) {
        break;
      }
      if (statement == &*tags) {
        details.tags.push_back(statement->column_text(0));
      } else {
        details.people.push_back(
            PersonShown{statement->column_text(0), static_cast<int>(statement->column_int(1))});
      }
    }
  }
  return details;
}

Result<std::vector<AuditRecord>> Catalog::history(std::int64_t photo) {
  auto statement = m_database->prepare(
      "SELECT id, at, who, action, photo_id, release_id, ifnull(field, ''), before, after "
      "FROM audit_log WHERE photo_id = ?1 ORDER BY id");
  if (!statement) {
    return fail(statement.error());
  }
  if (auto bound = statement->bind(1, photo); !bound) {
    return fail(bound.error());
  }
  std::vector<AuditRecord> records;
  while (true) {
    auto row = statement->step();
    if (!row) {
      return fail(row.error());
    }
    if (!*row) {
      return records;
    }
    records.push_back(
        AuditRecord{statement->column_int(0), statement->column_text(1), statement->column_text(2),
                    statement->column_text(3), statement->column_optional_int(4),
                    statement->column_optional_int(5), statement->column_text(6),
                    statement->column_optional_text(7), statement->column_optional_text(8)});
  }
}

Result<std::vector<std::int64_t>> Catalog::resolve_photos(const std::vector<std::string>& names) {
  std::vector<std::int64_t> ids;
  std::set<std::int64_t> seen;
  const auto add = [&](std::int64_t id) {
    if (seen.insert(id).second) {
      ids.push_back(id);
    }
  };
  for (const auto& name : names) {
    if (!name.empty() && name.front() == '@') {
      auto saved = m_database->prepare(
          "SELECT (SELECT 1 FROM saved_searches WHERE name = ?1), photo_id "
          "FROM (SELECT 1) LEFT JOIN saved_search_photos ON saved_search_photos.name = ?1 "
          "ORDER BY position");
      if (!saved) {
        return fail(saved.error());
      }
      if (auto bound = saved->bind(1, std::string_view(name).substr(1)); !bound) {
        return fail(bound.error());
      }
      while (true) {
        auto row = saved->step();
        if (!row) {
          return fail(row.error());
        }
        if (!*row) {
          break;
        }
        if (!saved->column_optional_int(0)) {
          return fail(Errc::not_found, name, "no saved search of this name");
        }
        if (auto id = saved->column_optional_int(1)) {
          add(*id);
        }
      }
      continue;
    }
    auto photo = lookup(name);
    if (!photo) {
      return fail(photo.error());
    }
    add(photo->id);
  }
  return ids;
}

Result<std::int64_t> Catalog::save_search(std::string_view name, const SearchQuery& query,
                                          std::string_view who) {
  auto cleaned = clean_text(name, "the name of the saved search", 100);
  if (!cleaned) {
    return fail(cleaned.error());
  }
  if (cleaned->find_first_of(" @") != std::string::npos) {
    return fail(Errc::invalid_input, *cleaned,
                "a saved search's name has no spaces and does not start with @");
  }
  SearchQuery all = query;
  all.offset = 0;
  all.limit = 100'000;
  auto found = search(all);
  if (!found) {
    return fail(found.error());
  }
  auto done = write([&]() -> Result<void> {
    auto replace =
        m_database->prepare("INSERT OR REPLACE INTO saved_searches (name, query) VALUES (?1, ?2)");
    auto clear = m_database->prepare("DELETE FROM saved_search_photos WHERE name = ?1");
    auto insert = m_database->prepare(
        "INSERT INTO saved_search_photos (name, position, photo_id) "
        "SELECT ?1, ?2, id FROM photos WHERE id = ?3");
    if (!replace || !clear || !insert) {
      return fail(!replace ? replace.error() : !clear ? clear.error() : insert.error());
    }
    Result<void> bound = clear->bind(1, std::string_view(*cleaned));
    if (bound) {
      bound = clear->run();
    }
    if (bound) {
      bound = replace->bind(1, std::string_view(*cleaned));
    }
    if (bound) {
      bound = replace->bind(2, std::string_view(query.text));
    }
    if (bound) {
      bound = replace->run();
    }
    std::int64_t position = 0;
    for (const auto& hit : found->hits) {
      if (!bound) {
        break;
      }
      insert->reset();
      bound = insert->bind(1, std::string_view(*cleaned));
      if (bound) {
        bound = insert->bind(2, ++position);
      }
      if (bound) {
        bound = insert->bind(3, hit.photo_id);
      }
      if (bound) {
        bound = insert->run();
      }
    }
    if (!bound) {
      return bound;
    }
    return write_audit(*m_database, AuditEntry{.who = who,
                                               .action = "search.save",
                                               .photo_id = std::nullopt,
                                               .release_id = std::nullopt,
                                               .field = *cleaned,
                                               .before = std::nullopt,
                                               .after = query.text});
  });
  if (!done) {
    return fail(done.error());
  }
  return static_cast<std::int64_t>(found->hits.size());
}

}  // namespace pressroom::catalog
