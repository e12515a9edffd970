// Releases, their photo lists, and the URLs photos came from.

#include <nlohmann/json.hpp>

#include "audit.hpp"
#include "catalog/catalog.hpp"
#include "core/rights.hpp"
#include "core/text.hpp"
#include "database.hpp"
#include "records.hpp"

namespace pressroom::catalog {
namespace {

std::optional<std::string> non_empty(const std::string& text) {
  return text.empty() ? std::nullopt : std::optional<std::string>(text);
}

// Every piece of text of a release must be UTF-8 before SQLite sees it.
Result<void> check_release_text(const Release& release, std::string_view source) {
  std::vector<const std::string*> texts{&release.subtitle, &release.text_version_url,
                                        &release.contact.name, &release.contact.email,
                                        &release.contact.phone};
  for (const auto& [language, title] : release.titles) {
    texts.push_back(&language);
    texts.push_back(&title);
  }
  for (const auto& [language, body] : release.body) {
    texts.push_back(&language);
    texts.push_back(&body);
  }
  for (const auto& entry : release.photos) {
    for (const auto* text : {&entry.caption, &entry.credit.text, &entry.credit.rights_holder,
                             &entry.credit.photographer, &entry.url, &entry.licence_note}) {
      texts.push_back(text);
    }
    for (const auto& person : entry.people) {
      texts.push_back(&person.name);
    }
    for (const auto& tag : entry.tags) {
      texts.push_back(&tag);
    }
  }
  for (const auto* text : texts) {
    if (!is_clean_utf8(*text)) {
      return fail(Errc::invalid_input, std::string(source),
                  "the release holds text that is not UTF-8: " + text->substr(0, 40));
    }
  }
  for (const auto& [language, title] : release.titles) {
    if (language.size() != 2) {
      return fail(Errc::invalid_input, std::string(source),
                  "\"" + language + "\" is not a two-letter language code");
    }
  }
  if (!release.date.empty() && !is_iso_date(release.date)) {
    return fail(Errc::invalid_input, std::string(source),
                "the release date \"" + release.date + "\" is not a date (YYYY-MM-DD)");
  }
  return {};
}

Result<std::optional<std::int64_t>> existing_release(Database& database,
                                                     const ReleaseSource& source) {
  auto statement =
      database.prepare("SELECT id FROM releases WHERE source = ?1 AND source_sha256 IS ?2");
  if (!statement) {
    return fail(statement.error());
  }
  Result<void> bound = statement->bind(1, std::string_view(source.source));
  if (bound) {
    bound = statement->bind(2, source.sha256);
  }
  if (!bound) {
    return fail(bound.error());
  }
  auto row = statement->step();
  if (!row) {
    return fail(row.error());
  }
  if (!*row) {
    return std::optional<std::int64_t>();
  }
  return std::optional<std::int64_t>(statement->column_int(0));
}

Result<std::int64_t> insert_release(Database& database, const Release& release,
                                    const ReleaseSource& source) {
  std::optional<std::int64_t> group;
  if (source.translation_of) {
    auto statement =
        database.prepare("SELECT ifnull(translation_group, id) FROM releases WHERE id = ?1");
    if (!statement) {
      return fail(statement.error());
    }
    if (auto bound = statement->bind(1, *source.translation_of); !bound) {
      return fail(bound.error());
    }
    auto row = statement->step();
    if (!row) {
      return fail(row.error());
    }
    if (!*row) {
      return fail(Errc::invalid_input, std::to_string(*source.translation_of),
                  "no release with this id to translate");
    }
    group = statement->column_int(0);
    auto mark = database.prepare(
        "UPDATE releases SET translation_group = ?1 WHERE id = ?1 AND translation_group IS NULL");
    if (!mark) {
      return fail(mark.error());
    }
    if (auto bound = mark->bind(1, *group); !bound) {
      return fail(bound.error());
    }
    if (auto done = mark->run(); !done) {
      return fail(done.error());
    }
  }
  auto statement = database.prepare(
      "INSERT INTO releases (source, source_sha256, kind, date, subtitle, contact_name, "
      "contact_email, contact_phone, text_version_url, translation_group) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) RETURNING id");
  if (!statement) {
    return fail(statement.error());
  }
  Result<void> bound = statement->bind(1, std::string_view(source.source));
  const auto next = [&](int index, const auto& value) {
    if (bound) {
      bound = statement->bind(index, value);
    }
  };
  next(2, source.sha256);
  next(3, std::string_view(release.kind == ReleaseKind::news ? "news" : "release"));
  next(4, non_empty(release.date));
  next(5, non_empty(release.subtitle));
  next(6, non_empty(release.contact.name));
  next(7, non_empty(release.contact.email));
  next(8, non_empty(release.contact.phone));
  next(9, non_empty(release.text_version_url));
  next(10, group);
  if (!bound) {
    return fail(bound.error());
  }
  auto row = statement->step();
  if (!row) {
    return fail(row.error());
  }
  return statement->column_int(0);
}

Result<void> insert_texts(Database& database, std::int64_t release_id, const Release& release) {
  std::map<std::string, std::pair<std::string, std::string>> texts;
  for (const auto& [language, title] : release.titles) {
    texts[language].first = title;
  }
  for (const auto& [language, body] : release.body) {
    texts[language].second = body;
  }
  auto statement = database.prepare(
      "INSERT INTO release_texts (release_id, language, title, body) VALUES (?1, ?2, ?3, ?4)");
  if (!statement) {
    return fail(statement.error());
  }
  for (const auto& [language, text] : texts) {
    statement->reset();
    Result<void> bound = statement->bind(1, release_id);
    if (bound) {
      bound = statement->bind(2, std::string_view(language));
    }
    if (bound) {
      bound = statement->bind(3, std::string_view(text.first));
    }
    if (bound) {
      bound = statement->bind(4, std::string_view(text.second));
    }
    if (!bound) {
      return bound;
    }
    if (auto done = statement->run(); !done) {
      return done;
    }
  }
  return {};
}

// An entry whose position the release has already is left as it is.
Result<void> insert_entries(Database& database, std::int64_t release_id,
                            const std::vector<ReleaseEntry>& entries) {
  auto statement = database.prepare(
      "INSERT OR IGNORE INTO entries (release_id, position, caption, credit, url, licence_note, "
      "warnings, credit_rights_holder, credit_photographer, people, tags) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
  if (!statement) {
    return fail(statement.error());
  }
  for (const auto& entry : entries) {
    statement->reset();
    const std::string warnings = nlohmann::json(entry.warnings).dump();
    auto names = nlohmann::json::array();
    for (const auto& person : entry.people) {
      names.push_back(person.name);
    }
    const std::string people = names.dump();
    const std::string tags = nlohmann::json(entry.tags).dump();
    Result<void> bound = statement->bind(1, release_id);
    const auto next = [&](int index, const auto& value) {
      if (bound) {
        bound = statement->bind(index, value);
      }
    };
    next(2, static_cast<std::int64_t>(entry.position));
    next(3, std::string_view(entry.caption));
    next(4, std::string_view(entry.credit.text));
    next(5, std::string_view(entry.url));
    next(6, std::string_view(entry.licence_note));
    next(7, std::string_view(warnings));
    next(8, std::string_view(entry.credit.rights_holder));
    next(9, std::string_view(entry.credit.photographer));
    next(10, std::string_view(people));
    next(11, std::string_view(tags));
    if (!bound) {
      return bound;
    }
    if (auto done = statement->run(); !done) {
      return done;
    }
  }
  return {};
}

}  // namespace

Result<std::int64_t> Catalog::add_release(const Release& release, const ReleaseSource& source,
                                          std::string_view who) {
  if (auto checked = check_release_text(release, source.source); !checked) {
    return fail(checked.error());
  }
  std::int64_t id = 0;
  auto done = write([&]() -> Result<void> {
    auto existing = existing_release(*m_database, source);
    if (!existing) {
      return fail(existing.error());
    }
    if (*existing) {
      id = **existing;
      return {};
    }
    auto inserted = insert_release(*m_database, release, source);
    if (!inserted) {
      return fail(inserted.error());
    }
    id = *inserted;
    if (auto texts = insert_texts(*m_database, id, release); !texts) {
      return texts;
    }
    if (auto entries = insert_entries(*m_database, id, release.photos); !entries) {
      return entries;
    }
    return write_audit(*m_database, AuditEntry{.who = who,
                                               .action = "release.add",
                                               .photo_id = std::nullopt,
                                               .release_id = id,
                                               .field = "source",
                                               .before = std::nullopt,
                                               .after = source.source});
  });
  if (!done) {
    return fail(done.error());
  }
  return id;
}

Result<std::vector<EntryRecord>> Catalog::entries(std::int64_t release_id) {
  return read_entries(*m_database, "entries.release_id = ?1", release_id);
}

Result<std::vector<EntryRecord>> Catalog::entries(std::int64_t release_id, int after_position,
                                                  int limit) {
  return read_entries(
      *m_database,
      "entries.release_id = ?1 AND entries.position > " + std::to_string(after_position),
      release_id, " ORDER BY entries.release_id, entries.position LIMIT " + std::to_string(limit));
}

Result<void> Catalog::add_entries(std::int64_t release_id,
                                  const std::vector<ReleaseEntry>& entries) {
  Release release;
  release.photos = entries;
  const std::string subject = "release " + std::to_string(release_id);
  if (auto checked = check_release_text(release, subject); !checked) {
    return checked;
  }
  return write([&]() -> Result<void> {
    auto exists = m_database->prepare("SELECT 1 FROM releases WHERE id = ?1");
    if (!exists) {
      return fail(exists.error());
    }
    if (auto bound = exists->bind(1, release_id); !bound) {
      return bound;
    }
    auto row = exists->step();
    if (!row) {
      return fail(row.error());
    }
    if (!*row) {
      return fail(Errc::not_found, subject, "no release with this id");
    }
    return insert_entries(*m_database, release_id, entries);
  });
}

Result<std::vector<EntryRecord>> Catalog::entries_without_photo(std::int64_t after_id, int limit) {
  return read_entries(*m_database,
                      "entries.photo_id IS NULL AND entries.url != '' AND entries.id > ?1",
                      after_id, " ORDER BY entries.id LIMIT " + std::to_string(limit));
}

Result<void> Catalog::set_entry_url(std::int64_t entry_id, std::string_view url,
                                    std::string_view who) {
  const std::string subject = "entry " + std::to_string(entry_id);
  if (url.empty() || !is_clean_utf8(url)) {
    return fail(Errc::invalid_input, subject,
                url.empty() ? "the URL is empty" : "the URL is not UTF-8 text");
  }
  auto found = read_entries(*m_database, "entries.id = ?1", entry_id);
  if (!found) {
    return fail(found.error());
  }
  if (found->empty()) {
    return fail(Errc::not_found, subject, "no entry with this id");
  }
  const EntryRecord entry = found->front();
  if (entry.url == url) {
    return {};
  }
  return write([&]() -> Result<void> {
    auto statement = m_database->prepare("UPDATE entries SET url = ?1 WHERE id = ?2");
    if (!statement) {
      return fail(statement.error());
    }
    if (auto bound = statement->bind(1, url); !bound) {
      return bound;
    }
    if (auto bound = statement->bind(2, entry_id); !bound) {
      return bound;
    }
    if (auto done = statement->run(); !done) {
      return done;
    }
    return write_audit(*m_database, AuditEntry{.who = who,
                                               .action = "entry.url",
                                               .photo_id = entry.photo_id,
                                               .release_id = entry.release_id,
                                               .field = "url",
                                               .before = entry.url,
                                               .after = std::string(url)});
  });
}

Result<void> Catalog::attach_photo(std::int64_t entry_id, std::int64_t photo_id,
                                   std::string_view who) {
  auto found = read_entries(*m_database, "entries.id = ?1", entry_id);
  if (!found) {
    return fail(found.error());
  }
  if (found->empty()) {
    return fail(Errc::not_found, std::to_string(entry_id), "no entry with this id");
  }
  const EntryRecord entry = found->front();
  if (auto photo = find_by_id(photo_id); !photo || !*photo) {
    return photo ? fail(Errc::not_found, std::to_string(photo_id), "no photo with this id")
                 : fail(photo.error());
  }
  return write([&]() -> Result<void> {
    auto statement = m_database->prepare("UPDATE entries SET photo_id = ?1 WHERE id = ?2");
    if (!statement) {
      return fail(statement.error());
    }
    if (auto bound = statement->bind(1, photo_id); !bound) {
      return bound;
    }
    if (auto bound = statement->bind(2, entry_id); !bound) {
      return bound;
    }
    if (auto done = statement->run(); !done) {
      return done;
    }
    if (auto audited = write_audit(
            *m_database, AuditEntry{.who = who,
                                    .action = "entry.attach",
                                    .photo_id = photo_id,
                                    .release_id = entry.release_id,
                                    .field = "entry",
                                    .before = entry.photo_id ? std::optional<std::string>(
                                                                   std::to_string(*entry.photo_id))
                                                             : std::nullopt,
                                    .after = std::to_string(entry_id)});
        !audited) {
      return audited;
    }
    // The release's credit becomes the photo's when the press office has not set one.
    return adopt_entry_credit(*m_database, photo_id, entry_id, who);
  });
}

Result<void> Catalog::record_source(const SourceRecord& source) {
  return m_database->transaction([&]() -> Result<void> {
    auto statement = m_database->prepare(
        "INSERT OR REPLACE INTO sources (url, etag, last_modified, status, error, photo_id) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    if (!statement) {
      return fail(statement.error());
    }
    Result<void> bound = statement->bind(1, std::string_view(source.url));
    const auto next = [&](int index, const auto& value) {
      if (bound) {
        bound = statement->bind(index, value);
      }
    };
    next(2, source.etag);
    next(3, source.last_modified);
    next(4, source.status ? std::optional<std::int64_t>(*source.status) : std::nullopt);
    next(5, source.error);
    next(6, source.photo_id);
    if (!bound) {
      return bound;
    }
    return statement->run();
  });
}

Result<std::optional<SourceRecord>> Catalog::source(std::string_view url) {
  auto statement = m_database->prepare(
      "SELECT url, etag, last_modified, status, error, photo_id, checked_at FROM sources "
      "WHERE url = ?1");
  if (!statement) {
    return fail(statement.error());
  }
  if (auto bound = statement->bind(1, url); !bound) {
    return fail(bound.error());
  }
  auto row = statement->step();
  if (!row) {
    return fail(row.error());
  }
  if (!*row) {
    return std::optional<SourceRecord>();
  }
  SourceRecord record;
  record.url = statement->column_text(0);
  record.etag = statement->column_optional_text(1);
  record.last_modified = statement->column_optional_text(2);
  if (auto status = statement->column_optional_int(3)) {
    record.status = static_cast<int>(*status);
  }
  record.error = statement->column_optional_text(4);
  record.photo_id = statement->column_optional_int(5);
  record.checked_at = statement->column_text(6);
  return std::optional<SourceRecord>(std::move(record));
}

}  // namespace pressroom::catalog
