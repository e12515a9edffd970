#include "search_index.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <optional>
#include <utility>
#include <vector>

#include <sys/stat.h>
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

// Boolean term prefixes of the filters. The value filters (date range, minimum size, licence
// state) are terms as well, so that they narrow the matches instead of reading a value of each:
// a date is a year, a month and a day term; a size a bucket of 100 pixels; a licence "open"
// (no dates) or "dated", whose dates only then are read from the value slots.
constexpr std::string_view k_photographer = "XP";
constexpr std::string_view k_rights_holder = "XR";
constexpr std::string_view k_person = "XS";
constexpr std::string_view k_tag = "XT";
constexpr std::string_view k_release = "XL";
constexpr std::string_view k_orientation = "XO";
constexpr std::string_view k_year = "XY";     // XY2019
constexpr std::string_view k_month = "XM";    // XM201908
constexpr std::string_view k_day = "XD";      // XD20190831
constexpr std::string_view k_width = "XW";    // XW0019: displayed width 1900-1999
constexpr std::string_view k_height = "XH";   // XH0012: displayed height 1200-1299
constexpr std::string_view k_licence = "XU";  // XUopen, XUdated
constexpr int k_size_bucket = 100;
constexpr int k_max_size_bucket = 9999;

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

// Ranking is BM25 with its length normalization done when a photo is indexed: each word's
// within-document part, (k1 + 1) f / (k1 ((1 - b) + b len / L) + f), is stored, scaled, as the
// term's wdf, and a search multiplies it by the word's idf (Xapian's TfIdfWeight "ntn"). The
// matcher then never reads document lengths, which halves the cost of a frequent word (a
// quarter of a million matches), and the ranking stays BM25's with k1 = 1, b = 0.5 and a fixed
// reference length L instead of the collection's average (a photo's caption, release title,
// names and tags, with names and tags counted twice, come to about 60 words).
constexpr double k_bm25_k1 = 1.0;
constexpr double k_bm25_b = 0.5;
constexpr double k_reference_length = 60.0;
constexpr double k_impact_scale = 50.0;  // wdf 1 to 100

// Bumped whenever documents are indexed differently; an index of another format is rebuilt.
const std::string k_format_key = "pressroom.index_format";
const std::string k_format = "2";

// Documents indexed per Xapian commit while catching up.
constexpr int k_batch = 5000;
// update() compacts the index after a large catch-up: 50,000 documents, or at least 1,000 that
// are half the index or more (an index rebuilt on open, an import that doubled the catalog).
constexpr std::int64_t k_compact_after = 50'000;
constexpr std::int64_t k_compact_after_half = 1'000;

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

// `value` in `width` digits, zero-padded: digits(19, 4) is "0019".
std::string digits(int value, int width) {
  std::string text = std::to_string(value);
  return std::string(static_cast<std::size_t>(std::max(0, width - static_cast<int>(text.size()))),
                     '0') +
         text;
}

