#include "search_index.hpp"

#include <algorithm>
#include <array>
#include <optional>
#include <utility>
#include <vector>

#include <xapian.h>

#include "core/rights.hpp"
#include "core/text.hpp"
#include "values.hpp"

namespace pressroom::catalog {
namespace {

// Value slots of a document.
constexpr Xapian::valueno k_slot_date = 0;    // "2019-08-31T14:03:22", sorts as text
constexpr Xapian::valueno k_slot_width = 1;   // displayed width, sortable_serialise
constexpr Xapian::valueno k_slot_height = 2;  // displayed height
constexpr Xapian::valueno k_slot_from = 3;    // licence valid_from, "0000-00-00" when none
constexpr Xapian::valueno k_slot_until = 4;   // licence valid_until, "9999-12-31" when none
constexpr std::string_view k_no_from = "0000-00-00";
constexpr std::string_view k_no_until = "9999-12-31";

// Boolean term prefixes of the filters.
constexpr std::string_view k_photographer = "XP";
constexpr std::string_view k_rights_holder = "XR";
constexpr std::string_view k_person = "XS";
constexpr std::string_view k_tag = "XT";
constexpr std::string_view k_release = "XL";
constexpr std::string_view k_orientation = "XO";

// Xapian keeps terms up to 245 bytes; longer filter terms are cut (a tag path that long is
// still found by its first 240 bytes).
constexpr std::size_t k_max_term_bytes = 240;

// A prefix query ("Deleg*") uses its most frequent expansions only, so that a short prefix
// of a million captions stays fast; a prefix as short as one letter would otherwise expand
// to thousands of terms.
constexpr Xapian::termcount k_max_wildcard_terms = 64;

// Within-document frequency increments: a word in a name, a tag or a headline counts more
// than one in a caption or a release title.
constexpr Xapian::termcount k_weight_text = 1;
constexpr Xapian::termcount k_weight_strong = 2;

// Documents indexed per Xapian commit while catching up.
constexpr int k_batch = 5000;

const std::string k_catalog_id_key = "pressroom.catalog_id";

std::string term(std::string_view prefix, std::string_view value) {
  std::string out(prefix);
  out.append(value.substr(0, k_max_term_bytes));
  return out;
}

bool is_word_byte(char c) {
  const auto byte = static_cast<unsigned char>(c);
  return byte >= 0x80 || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

// The words of an already folded text: runs of letters and digits.
std::vector<std::string> folded_words(std::string_view folded) {
  std::vector<std::string> words;
  std::size_t pos = 0;
  while (pos < folded.size()) {
    while (pos < folded.size() && !is_word_byte(folded[pos])) {
      ++pos;
    }
    const std::size_t start = pos;
    while (pos < folded.size() && is_word_byte(folded[pos])) {
      ++pos;
    }
    if (pos > start) {
      words.emplace_back(folded.substr(start, pos - start));
    }
  }
  return words;
}

Error index_error(const Xapian::Error& error, std::string_view subject, std::string_view what) {
  return Error{Errc::database, std::string(subject),
               std::string(what) + ": " + error.get_description()};
}

const char* orientation_name(int width, int height) {
  if (width > height) {
    return "landscape";
  }
  if (width < height) {
    return "portrait";
  }
  return "square";
}

// The statements that read one photo's searchable data, prepared once per update.
struct DocumentReader {
  Statement photo;
  Statement credit;
  Statement licence;
  Statement entries;
  Statement people;
  Statement tags;

  static Result<DocumentReader> prepare(Database& database) {
    auto photo = database.prepare(
        "SELECT width, height, orientation, ifnull(date_taken, ''), ifnull(caption, ''), "
        "ifnull(headline, ''), ifnull(place, ''), status, imported_at, credit_id, licence_id "
        "FROM photos WHERE id = ?1");
    auto credit = database.prepare(
        "SELECT ifnull(people.name, ''), ifnull(credits.rights_holder, ''), "
        "credits.credit_line FROM credits LEFT JOIN people ON people.id = "
        "credits.photographer_id WHERE credits.id = ?1");
    auto licence = database.prepare("SELECT valid_from, valid_until FROM licences WHERE id = ?1");
    auto entries = database.prepare(
        "SELECT entries.caption, entries.credit, entries.release_id, ifnull(releases.date, ''), "
        "(SELECT group_concat(title, ' ') FROM release_texts "
        " WHERE release_texts.release_id = entries.release_id) "
        "FROM entries JOIN releases ON releases.id = entries.release_id "
        "WHERE entries.photo_id = ?1 ORDER BY entries.id");
    auto people = database.prepare(
        "SELECT people.name, people.id FROM photo_people "
        "JOIN people ON people.id = photo_people.person_id "
        "WHERE photo_people.photo_id = ?1 ORDER BY photo_people.position");
    auto tags = database.prepare(
        "SELECT tags.folded_path FROM photo_tags JOIN tags ON tags.id = photo_tags.tag_id "
        "WHERE photo_tags.photo_id = ?1");
    for (auto* statement : {&photo, &credit, &licence, &entries, &people, &tags}) {
      if (!*statement) {
        return fail(statement->error());
      }
    }
    return DocumentReader{std::move(*photo),   std::move(*credit), std::move(*licence),
                          std::move(*entries), std::move(*people), std::move(*tags)};
  }
};

class DocumentBuilder {
 public:
  DocumentBuilder() { m_generator.set_document(m_document); }

  void text(std::string_view value, Xapian::termcount weight) {
    if (value.empty()) {
      return;
    }
    m_generator.index_text(fold_for_search(value), weight);
    m_generator.increase_termpos(100);  // no phrase across two fields
    // "Düsseldorf" is also found as "Duesseldorf": the spelled-out words as extra terms
    // (without positions, so phrases use the umlaut form or the folded one).
    const std::string spelled = umlauts_spelled_out(value);
    if (!spelled.empty()) {
      const auto plain = folded_words(fold_for_search(value));
      for (const auto& word : folded_words(fold_for_search(spelled))) {
        if (std::find(plain.begin(), plain.end(), word) == plain.end()) {
          m_document.add_term(word, weight);  // only the words the umlauts changed
        }
      }
    }
  }
  void name_filter(std::string_view prefix, std::string_view name) {
    for (const auto& word : folded_words(fold_for_search(name))) {
      m_document.add_boolean_term(term(prefix, word));
    }
    const std::string spelled = umlauts_spelled_out(name);
    if (!spelled.empty()) {
      for (const auto& word : folded_words(fold_for_search(spelled))) {
        m_document.add_boolean_term(term(prefix, word));
      }
    }
  }
  void boolean(std::string_view prefix, std::string_view value) {
    m_document.add_boolean_term(term(prefix, value));
  }
  Xapian::Document& document() { return m_document; }

 private:
  Xapian::Document m_document;
  Xapian::TermGenerator m_generator;
};

Result<bool> step(Statement& statement) {
  return statement.step();
}

Result<void> reset(Statement& statement, std::int64_t id) {
  statement.reset();
  return statement.bind(1, id);
}

// The document of one photo; nullopt when the photo is gone or withdrawn.
Result<std::optional<Xapian::Document>> build_document(DocumentReader& reader, std::int64_t id) {
  if (auto bound = reset(reader.photo, id); !bound) {
    return fail(bound.error());
  }
  auto row = step(reader.photo);
  if (!row) {
    return fail(row.error());
  }
  if (!*row || reader.photo.column_text(7) != "active") {
    return std::optional<Xapian::Document>();
  }
  const auto& photo = reader.photo;
  int width = static_cast<int>(photo.column_int(0));
  int height = static_cast<int>(photo.column_int(1));
  if (photo.column_int(2) >= 5) {
    std::swap(width, height);
  }
  std::string date = photo.column_text(3);
  const std::string caption = photo.column_text(4);
  const std::string headline = photo.column_text(5);
  const std::string place = photo.column_text(6);
  const std::string imported_at = photo.column_text(8);
  const auto credit_id = photo.column_optional_int(9);
  const auto licence_id = photo.column_optional_int(10);

  DocumentBuilder builder;
  builder.text(headline, k_weight_strong);
  builder.text(caption, k_weight_text);
  builder.text(place, k_weight_text);
  builder.boolean(k_orientation, orientation_name(width, height));

  bool has_credit = false;
  if (credit_id) {
    if (auto bound = reset(reader.credit, *credit_id); !bound) {
      return fail(bound.error());
    }
    auto credit = step(reader.credit);
    if (!credit) {
      return fail(credit.error());
    }
    if (*credit) {
      has_credit = true;
      const std::string photographer = reader.credit.column_text(0);
      const std::string rights_holder = reader.credit.column_text(1);
      builder.text(photographer, k_weight_strong);
      builder.text(rights_holder, k_weight_text);
      builder.name_filter(k_photographer, photographer);
      builder.name_filter(k_rights_holder, rights_holder);
    }
  }

  std::string release_date;
  if (auto bound = reset(reader.entries, id); !bound) {
    return fail(bound.error());
  }
  while (true) {
    auto entry = step(reader.entries);
    if (!entry) {
      return fail(entry.error());
    }
    if (!*entry) {
      break;
    }
    if (caption.empty()) {
      builder.text(reader.entries.column_text(0), k_weight_text);
    }
    if (!has_credit) {
      builder.text(reader.entries.column_text(1), k_weight_text);
    }
    builder.boolean(k_release, std::to_string(reader.entries.column_int(2)));
    if (release_date.empty()) {
      release_date = reader.entries.column_text(3);
    }
    builder.text(reader.entries.column_text(4), k_weight_text);
  }

  if (auto bound = reset(reader.people, id); !bound) {
    return fail(bound.error());
  }
  while (true) {
    auto person = step(reader.people);
    if (!person) {
      return fail(person.error());
    }
    if (!*person) {
      break;
    }
    const std::string name = reader.people.column_text(0);
    builder.text(name, k_weight_strong);
    builder.boolean(k_person, std::to_string(reader.people.column_int(1)));
  }

  if (auto bound = reset(reader.tags, id); !bound) {
    return fail(bound.error());
  }
  while (true) {
    auto tag = step(reader.tags);
    if (!tag) {
      return fail(tag.error());
    }
    if (!*tag) {
      break;
    }
    const std::string path = reader.tags.column_text(0);
    // The tag and each of its ancestors, so that a filter on "event" finds "event|fair".
    for (std::size_t bar = path.find('|'); bar != std::string::npos;
         bar = path.find('|', bar + 1)) {
      builder.boolean(k_tag, std::string_view(path).substr(0, bar));
    }
    builder.boolean(k_tag, path);
    std::string words = path;
    std::replace(words.begin(), words.end(), '|', ' ');
    builder.text(words, k_weight_strong);
  }

  std::string from(k_no_from);
  std::string until(k_no_until);
  if (licence_id) {
    if (auto bound = reset(reader.licence, *licence_id); !bound) {
      return fail(bound.error());
    }
    auto licence = step(reader.licence);
    if (!licence) {
      return fail(licence.error());
    }
    if (*licence) {
      from = reader.licence.column_optional_text(0).value_or(std::string(k_no_from));
      until = reader.licence.column_optional_text(1).value_or(std::string(k_no_until));
    }
  }

  if (date.empty()) {
    date = !release_date.empty() ? release_date : imported_at.substr(0, 19);
  }
  auto& document = builder.document();
  document.add_value(k_slot_date, date);
  document.add_value(k_slot_width, Xapian::sortable_serialise(width));
  document.add_value(k_slot_height, Xapian::sortable_serialise(height));
  document.add_value(k_slot_from, from);
  document.add_value(k_slot_until, until);
  return std::optional<Xapian::Document>(std::move(document));
}

Result<std::string> catalog_id(Database& database) {
  auto statement = database.prepare("SELECT value FROM catalog_info WHERE key = 'search_index_id'");
  if (!statement) {
    return fail(statement.error());
  }
  auto row = statement->step();
  if (!row) {
    return fail(row.error());
  }
  if (!*row) {
    return fail(Errc::database, database.name(), "the catalog has no search_index_id");
  }
  return statement->column_text(0);
}

Result<void> mark_all_pending(Database& database) {
  return database.transaction([&]() -> Result<void> {
    return database.execute(
        "DELETE FROM search_pending; "
        "INSERT INTO search_pending (photo_id) SELECT id FROM photos ORDER BY id;");
  });
}

Xapian::Query name_query(std::string_view prefix, std::string_view name) {
  std::vector<Xapian::Query> terms;
  for (const auto& word : folded_words(fold_for_search(name))) {
    terms.emplace_back(term(prefix, word));
  }
  if (terms.empty()) {
    return Xapian::Query::MatchAll;
  }
  return {Xapian::Query::OP_AND, terms.begin(), terms.end()};
}

}  // namespace

std::string fold_query(std::string_view text) {
  static constexpr std::array<std::string_view, 5> k_operators{"AND", "OR", "NOT", "XOR", "NEAR"};
  std::string out;
  out.reserve(text.size());
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t start = pos;
    const bool space = text[pos] == ' ' || text[pos] == '\t' || text[pos] == '\n';
    while (pos < text.size() &&
           (text[pos] == ' ' || text[pos] == '\t' || text[pos] == '\n') == space) {
      ++pos;
    }
    const std::string_view token = text.substr(start, pos - start);
    std::string_view bare = token;
    while (!bare.empty() && bare.front() == '(') {
      bare.remove_prefix(1);
    }
    while (!bare.empty() && bare.back() == ')') {
      bare.remove_suffix(1);
    }
    const bool is_operator =
        std::find(k_operators.begin(), k_operators.end(), bare) != k_operators.end();
    out += (space || is_operator) ? std::string(token) : fold_for_search(token);
  }
  return out;
}

struct SearchIndex::State {
  std::filesystem::path directory;  // empty: in memory
  std::string catalog_id;
  std::optional<Xapian::WritableDatabase> memory;  // the in-memory index
  std::optional<Xapian::Database> reader;          // the on-disk index, for searching

