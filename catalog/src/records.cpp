#include "records.hpp"

#include <nlohmann/json.hpp>

#include "audit.hpp"
#include "core/rights.hpp"
#include "core/text.hpp"
#include "values.hpp"

namespace pressroom::catalog {
namespace {

std::vector<std::string> json_strings(const std::string& text) {
  std::vector<std::string> out;
  const auto parsed = nlohmann::json::parse(text, nullptr, false);
  if (parsed.is_array()) {
    for (const auto& item : parsed) {
      if (item.is_string()) {
        out.push_back(item.get<std::string>());
      }
    }
  }
  return out;
}

Result<std::optional<std::int64_t>> single_id(Statement& statement) {
  auto row = statement.step();
  if (!row) {
    return fail(row.error());
  }
  if (!*row) {
    return std::optional<std::int64_t>();
  }
  return std::optional<std::int64_t>(statement.column_int(0));
}

}  // namespace

Result<std::vector<EntryRecord>> read_entries(Database& database, std::string_view where,
                                              std::int64_t id, std::string_view order) {
  auto statement = database.prepare(
      "SELECT entries.id, entries.release_id, entries.position, entries.photo_id, "
      "entries.caption, entries.credit, entries.credit_rights_holder, "
      "entries.credit_photographer, entries.people, entries.url, entries.licence_note, "
      "entries.warnings, entries.tags, (SELECT title FROM release_texts WHERE release_id = "
      "entries.release_id "
      "ORDER BY language != 'de', language LIMIT 1), releases.date "
      "FROM entries JOIN releases ON releases.id = entries.release_id WHERE " +
      std::string(where) + std::string(order));
  if (!statement) {
    return fail(statement.error());
  }
  if (auto bound = statement->bind(1, id); !bound) {
    return fail(bound.error());
  }
  std::vector<EntryRecord> entries;
  while (true) {
    auto row = statement->step();
    if (!row) {
      return fail(row.error());
    }
    if (!*row) {
      return entries;
    }
    EntryRecord entry;
    entry.id = statement->column_int(0);
    entry.release_id = statement->column_int(1);
    entry.position = static_cast<int>(statement->column_int(2));
    entry.photo_id = statement->column_optional_int(3);
    entry.caption = statement->column_text(4);
    entry.credit = statement->column_text(5);
    entry.credit_rights_holder = statement->column_text(6);
    entry.credit_photographer = statement->column_text(7);
    entry.people = json_strings(statement->column_text(8));
    entry.url = statement->column_text(9);
    entry.licence_note = statement->column_text(10);
    entry.warnings = json_strings(statement->column_text(11));
    entry.tags = json_strings(statement->column_text(12));
    entry.release_title = statement->column_text(13);
    entry.release_date = statement->column_optional_text(14);
    entries.push_back(std::move(entry));
  }
}

Result<std::optional<std::int64_t>> find_person(Database& database, std::string_view name) {
  auto exact = database.prepare("SELECT id FROM people WHERE name = ?1");
  if (!exact) {
    return fail(exact.error());
  }
  const std::string nfc = to_nfc(name);
  if (auto bound = exact->bind(1, std::string_view(nfc)); !bound) {
    return fail(bound.error());
  }
  auto found = single_id(*exact);
  if (!found || *found) {
    return found;
  }
  auto folded = database.prepare("SELECT id FROM people WHERE folded_name = ?1 LIMIT 2");
  if (!folded) {
    return fail(folded.error());
  }
  const std::string key = fold_for_search(nfc);
  if (auto bound = folded->bind(1, std::string_view(key)); !bound) {
    return fail(bound.error());
  }
  auto first = single_id(*folded);
  if (!first || !*first) {
    return first;
  }
  auto second = single_id(*folded);
  if (!second) {
    return second;
  }
  if (*second) {
    return fail(Errc::invalid_input, std::string(name),
                "more than one person has this name but for accents or case; write it exactly");
  }
  return first;
}

Result<std::int64_t> person_id(Database& database, std::string_view name) {
  auto found = find_person(database, name);
  if (!found) {
    return fail(found.error());
  }
  if (*found) {
    return **found;
  }
  auto insert =
      database.prepare("INSERT INTO people (name, folded_name) VALUES (?1, ?2) RETURNING id");
  if (!insert) {
    return fail(insert.error());
  }
  const std::string folded = fold_for_search(name);
  Result<void> bound = insert->bind(1, name);
  if (bound) {
    bound = insert->bind(2, std::string_view(folded));
  }
  if (!bound) {
    return fail(bound.error());
  }
  auto row = insert->step();
  if (!row) {
    return fail(row.error());
  }
  return insert->column_int(0);
}

Result<std::int64_t> credit_id(Database& database, std::string_view photographer,
                               std::string_view rights_holder, std::string_view line) {
  std::optional<std::int64_t> photographer_id;
  if (!photographer.empty()) {
    auto id = person_id(database, photographer);
    if (!id) {
      return fail(id.error());
    }
    photographer_id = *id;
  }
  const std::optional<std::string> holder =
      rights_holder.empty() ? std::nullopt : std::optional<std::string>(rights_holder);
  const std::string credit_text =
      line.empty() ? credit_line(rights_holder, photographer) : std::string(line);
  auto find = database.prepare(
      "SELECT id FROM credits WHERE photographer_id IS ?1 AND rights_holder IS ?2 AND "
      "credit_line = ?3");
  if (!find) {
    return fail(find.error());
  }
  Result<void> bound = find->bind(1, photographer_id);
  if (bound) {
    bound = find->bind(2, holder);
  }
  if (bound) {
    bound = find->bind(3, std::string_view(credit_text));
  }
  if (!bound) {
    return fail(bound.error());
  }
  auto found = single_id(*find);
  if (!found) {
    return fail(found.error());
  }
  if (*found) {
    return **found;
  }
  auto insert = database.prepare(
      "INSERT INTO credits (photographer_id, rights_holder, credit_line) VALUES (?1, ?2, ?3) "
      "RETURNING id");
  if (!insert) {
    return fail(insert.error());
  }
  bound = insert->bind(1, photographer_id);
  if (bound) {
    bound = insert->bind(2, holder);
  }
  if (bound) {
    bound = insert->bind(3, std::string_view(credit_text));
  }
  if (!bound) {
    return fail(bound.error());
  }
  auto row = insert->step();
  if (!row) {
    return fail(row.error());
  }
  return insert->column_int(0);
}

Result<std::optional<CreditRecord>> read_credit(Database& database,
                                                std::optional<std::int64_t> id) {
  if (!id) {
    return std::optional<CreditRecord>();
  }
  auto statement = database.prepare(
      "SELECT ifnull(people.name, ''), ifnull(credits.rights_holder, ''), credits.credit_line "
      "FROM credits LEFT JOIN people ON people.id = credits.photographer_id "
      "WHERE credits.id = ?1");
  if (!statement) {
    return fail(statement.error());
  }
  if (auto bound = statement->bind(1, *id); !bound) {
    return fail(bound.error());
  }
  auto row = statement->step();
  if (!row) {
    return fail(row.error());
  }
  if (!*row) {
    return std::optional<CreditRecord>();
  }
  return std::optional<CreditRecord>(CreditRecord{
      statement->column_text(0), statement->column_text(1), statement->column_text(2)});
}

Result<std::optional<Licence>> read_licence(Database& database, std::optional<std::int64_t> id) {
  if (!id) {
    return std::optional<Licence>();
  }
  auto statement = database.prepare(
      "SELECT usage_terms, editorial_only, credit_required, valid_from, valid_until "
      "FROM licences WHERE id = ?1");
  if (!statement) {
    return fail(statement.error());
  }
  if (auto bound = statement->bind(1, *id); !bound) {
    return fail(bound.error());
  }
  auto row = statement->step();
  if (!row) {
    return fail(row.error());
  }
  if (!*row) {
    return std::optional<Licence>();
  }
  Licence licence;
  licence.usage_terms = statement->column_text(0);
  licence.editorial_only = statement->column_int(1) != 0;
  licence.credit_required = statement->column_int(2) != 0;
  licence.valid_from = statement->column_optional_text(3);
  licence.valid_until = statement->column_optional_text(4);
  return std::optional<Licence>(std::move(licence));
}

std::string describe(const CreditRecord& credit) {
  nlohmann::ordered_json json;
  json["photographer"] = credit.photographer;
  json["rights_holder"] = credit.rights_holder;
  json["credit_line"] = credit.credit_line;
  return json.dump();
}

std::string describe(const Licence& licence) {
  nlohmann::ordered_json json;
  json["usage_terms"] = licence.usage_terms;
  json["editorial_only"] = licence.editorial_only;
  json["credit_required"] = licence.credit_required;
  json["valid_from"] = licence.valid_from ? nlohmann::json(*licence.valid_from) : nullptr;
  json["valid_until"] = licence.valid_until ? nlohmann::json(*licence.valid_until) : nullptr;
  return json.dump();
}

Result<void> adopt_entry_credit(Database& database, std::int64_t photo_id, std::int64_t entry_id,
                                std::string_view who) {
  auto entries = read_entries(database, "entries.id = ?1", entry_id);
  if (!entries) {
    return fail(entries.error());
  }
  if (entries->empty()) {
    return {};
  }
  const EntryRecord& entry = entries->front();
  auto current = database.prepare(
      "SELECT credit_id, (SELECT count(*) FROM photo_people WHERE photo_id = ?1) "
      "FROM photos WHERE id = ?1");
  if (!current) {
    return fail(current.error());
  }
  if (auto bound = current->bind(1, photo_id); !bound) {
    return bound;
  }
  if (auto row = current->step(); !row || !*row) {
    return row ? fail(Errc::not_found, std::to_string(photo_id), "no photo with this id")
               : fail(row.error());
  }
  const bool has_credit = current->column_optional_int(0).has_value();
  const bool shows_people = current->column_int(1) > 0;
  current->reset();

  if (!has_credit && (!entry.credit_photographer.empty() || !entry.credit_rights_holder.empty() ||
                      !entry.credit.empty())) {
    auto photographer =
        clean_text(entry.credit_photographer, "the photographer", k_max_name_bytes, true);
    auto holder =
        clean_text(entry.credit_rights_holder, "the rights holder", k_max_name_bytes, true);
    if (photographer && holder) {
      const std::string line = (photographer->empty() && holder->empty())
                                   ? entry.credit
                                   : credit_line(*holder, *photographer);
      auto id = credit_id(database, *photographer, *holder, line);
      if (!id) {
        return fail(id.error());
      }
      auto set = database.prepare("UPDATE photos SET credit_id = ?1 WHERE id = ?2");
      if (!set) {
        return fail(set.error());
      }
      Result<void> bound = set->bind(1, *id);
      if (bound) {
        bound = set->bind(2, photo_id);
      }
      if (!bound) {
        return bound;
      }
      if (auto done = set->run(); !done) {
        return done;
      }
      if (auto audited = write_audit(
              database, AuditEntry{.who = who,
                                   .action = "credit.set",
                                   .photo_id = photo_id,
                                   .release_id = entry.release_id,
                                   .field = "credit",
                                   .before = std::nullopt,
                                   .after = describe(CreditRecord{*photographer, *holder, line})});
          !audited) {
        return audited;
      }
    }
  }

  if (!shows_people) {
    auto insert = database.prepare(
        "INSERT OR IGNORE INTO photo_people (photo_id, person_id, position) VALUES (?1, ?2, ?3)");
    if (!insert) {
      return fail(insert.error());
    }
    int position = 0;
    for (const auto& name : entry.people) {
      auto cleaned = clean_text(name, "the name", k_max_name_bytes);
      if (!cleaned) {
        continue;  // the parser's oddity stays in the entry; the photo gets the others
      }
      auto person = person_id(database, *cleaned);
      if (!person) {
        return fail(person.error());
      }
      insert->reset();
      Result<void> bound = insert->bind(1, photo_id);
      if (bound) {
        bound = insert->bind(2, *person);
      }
      if (bound) {
        bound = insert->bind(3, std::int64_t{++position});
      }
      if (!bound) {
        return bound;
      }
      if (auto done = insert->run(); !done) {
        return done;
      }
      if (auto audited = write_audit(database, AuditEntry{.who = who,
                                                          .action = "person.add",
                                                          .photo_id = photo_id,
                                                          .release_id = entry.release_id,
                                                          .field = "people",
                                                          .before = std::nullopt,
                                                          .after = *cleaned});
          !audited) {
        return audited;
      }
    }
  }
  return {};
}

}  // namespace pressroom::catalog