// "0019" for 1900-1999 pixels: the term of a size's bucket, sorting as its number.
std::string size_bucket(int pixels) {
  return digits(std::clamp(pixels / k_size_bucket, 0, k_max_size_bucket), 4);
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
  // The document to index: the words with their positions and BM25 impact as wdf, the
  // filter terms as they are.
  Xapian::Document finish() const {
    Xapian::Document out;
    Xapian::termcount words = 0;  // the document's length, as BM25 counts it
    for (auto it = m_document.termlist_begin(); it != m_document.termlist_end(); ++it) {
      words += it.get_wdf();
    }
    const auto length = static_cast<double>(words);
    const double norm = k_bm25_k1 * ((1.0 - k_bm25_b) + k_bm25_b * length / k_reference_length);
    for (auto it = m_document.termlist_begin(); it != m_document.termlist_end(); ++it) {
      const Xapian::termcount wdf = it.get_wdf();
      if (wdf == 0) {
        out.add_boolean_term(*it);
        continue;
      }
      for (auto pos = it.positionlist_begin(); pos != it.positionlist_end(); ++pos) {
        out.add_posting(*it, *pos, 0);
      }
      const auto f = static_cast<double>(wdf);
      const double impact = (k_bm25_k1 + 1.0) * f / (norm + f);
      out.add_term(
          *it, static_cast<Xapian::termcount>(std::max(1L, std::lround(impact * k_impact_scale))));
    }
    return out;
  }

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
  if (date.size() >= 10 && is_iso_date(std::string_view(date).substr(0, 10))) {
    const std::string day_digits = date.substr(0, 4) + date.substr(5, 2) + date.substr(8, 2);
    builder.boolean(k_year, day_digits.substr(0, 4));
    builder.boolean(k_month, day_digits.substr(0, 6));
    builder.boolean(k_day, day_digits);
  }
  builder.boolean(k_width, size_bucket(width));
  builder.boolean(k_height, size_bucket(height));
  builder.boolean(k_licence, from == k_no_from && until == k_no_until ? "open" : "dated");
  auto document = builder.finish();
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

struct Day {
  int year = 0;
  int month = 1;
  int day = 1;
};

Day parse_day(std::string_view iso, Day otherwise) {
  if (iso.empty()) {
    return otherwise;
  }
  const auto number = [&](std::size_t at, std::size_t length) {
    return std::stoi(std::string(iso.substr(at, length)));
  };
  return Day{number(0, 4), number(5, 2), number(8, 2)};
}

int days_in_month(int year, int month) {
  static constexpr std::array<int, 12> k_days{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : k_days.at(static_cast<std::size_t>(month - 1));
}

// The year, month and day terms that cover the days first..last of one year: whole months as
// month terms, the rest of a month as day terms.
void cover_year(int year, Day first, Day last, std::vector<Xapian::Query>& out) {
  if (first.month == 1 && first.day == 1 && last.month == 12 && last.day == 31) {
    out.emplace_back(term(k_year, digits(year, 4)));
    return;
  }
  for (int month = first.month; month <= last.month; ++month) {
    const int from = month == first.month ? first.day : 1;
    const int until = month == last.month ? last.day : days_in_month(year, month);
    const std::string month_digits = digits(year, 4) + digits(month, 2);
    if (from == 1 && until == days_in_month(year, month)) {
      out.emplace_back(term(k_month, month_digits));
      continue;
    }
    for (int day = from; day <= until; ++day) {
      out.emplace_back(term(k_day, month_digits + digits(day, 2)));
    }
  }
}

// The photos dated from..to (ISO days, empty: open): an OR of at most two years' worth of
// month and day terms, and the year terms between them that the index holds.
Xapian::Query date_filter(const Xapian::Database& database, std::string_view from_iso,
                          std::string_view to_iso) {
  const Day from = parse_day(from_iso, Day{0, 1, 1});
  const Day to = parse_day(to_iso, Day{9999, 12, 31});
  const auto key = [](const Day& day) { return (day.year * 100 + day.month) * 100 + day.day; };
  if (key(from) > key(to)) {
    return Xapian::Query::MatchNothing;
  }
  std::vector<Xapian::Query> terms;
  if (from.year == to.year) {
    cover_year(from.year, from, to, terms);
  } else {
    cover_year(from.year, from, Day{from.year, 12, 31}, terms);
    const std::string first_between = term(k_year, digits(from.year + 1, 4));
    const std::string last = term(k_year, digits(to.year, 4));
    for (auto it = database.allterms_begin(std::string(k_year)); it != database.allterms_end();
         ++it) {
      if (*it >= first_between && *it < last) {
        terms.emplace_back(*it);
      }
    }
    cover_year(to.year, Day{to.year, 1, 1}, to, terms);
  }
  return {Xapian::Query::OP_OR, terms.begin(), terms.end()};
}

// The photos at least `minimum` pixels wide (or high): every bucket above the minimum's, and
// in the minimum's own bucket those whose value is large enough.
Xapian::Query size_filter(const Xapian::Database& database, std::string_view prefix,
                          Xapian::valueno slot, int minimum) {
  const std::string own = term(prefix, size_bucket(minimum));
  std::vector<Xapian::Query> parts;
  if (minimum % k_size_bucket == 0) {
    parts.emplace_back(own);
  } else {
    parts.emplace_back(
        Xapian::Query::OP_FILTER, Xapian::Query(own),
        Xapian::Query(Xapian::Query::OP_VALUE_GE, slot, Xapian::sortable_serialise(minimum)));
  }
  for (auto it = database.allterms_begin(std::string(prefix)); it != database.allterms_end();
       ++it) {
    if (*it > own) {
      parts.emplace_back(*it);
    }
  }
  return {Xapian::Query::OP_OR, parts.begin(), parts.end()};
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
  ino_t reader_inode = 0;                          // the folder `reader` opened
  dev_t reader_device = 0;

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
    // A rebuild in any process replaces the index's folder by a compacted copy (compact()):
    // a reader of the old folder opens the new one, since reopen() would keep reading the
    // old folder's files.
    struct stat info {};
    const bool replaced = ::stat(directory.c_str(), &info) == 0 &&
                          (info.st_ino != reader_inode || info.st_dev != reader_device);
    if (!reader || replaced) {
      reader.reset();
      reader.emplace(directory.string());
      reader_inode = info.st_ino;
      reader_device = info.st_dev;
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
      state->memory->set_metadata(k_format_key, k_format);
      rebuild = true;
    } else {
      std::error_code ignored;
      if (!std::filesystem::exists(directory / "iamglass", ignored)) {
        rebuild = true;
      } else {
        const Xapian::Database existing(directory.string());
        rebuild = existing.get_metadata(k_catalog_id_key) != *id ||
                  existing.get_metadata(k_format_key) != k_format;
      }
      if (rebuild) {
        // Missing, built for another catalog (this one is a restored backup) or by another
        // version of pressroom: start over.
        Xapian::WritableDatabase writer(directory.string(),
                                        Xapian::DB_CREATE_OR_OVERWRITE | Xapian::DB_BACKEND_GLASS);
        writer.set_metadata(k_catalog_id_key, *id);
        writer.set_metadata(k_format_key, k_format);
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
  std::int64_t indexed = 0;
  if (auto caught_up = catch_up(database, indexed); !caught_up) {
    return caught_up;
  }
  // A large catch-up leaves the index's blocks half full.
  if (indexed < k_compact_after_half) {
    return {};
  }
  auto documents = document_count();
  if (!documents) {
    return fail(documents.error());
  }
  return indexed >= k_compact_after || 2 * indexed >= *documents ? compact() : Result<void>{};
}

Result<void> SearchIndex::catch_up(Database& database, std::int64_t& indexed) {
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
          writer.set_metadata(k_format_key, k_format);
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
    indexed += static_cast<std::int64_t>(batch.size());
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
        writer.set_metadata(k_format_key, k_format);
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
  std::int64_t indexed = 0;
  if (auto caught_up = catch_up(database, indexed); !caught_up) {
    return caught_up;
  }
  return compact();
}

Result<void> SearchIndex::compact() {
  if (m_state->memory) {
    return {};
  }
  // Written document by document, the index's B-trees are left with blocks half full: a
  // compacted copy reads a third fewer blocks per search. It is made beside the index while
  // the write lock is held, so that no change is lost in between, and then takes its place.
  const std::filesystem::path& directory = m_state->directory;
  const std::filesystem::path fresh = directory.string() + ".compact";
  const std::filesystem::path old = directory.string() + ".old";
  std::error_code ignored;
  std::filesystem::remove_all(fresh, ignored);
  std::filesystem::remove_all(old, ignored);
  bool locked = false;
  auto compacted = m_state->with_writer(
      [&](Xapian::WritableDatabase& /*lock*/) -> Result<void> {
        Xapian::Database(directory.string())
            .compact(fresh.string(), Xapian::DBCOMPACT_NO_RENUMBER | Xapian::Compactor::FULL);
        std::error_code error;
        std::filesystem::rename(directory, old, error);
        if (!error) {
          std::filesystem::rename(fresh, directory, error);
        }
        if (error) {
          return fail(Errc::database, directory.string(),
                      "cannot replace the search index by its compacted copy: " + error.message());
        }
        return {};
      },
      locked);
  if (!compacted && std::filesystem::exists(old, ignored) &&
      !std::filesystem::exists(directory, ignored)) {
    std::filesystem::rename(old, directory, ignored);  // the copy could not take its place
  }
  std::filesystem::remove_all(old, ignored);
  std::filesystem::remove_all(fresh, ignored);
  m_state->reader.reset();  // this process's reader opens the compacted index afresh
  return compacted;         // locked: another process writes it; it stays as it is
}

Result<std::int64_t> SearchIndex::document_count() {
  for (int attempt = 1;; ++attempt) {
    try {
      return static_cast<std::int64_t>(m_state->database().get_doccount());
    } catch (const Xapian::DatabaseError& error) {
      if (attempt == 5) {
        return fail(index_error(error, m_state->directory.string(), "cannot read the index"));
      }
      m_state->reader.reset();  // modified or replaced: open it afresh
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
    } catch (const Xapian::DatabaseError& error) {
      // Modified, or replaced by its compacted copy (see compact()): open it afresh.
      if (attempt == k_attempts) {
        return fail(index_error(error, m_state->directory.string(), "the search failed"));
      }
      m_state->reader.reset();
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
      filters.push_back(date_filter(database, query.date_from, query.date_to));
    }
    if (query.orientation != Orientation::any) {
      const char* name = query.orientation == Orientation::landscape  ? "landscape"
                         : query.orientation == Orientation::portrait ? "portrait"
                                                                      : "square";
      filters.emplace_back(term(k_orientation, name));
    }
    if (query.min_width > 0) {
      filters.push_back(size_filter(database, k_width, k_slot_width, query.min_width));
    }
    if (query.min_height > 0) {
      filters.push_back(size_filter(database, k_height, k_slot_height, query.min_height));
    }
    Xapian::Query combined = text;
    if (!filters.empty()) {
      combined =
          Xapian::Query(Xapian::Query::OP_FILTER, combined,
                        Xapian::Query(Xapian::Query::OP_AND, filters.begin(), filters.end()));
    }
    // The licence state: usable is from <= today <= until; embargoed from > today ("today!"
    // sorts after today and before tomorrow); expired until < today. Only licences with dates
    // ("dated") have their dates read.
    const Xapian::Query dated(term(k_licence, "dated"));
    switch (query.licence) {
      case LicenceFilter::any:
        break;
      case LicenceFilter::usable:
        combined = Xapian::Query(
            Xapian::Query::OP_FILTER, combined,
            Xapian::Query(Xapian::Query::OP_OR, Xapian::Query(term(k_licence, "open")),
                          Xapian::Query(Xapian::Query::OP_FILTER, dated,
                                        Xapian::Query(Xapian::Query::OP_AND,
                                                      Xapian::Query(Xapian::Query::OP_VALUE_LE,
                                                                    k_slot_from, today),
                                                      Xapian::Query(Xapian::Query::OP_VALUE_GE,
                                                                    k_slot_until, today)))));
        break;
      case LicenceFilter::embargoed:
        combined = Xapian::Query(
            Xapian::Query::OP_FILTER, combined,
            Xapian::Query(Xapian::Query::OP_FILTER, dated,
                          Xapian::Query(Xapian::Query::OP_VALUE_GE, k_slot_from, today + "!")));
        break;
      case LicenceFilter::expired:
        combined = Xapian::Query(Xapian::Query::OP_AND_NOT,
                                 Xapian::Query(Xapian::Query::OP_FILTER, combined, dated),
                                 Xapian::Query(Xapian::Query::OP_VALUE_GE, k_slot_until, today));
        break;
    }

    Xapian::Enquire enquire(database);
    enquire.set_weighting_scheme(Xapian::TfIdfWeight("ntn"));  // see k_bm25_k1
    // Photos that rank alike come in the order they were imported (Xapian's default). Newest
    // first (Enquire::DESCENDING) would keep the matcher from stopping early: "Düsseldorf",
    // in every credit line, took 344 ms instead of 0.08 on a million photos.
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
  } catch (const Xapian::DatabaseError&) {
    throw;  // search() reopens and tries again
  } catch (const Xapian::Error& error) {
    return fail(index_error(error, m_state->directory.string(), "the search failed"));
  }
}

}  // namespace pressroom::catalog