  // Runs `body` with the index open for writing. Sets `locked` when another process has it.
  // `overwrite`: the index on disk is started afresh, empty.
  template <class Body>
  Result<void> with_writer(Body&& body, bool& locked, bool overwrite = false) {
    locked = false;
    try {
      if (memory) {
        return body(*memory);
      }
      Xapian::WritableDatabase writer(
          directory.string(),
          (overwrite ? Xapian::DB_CREATE_OR_OVERWRITE : Xapian::DB_CREATE_OR_OPEN) |
              Xapian::DB_BACKEND_GLASS);
      auto done = body(writer);
      writer.close();
      return done;
    } catch (const Xapian::DatabaseLockError&) {
      locked = true;
      return {};
    } catch (const Xapian::Error& error) {
      return fail(index_error(error, directory.string(), "the search index failed"));
    }
  }

  Xapian::Database& database() {
    if (memory) {
      return *memory;
    }
    if (!reader) {
      reader.emplace(directory.string());
    } else {
      reader->reopen();
    }
    return *reader;
  }
};

SearchIndex::SearchIndex(std::unique_ptr<State> state) : m_state(std::move(state)) {}
SearchIndex::~SearchIndex() = default;

Result<std::unique_ptr<SearchIndex>> SearchIndex::open(Database& database,
                                                       const std::filesystem::path& directory) {
  auto id = catalog_id(database);
  if (!id) {
    return fail(id.error());
  }
  auto state = std::make_unique<State>();
  state->directory = directory;
  state->catalog_id = *id;
  bool rebuild = false;
  try {
    if (directory.empty()) {
      state->memory.emplace(std::string(), Xapian::DB_BACKEND_INMEMORY);
      rebuild = true;
    } else {
      std::error_code ignored;
      if (!std::filesystem::exists(directory / "iamglass", ignored)) {
        rebuild = true;
      } else {
        const Xapian::Database existing(directory.string());
        rebuild = existing.get_metadata(k_catalog_id_key) != *id;
      }
      if (rebuild) {
        // Missing, or built for another catalog (this one is a restored backup): start over.
        Xapian::WritableDatabase writer(directory.string(),
                                        Xapian::DB_CREATE_OR_OVERWRITE | Xapian::DB_BACKEND_GLASS);
        writer.set_metadata(k_catalog_id_key, *id);
        writer.commit();
      }
    }
  } catch (const Xapian::DatabaseLockError&) {
    rebuild = false;  // another process is writing it, so it is this catalog's
  } catch (const Xapian::Error& error) {
    return fail(index_error(error, directory.string(), "cannot open the search index"));
  }
  if (rebuild) {
    if (auto marked = mark_all_pending(database); !marked) {
      return fail(marked.error());
    }
  }
  return std::unique_ptr<SearchIndex>(new SearchIndex(std::move(state)));
}

Result<void> SearchIndex::update(Database& database) {
  auto any = database.prepare("SELECT 1 FROM search_pending LIMIT 1");
  if (!any) {
    return fail(any.error());
  }
  auto has_pending = any->step();
  if (!has_pending || !*has_pending) {
    return has_pending ? Result<void>{} : fail(has_pending.error());
  }
  auto pending = database.prepare(
      "SELECT seq, photo_id FROM search_pending WHERE seq > ?1 ORDER BY seq LIMIT ?2");
  if (!pending) {
    return fail(pending.error());
  }
  auto reader = DocumentReader::prepare(database);
  if (!reader) {
    return fail(reader.error());
  }
  std::int64_t done_up_to = 0;
  while (true) {
    // One read transaction per batch: the documents see one state of the catalog.
    if (auto begun = database.execute("BEGIN"); !begun) {
      return begun;
    }
    std::vector<std::pair<std::int64_t, std::optional<Xapian::Document>>> batch;
    std::int64_t last_seq = done_up_to;
    Result<void> read = pending->bind(1, done_up_to);
    if (read) {
      read = pending->bind(2, std::int64_t{k_batch});
    }
    while (read) {
      auto row = pending->step();
      if (!row) {
        read = fail(row.error());
        break;
      }
      if (!*row) {
        break;
      }
      last_seq = pending->column_int(0);
      const std::int64_t photo = pending->column_int(1);
      auto document = build_document(*reader, photo);
      if (!document) {
        read = fail(document.error());
        break;
      }
      batch.emplace_back(photo, std::move(*document));
    }
    pending->reset();
    (void)database.execute("COMMIT");
    if (!read) {
      return read;
    }
    if (batch.empty()) {
      return {};
    }
    bool locked = false;
    auto written = m_state->with_writer(
        [&](Xapian::WritableDatabase& writer) -> Result<void> {
          writer.set_metadata(k_catalog_id_key, m_state->catalog_id);
          for (auto& [photo, document] : batch) {
            const auto docid = static_cast<Xapian::docid>(photo);
            if (document) {
              writer.replace_document(docid, *document);
            } else {
              writer.delete_document(docid);
            }
          }
          writer.commit();
          return {};
        },
        locked);
    if (!written || locked) {
      return written;  // locked: the process that holds the index will catch up
    }
    auto removed = database.prepare("DELETE FROM search_pending WHERE seq <= ?1");
    if (!removed) {
      return fail(removed.error());
    }
    if (auto bound = removed->bind(1, last_seq); !bound) {
      return bound;
    }
    if (auto gone = removed->step(); !gone) {
      return fail(gone.error());
    }
    done_up_to = last_seq;
  }
}

Result<void> SearchIndex::rebuild(Database& database) {
  bool locked = false;
  auto emptied = m_state->with_writer(
      [&](Xapian::WritableDatabase& writer) -> Result<void> {
        // On disk the writer was opened empty; in memory, empty it document by document.
        std::vector<Xapian::docid> documents;
        for (auto it = writer.postlist_begin(""); it != writer.postlist_end(""); ++it) {
          documents.push_back(*it);
        }
        for (const auto document : documents) {
          writer.delete_document(document);
        }
        writer.set_metadata(k_catalog_id_key, m_state->catalog_id);
        writer.commit();
        return {};
      },
      locked, true);
  if (!emptied) {
    return emptied;
  }
  if (locked) {
    return fail(Errc::database, m_state->directory.string(),
                "another pressroom is writing the search index; try again when it is done");
  }
  if (auto marked = mark_all_pending(database); !marked) {
    return marked;
  }
  return update(database);
}

Result<std::int64_t> SearchIndex::document_count() {
  for (int attempt = 1;; ++attempt) {
    try {
      return static_cast<std::int64_t>(m_state->database().get_doccount());
    } catch (const Xapian::DatabaseModifiedError& error) {
      if (attempt == 5) {  // database() reopens on the next attempt
        return fail(index_error(error, m_state->directory.string(), "cannot read the index"));
      }
    } catch (const Xapian::Error& error) {
      return fail(index_error(error, m_state->directory.string(), "cannot read the index"));
    }
  }
}

Result<SearchPage> SearchIndex::search(const SearchQuery& query,
                                       const std::vector<std::int64_t>& person_ids) {
  // A writer that commits twice while a search reads makes the revision it reads disappear
  // (DatabaseModifiedError); Xapian's answer is to reopen and search again.
  constexpr int k_attempts = 5;
  for (int attempt = 1;; ++attempt) {
    try {
      return search_once(query, person_ids);
    } catch (const Xapian::DatabaseModifiedError& error) {
      if (attempt == k_attempts) {
        return fail(index_error(error, m_state->directory.string(), "the search failed"));
      }
    }
  }
}

Result<SearchPage> SearchIndex::search_once(const SearchQuery& query,
                                            const std::vector<std::int64_t>& person_ids) {
  const std::string today = query.today.empty() ? today_utc() : query.today;
  try {
    Xapian::Database& database = m_state->database();
    Xapian::Query text = Xapian::Query::MatchAll;
    if (query.text.find_first_not_of(" \t\n") != std::string::npos) {
      Xapian::QueryParser parser;
      parser.set_database(database);
      parser.set_default_op(Xapian::Query::OP_AND);
      parser.set_max_expansion(k_max_wildcard_terms, Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT,
                               Xapian::QueryParser::FLAG_WILDCARD);
      constexpr unsigned k_flags =
          Xapian::QueryParser::FLAG_PHRASE | Xapian::QueryParser::FLAG_BOOLEAN |
          Xapian::QueryParser::FLAG_LOVEHATE | Xapian::QueryParser::FLAG_WILDCARD |
          Xapian::QueryParser::FLAG_PURE_NOT;
      text = parser.parse_query(fold_query(query.text), k_flags);
    }

    std::vector<Xapian::Query> filters;
    if (!query.photographer.empty()) {
      filters.push_back(name_query(k_photographer, query.photographer));
    }
    if (!query.rights_holder.empty()) {
      filters.push_back(name_query(k_rights_holder, query.rights_holder));
    }
    if (!query.person.empty()) {
      // The people whose names have every word (found in the catalog by the caller): one of
      // them must be shown. Words spread over two people shown do not match.
      std::vector<Xapian::Query> people;
      people.reserve(person_ids.size());
      for (const auto id : person_ids) {
        people.emplace_back(term(k_person, std::to_string(id)));
      }
      filters.emplace_back(Xapian::Query::OP_OR, people.begin(), people.end());
    }
    if (!query.tag.empty()) {
      std::string path;
      for (const auto& level : split_tag_path(query.tag)) {
        path += (path.empty() ? "" : "|") + fold_for_search(level);
      }
      filters.emplace_back(term(k_tag, path));
    }
    if (query.release) {
      filters.emplace_back(term(k_release, std::to_string(*query.release)));
    }
    if (!query.date_from.empty() || !query.date_to.empty()) {
      const std::string to = query.date_to.empty() ? std::string("9999") : query.date_to + "~";
      filters.emplace_back(Xapian::Query::OP_VALUE_RANGE, k_slot_date, query.date_from, to);
    }
    if (query.orientation != Orientation::any) {
      const char* name = query.orientation == Orientation::landscape  ? "landscape"
                         : query.orientation == Orientation::portrait ? "portrait"
                                                                      : "square";
      filters.emplace_back(term(k_orientation, name));
    }
    if (query.min_width > 0) {
      filters.emplace_back(Xapian::Query::OP_VALUE_GE, k_slot_width,
                           Xapian::sortable_serialise(query.min_width));
    }
    if (query.min_height > 0) {
      filters.emplace_back(Xapian::Query::OP_VALUE_GE, k_slot_height,
                           Xapian::sortable_serialise(query.min_height));
    }
    Xapian::Query combined = text;
    if (!filters.empty()) {
      combined =
          Xapian::Query(Xapian::Query::OP_FILTER, combined,
                        Xapian::Query(Xapian::Query::OP_AND, filters.begin(), filters.end()));
    }
    // The licence state: usable is from <= today <= until; embargoed from > today ("today!"
    // sorts after today and before tomorrow); expired until < today.
    switch (query.licence) {
      case LicenceFilter::any:
        break;
      case LicenceFilter::usable:
        combined = Xapian::Query(
            Xapian::Query::OP_FILTER, combined,
            Xapian::Query(Xapian::Query::OP_AND,
                          Xapian::Query(Xapian::Query::OP_VALUE_LE, k_slot_from, today),
                          Xapian::Query(Xapian::Query::OP_VALUE_GE, k_slot_until, today)));
        break;
      case LicenceFilter::embargoed:
        combined =
            Xapian::Query(Xapian::Query::OP_FILTER, combined,
                          Xapian::Query(Xapian::Query::OP_VALUE_GE, k_slot_from, today + "!"));
        break;
      case LicenceFilter::expired:
        combined = Xapian::Query(Xapian::Query::OP_AND_NOT, combined,
                                 Xapian::Query(Xapian::Query::OP_VALUE_GE, k_slot_until, today));
        break;
    }

    Xapian::Enquire enquire(database);
    enquire.set_query(combined);
    if (query.order != SearchOrder::relevance) {
      enquire.set_sort_by_value_then_relevance(k_slot_date, query.order == SearchOrder::newest);
    }
    const auto mset = enquire.get_mset(static_cast<Xapian::doccount>(query.offset),
                                       static_cast<Xapian::doccount>(query.limit));
    SearchPage page;
    page.total = static_cast<std::int64_t>(mset.get_matches_estimated());
    page.total_exact = mset.get_matches_lower_bound() == mset.get_matches_upper_bound();
    for (auto it = mset.begin(); it != mset.end(); ++it) {
      page.hits.push_back(SearchHit{static_cast<std::int64_t>(*it), it.get_weight()});
    }
    return page;
  } catch (const Xapian::QueryParserError& error) {
    return fail(Errc::invalid_input, query.text,
                "cannot read the search query: " + error.get_msg());
  } catch (const Xapian::DatabaseModifiedError&) {
    throw;  // search() reopens and tries again
  } catch (const Xapian::Error& error) {
    return fail(index_error(error, m_state->directory.string(), "the search failed"));
  }
}

}  // namespace pressroom::catalog
