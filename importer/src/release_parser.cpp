// Press releases and news pages from their extracted text. The rules follow the two documents
// of the Düsseldorf press service in tests/fixtures/releases/ (README "Press releases").
#include "importer/release_parser.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/file_io.hpp"
#include "dates.hpp"
#include "text.hpp"

namespace pressroom::importer {
namespace {

// A line of the document that carries text: running headers, page numbers and empty lines are
// gone, and what they were is remembered here.
struct Line {
  std::string_view text;
  int number = 0;             // 1-based line number in the source
  bool blank_before = false;  // an empty line separates it from the line before
  bool break_before = false;  // a page break (header, page number) lies before it
};

// Lines that name the kind of document above its date.
constexpr std::array<std::string_view, 7> k_kind_lines = {
    "Pressedienst",      "Pressemitteilung",   "Pressemeldung", "Presseinformation",
    "Medieninformation", "Presse-Information", "Press release"};

// A URL is rebuilt from at most this many lines; anything longer is not one URL.
constexpr std::size_t k_max_url_lines = 12;

// The first words of the line that hands out the photos, and of the lines after the list.
constexpr std::array<std::string_view, 3> k_download_phrases = {
    "redaktionellen Verwendung", "zum Download zur Verf\u00FCgung", "zum Download bereit"};
constexpr std::array<std::string_view, 5> k_after_list_labels = {
    "Textversion:", "Kontakt:", "Pressekontakt:", "Ansprechpartner:", "Ansprechpartnerin:"};

constexpr std::array<std::string_view, 44> k_german_words = {
    "der",      "die",  "das",  "und",       "ist",   "nicht", "mit",   "sich",   "auf",
    "f\u00FCr", "von",  "den",  "dem",       "des",   "ein",   "eine",  "einen",  "einer",
    "zu",       "zum",  "zur",  "im",        "wir",   "sie",   "auch",  "als",    "bei",
    "wie",      "aus",  "nach", "\u00FCber", "haben", "hat",   "wurde", "werden", "sind",
    "oder",     "aber", "dass", "noch",      "vor",   "uns",   "ihre",  "sollen"};
constexpr std::array<std::string_view, 36> k_english_words = {
    "the",  "and",  "of",   "to",    "is",     "that",  "with",  "for",   "are",
    "were", "have", "has",  "this",  "from",   "on",    "at",    "by",    "we",
    "they", "be",   "been", "which", "their",  "our",   "you",   "can",   "not",
    "it",   "its",  "who",  "met",   "during", "would", "there", "these", "about"};

bool is_page_number(std::string_view line) {
  for (const std::string_view label : {"Seite ", "Page "}) {
    if (text::starts_with_nocase(line, label)) {
      const std::string_view rest = text::trim(line.substr(label.size()));
      const std::size_t digits = rest.find_first_not_of("0123456789");
      if (digits == 0) {
        return false;
      }
      const std::string_view tail = text::trim(rest.substr(std::min(digits, rest.size())));
      return tail.empty() || text::starts_with_nocase(tail, "von ") ||
             text::starts_with_nocase(tail, "of ") || tail.starts_with("/");
    }
  }
  // "- 3 -"
  if (line.size() >= 5 && line.starts_with("- ") && line.ends_with(" -")) {
    const std::string_view inner = text::trim(line.substr(2, line.size() - 4));
    return !inner.empty() && inner.find_first_not_of("0123456789") == std::string_view::npos;
  }
  return false;
}

// The text a running header is compared by: markdown bold gone, spaces collapsed.
std::string header_form(std::string_view line) {
  return text::collapse_spaces(text::strip_markdown(line));
}

// "de", "en", or empty when `paragraph` has too few telling words. `lenient` decides on a
// single word, for titles.
std::string language_of(std::string_view paragraph, bool lenient) {
  int german = 0;
  int english = 0;
  for (std::string_view word : text::words(paragraph)) {
    while (!word.empty() && !text::has_alnum(word.substr(word.size() - 1))) {
      word.remove_suffix(1);
    }
    while (!word.empty() && !text::has_alnum(word.substr(0, 1)) &&
           static_cast<unsigned char>(word.front()) < 0x80) {
      word.remove_prefix(1);
    }
    const std::string lower = text::ascii_lower(word);
    german += std::find(k_german_words.begin(), k_german_words.end(), lower) != k_german_words.end()
                  ? 1
                  : 0;
    english +=
        std::find(k_english_words.begin(), k_english_words.end(), lower) != k_english_words.end()
            ? 1
            : 0;
  }
  const int needed = lenient ? 1 : 2;
  if (german >= needed && german > 2 * english) {
    return "de";
  }
  if (english >= needed && english > 2 * german) {
    return "en";
  }
  return {};
}

// Whether a paragraph ends a sentence, so that text after a page break starts a new one.
bool ends_sentence(std::string_view paragraph) {
  paragraph = text::trim(paragraph);
  for (bool stripped = true; stripped && !paragraph.empty();) {
    stripped = false;
    for (const std::string_view closing :
         {"\"", "'", ")", "\u201C", "\u201D", "\u2019", "\u00AB", "\u00BB", "**"}) {
      if (paragraph.ends_with(closing)) {
        paragraph.remove_suffix(closing.size());
        stripped = true;
      }
    }
  }
  return !paragraph.empty() &&
         std::string_view(".!?:").find(paragraph.back()) != std::string_view::npos;
}

// Appends a wrapped line: "Marc-" and "André" make "Marc-André"; other lines join with a space.
void append_wrapped(std::string& joined, std::string_view line) {
  if (joined.empty()) {
    joined = line;
    return;
  }
  const bool hyphen =
      joined.size() >= 2 && joined.back() == '-' && joined[joined.size() - 2] != ' ';
  if (!hyphen) {
    joined += ' ';
  }
  joined += line;
}

bool is_http(std::string_view url) {
  return text::starts_with_nocase(url, "http://") || text::starts_with_nocase(url, "https://");
}

bool is_url_like(std::string_view url) {
  return is_http(url) || text::starts_with_nocase(url, "www.");
}

// Characters a URL may hold (RFC 3986 unreserved, reserved and '%').
bool is_url_safe(std::string_view token) {
  return !token.empty() && std::all_of(token.begin(), token.end(), [](char byte) {
    const auto value = static_cast<unsigned char>(byte);
    return value > 0x20 && value < 0x7F && byte != '"' && byte != '<' && byte != '>' &&
           byte != '\\' && byte != '^' && byte != '`' && byte != '{' && byte != '|' && byte != '}';
  });
}

// `text` without the '<' or '[' that opens a URL in angle brackets or a markdown link.
std::string_view without_mark(std::string_view text) {
  if (!text.empty() && (text.front() == '<' || text.front() == '[')) {
    text.remove_prefix(1);
  }
  return text;
}

// Whether `text`, without its opening mark, is a non-empty part of "https://", "http://" or
// "www." that a wrap cut off.
bool is_cut_url_start(std::string_view text) {
  const std::string lower = text::ascii_lower(without_mark(text));
  constexpr std::array<std::string_view, 3> k_starts = {"https://", "http://", "www."};
  return std::any_of(k_starts.begin(), k_starts.end(), [&](std::string_view start) {
    return lower.size() < start.size() && start.starts_with(lower);
  });
}

// The first word of `text`, or "" when it has none ("<" alone on its line).
std::string first_word(std::string_view text) {
  const auto all = text::words(text);
  return all.empty() ? std::string() : std::string(all.front());
}

// A parsed markdown link "[text](target)".
struct Link {
  std::string text;
  std::string target;
};
std::optional<Link> read_link(std::string_view joined) {
  if (!joined.starts_with('[')) {
    return std::nullopt;
  }
  const std::size_t middle = joined.find("](");
  if (middle == std::string_view::npos) {
    return std::nullopt;
  }
  const std::size_t close = joined.find(')', middle + 2);
  if (close == std::string_view::npos) {
    return std::nullopt;
  }
  return Link{std::string(joined.substr(1, middle - 1)),
              std::string(joined.substr(middle + 2, close - middle - 2))};
}

// The photo list and the URLs in it.
class EntryReader {
 public:
  EntryReader(const std::vector<Line>& lines, std::size_t begin, std::size_t end)
      : m_lines(lines), m_begin(begin), m_end(end) {}

  std::vector<ReleaseEntry> read();

  // Whether a URL starts at line `i`, also when a wrap cut its "https://" apart.
  bool starts_url(std::size_t i) const;

  // Reads the URL starting at `i`; `i` moves past it.
  std::string read_url(std::size_t& i, std::vector<std::string>& warnings) const;

 private:
  std::optional<std::string> continuation(std::size_t i) const;
  void append_continuations(std::string& url, std::size_t& i, const std::string* target) const;

  const std::vector<Line>& m_lines;
  std::size_t m_begin;
  std::size_t m_end;
};

bool EntryReader::starts_url(std::size_t i) const {
  std::string joined;
  for (std::size_t k = i; k < m_end && k < i + 4; ++k) {
    joined += m_lines[k].text;
    if (is_url_like(without_mark(joined))) {
      return true;
    }
    if (!is_cut_url_start(joined)) {
      return false;
    }
  }
  return false;
}

// The text a line adds to a URL the line before left unfinished: "g", "[.jpg](#)", "<jpg>".
std::optional<std::string> EntryReader::continuation(std::size_t i) const {
  if (i >= m_end) {
    return std::nullopt;
  }
  std::string_view line = m_lines[i].text;
  std::string token;
  if (line.starts_with('[')) {
    const auto link = read_link(line);
    if (!link || (!link->target.empty() && link->target != "#" && link->target != link->text)) {
      return std::nullopt;
    }
    token = link->text;
  } else if (line.starts_with('<') && line.ends_with('>')) {
    token = line.substr(1, line.size() - 2);
  } else {
    token = line;
  }
  // A new "http…" starts the next URL; "www…" may be the rest of a cut "https://".
  if (!is_url_safe(token) || is_http(token)) {
    return std::nullopt;
  }
  return token;
}

void EntryReader::append_continuations(std::string& url, std::size_t& i,
                                       const std::string* target) const {
  for (std::size_t added = 0; added < k_max_url_lines; ++added) {
    if (target == nullptr ? has_image_extension(url)
                          : (url.size() >= target->size() || !target->starts_with(url))) {
      return;
    }
    const auto token = continuation(i);
    if (!token || (target != nullptr && !target->starts_with(url + *token))) {
      return;
    }
    url += *token;
    ++i;
  }
}

std::string EntryReader::read_url(std::size_t& i, std::vector<std::string>& warnings) const {
  const std::size_t start = i;
  std::string joined;
  const char form = m_lines[i].text.front();
  if (form == '<' || form == '[') {
    // Wrapped URLs are cut mid-word: the pieces join without a space, up to the closing mark.
    // A line with a space or a character no URL has is not a piece: the mark was left open.
    while (i < m_end && i < start + k_max_url_lines) {
      const std::string_view piece = m_lines[i].text.substr(0, m_lines[i].text.find('>'));
      if (i > start && !piece.empty() && !is_url_safe(piece)) {
        break;
      }
      joined += m_lines[i].text;
      ++i;
      if (form == '<' ? joined.find('>') != std::string::npos : read_link(joined).has_value()) {
        break;
      }
    }
  } else {
    joined = m_lines[i].text;
    ++i;
    while (i < m_end && is_cut_url_start(joined)) {
      joined += m_lines[i].text;
      ++i;
    }
  }
  std::string url;
  const std::size_t close = form == '<' ? joined.find('>') : std::string::npos;
  const auto link = form == '[' ? read_link(joined) : std::nullopt;
  if ((form == '<' && close == std::string::npos) || (form == '[' && !link)) {
    // The mark was left open: the URL is the first line's first word, and may go on.
    warnings.emplace_back(form == '<' ? "a URL in '<' has no closing '>'"
                                      : "a markdown link '[' has no '](…)' target");
    i = start + 1;
    url = first_word(m_lines[start].text.substr(1));
    append_continuations(url, i, nullptr);
  } else if (form == '<') {
    url = joined.substr(1, close - 1);
    append_continuations(url, i, nullptr);
  } else if (form == '[') {
    if (!is_url_like(link->target)) {
      url = link->text;  // "[.jpg](#)": the text is all there is
      append_continuations(url, i, nullptr);
    } else if (link->text == link->target) {
      url = link->target;
      append_continuations(url, i, nullptr);
    } else if (link->target.starts_with(link->text)) {
      // "[…/Resilient_007.](…/Resilient_007.jpg)" then "[jpg](#)": the text's rest follows.
      url = link->text;
      append_continuations(url, i, &link->target);
      url = link->target;
    } else {
      url = link->target;
      if (is_url_like(link->text)) {
        warnings.push_back("the link text " + link->text + " differs from its target; the target " +
                           "is used");
      }
    }
  } else {
    url = first_word(joined);
    append_continuations(url, i, nullptr);
  }

  if (!has_image_extension(url)) {
    std::string message = "the URL has no file extension";
    const std::string lower = text::ascii_lower(url);
    for (const std::string_view type : {"jpg", "jpeg", "png", "tif", "tiff", "webp"}) {
      if (lower.size() > type.size() + 1 && lower.ends_with(type) &&
          lower[lower.size() - type.size() - 1] != '/') {
        message += ": it ends in '" + url.substr(url.size() - type.size() - 1) + "' where '." +
                   std::string(type) + "' would be expected";
        break;
      }
    }
    warnings.emplace_back(message + "; kept as written");
  }
  if (!is_http(url)) {
    warnings.emplace_back("the URL does not start with http:// or https://; kept as written");
  } else if (!is_url_safe(url)) {
    warnings.emplace_back("the URL contains characters a URL cannot hold; kept as written");
  }
  return url;
}

std::vector<ReleaseEntry> EntryReader::read() {
  std::vector<ReleaseEntry> entries;
  std::size_t i = m_begin;
  while (i < m_end) {
    ReleaseEntry entry;
    entry.position = static_cast<int>(entries.size()) + 1;
    entry.line = m_lines[i].number;
    std::string caption;
    while (i < m_end && !starts_url(i)) {
      append_wrapped(caption, m_lines[i].text);
      ++i;
    }
    if (i < m_end) {
      entry.url = read_url(i, entry.warnings);
    } else {
      entry.warnings.emplace_back("no URL follows this caption");
    }
    auto [caption_text, credit_text] = split_credit(text::strip_markdown(caption));
    entry.caption = std::move(caption_text);
    entry.credit = parse_credit(credit_text);
    if (entry.caption.empty()) {
      entry.warnings.emplace_back("the entry has no caption");
    }
    if (credit_text.empty()) {
      entry.warnings.emplace_back("no credit found in the caption");
    } else if (entry.caption.find("\u00A9") != std::string::npos) {
      entry.warnings.emplace_back(
          "the caption holds a second credit: two entries may have run together where a URL is "
          "missing");
    }
    entry.people = people_in_caption(entry.caption);
    entries.push_back(std::move(entry));
  }
  return entries;
}

// The document's lines without running headers and page numbers.
std::vector<Line> strip_page_breaks(const std::vector<std::string_view>& raw,
                                    std::size_t title_index, const std::string& title) {
  // Running headers: the title, and any text that stands above two or more page numbers.
  std::set<std::string> headers;
  if (!title.empty()) {
    headers.insert(title);
  }
  std::map<std::string, int> above_page_numbers;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (!is_page_number(raw[i])) {
      continue;
    }
    std::size_t j = i;
    while (j > 0 && raw[j - 1].empty()) {
      --j;
    }
    if (j == 0 || raw[j - 1].size() > 400) {
      continue;
    }
    std::string candidate = header_form(raw[j - 1]);
    if (++above_page_numbers[candidate] == 2) {
      headers.insert(std::move(candidate));
    }
  }

  std::vector<Line> lines;
  bool blank = false;
  bool page_break = false;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw[i].empty()) {
      blank = true;
      continue;
    }
    if (i > title_index || title_index == std::string::npos) {
      if (is_page_number(raw[i])) {
        page_break = true;
        continue;
      }
      // A header takes one line, or up to three when the extraction wrapped it.
      std::string joined;
      std::size_t last = i;
      bool is_header = false;
      for (std::size_t k = i; k < raw.size() && k < i + 3 && !raw[k].empty(); ++k) {
        joined += joined.empty() ? "" : " ";
        joined += header_form(raw[k]);
        if (headers.contains(joined)) {
          is_header = true;
          last = k;
          break;
        }
        const bool prefix = std::any_of(headers.begin(), headers.end(), [&](const std::string& h) {
          return h.size() > joined.size() && h.starts_with(joined);
        });
        if (!prefix) {
          break;
        }
      }
      if (is_header) {
        page_break = true;
        i = last;
        continue;
      }
    }
    lines.push_back({raw[i], static_cast<int>(i) + 1, blank, page_break});
    blank = false;
    page_break = false;
  }
  return lines;
}

// Paragraphs of lines [begin, end): an empty line starts a new one, unless it came with a page
// break in the middle of a sentence.
std::vector<std::string> paragraphs(const std::vector<Line>& lines, std::size_t begin,
                                    std::size_t end) {
  std::vector<std::string> out;
  for (std::size_t i = begin; i < end; ++i) {
    const Line& line = lines[i];
    const bool continues =
        !out.empty() && (line.break_before ? !ends_sentence(out.back()) : !line.blank_before);
    if (continues) {
      append_wrapped(out.back(), line.text);
    } else {
      out.emplace_back(line.text);
    }
  }
  for (auto& paragraph : out) {
    paragraph = text::collapse_spaces(text::strip_markdown(paragraph));
  }
  return out;
}

std::string join_paragraphs(const std::vector<std::string>& list) {
  std::string out;
  for (const auto& paragraph : list) {
    out += out.empty() ? "" : "\n\n";
    out += paragraph;
  }
  return out;
}

bool is_kind_line(std::string_view line) {
  return std::any_of(k_kind_lines.begin(), k_kind_lines.end(),
                     [&](std::string_view kind) { return text::starts_with_nocase(line, kind); });
}

bool is_download_line(std::string_view line) {
  return std::any_of(
      k_download_phrases.begin(), k_download_phrases.end(),
      [&](std::string_view phrase) { return line.find(phrase) != std::string_view::npos; });
}

bool is_after_list_line(std::string_view line) {
  return std::any_of(k_after_list_labels.begin(), k_after_list_labels.end(),
                     [&](std::string_view label) { return text::starts_with_nocase(line, label); });
}

bool is_news_date_line(std::string_view line) {
  return text::starts_with_nocase(line, "Date:") || text::starts_with_nocase(line, "Datum:");
}

// "Herden, Ingrid" → "Ingrid Herden"; other forms stay.
std::string contact_name(std::string_view written) {
  std::string name = text::collapse_spaces(written);
  const std::size_t comma = name.find(", ");
  if (comma == std::string::npos || name.find(',', comma + 1) != std::string::npos) {
    return name;
  }
  return name.substr(comma + 2) + " " + name.substr(0, comma);
}

// The title split into its languages: "German / English".
std::map<std::string, std::string> titles_of(const std::string& title) {
  std::size_t at = title.find(" / ");
  while (at != std::string::npos) {
    const std::string first = title.substr(0, at);
    const std::string second = title.substr(at + 3);
    if (language_of(second, true) == "en" && language_of(first, true) != "en") {
      return {{"de", first}, {"en", second}};
    }
    at = title.find(" / ", at + 3);
  }
  const std::string language = language_of(title, true);
  return {{language.empty() ? "de" : language, title}};
}

void read_contact(const std::vector<Line>& lines, std::size_t at, Contact& contact) {
  const std::string_view first = lines[at].text;
  contact.name = contact_name(first.substr(first.find(':') + 1));
  for (std::size_t i = at; i < lines.size() && i < at + 4; ++i) {
    if (i > at && is_after_list_line(lines[i].text)) {
      break;
    }
    for (std::string_view word : text::words(lines[i].text)) {
      while (!word.empty() && (word.back() == ',' || word.back() == ';')) {
        word.remove_suffix(1);
      }
      if (contact.email.empty() && word.find('@') != std::string_view::npos &&
          word.find('.') != std::string_view::npos) {
        contact.email = word;
      }
    }
    const std::string_view line = lines[i].text;
    for (const std::string_view label : {"Telefon", "Tel.:", "Tel.", "Tel:", "Phone", "Fon"}) {
      const std::size_t pos = line.find(label);
      if (contact.phone.empty() && pos != std::string_view::npos) {
        std::string_view rest = text::trim(line.substr(pos + label.size()));
        if (rest.starts_with(':')) {
          rest = text::trim(rest.substr(1));
        }
        contact.phone = text::collapse_spaces(rest.substr(0, rest.find(',')));
      }
    }
  }
}

std::string licence_note_for(const std::string& grant, const ReleaseEntry& entry,
                             const std::string& release_holder) {
  if (grant.empty()) {
    return {};
  }
  std::string note = grant.find("redaktionell") != std::string::npos
                         ? "Editorial use only"
                         : "Use as the release grants it";
  if (!entry.credit.text.empty()) {
    note += ", with the credit \"" + entry.credit.text + "\"";
  } else {
    note += "; the release gives no credit for this photo";
  }
  const std::string& holder =
      entry.credit.rights_holder.empty() ? release_holder : entry.credit.rights_holder;
  if (!holder.empty()) {
    note += ". Rights holder: " + holder;
  }
  return note + ". Release: \"" + grant + "\"";
}

void parse_press_release(const std::vector<std::string_view>& raw, Release& release) {
  // The head: kind line, date, title, subtitle.
  std::size_t title_index = std::string::npos;
  std::size_t seen = 0;
  for (std::size_t i = 0; i < raw.size() && seen < 12; ++i) {
    if (raw[i].empty()) {
      continue;
    }
    ++seen;
    if (is_kind_line(raw[i]) && raw[i].size() < 40) {
      continue;
    }
    if (release.date.empty()) {
      release.date = dates::parse_date(raw[i]);
      if (!release.date.empty()) {
        continue;
      }
    }
    title_index = i;
    break;
  }
  std::string title;
  if (title_index != std::string::npos && raw[title_index].size() <= 1000 &&
      !is_download_line(raw[title_index])) {
    title = header_form(raw[title_index]);
    release.titles = titles_of(title);
  } else {
    title_index = std::string::npos;
    release.warnings.emplace_back("no title found");
  }
  if (release.date.empty()) {
    release.warnings.emplace_back("no release date found above the title");
  }

  const std::vector<Line> lines = strip_page_breaks(raw, title_index, title);
  std::size_t body_begin = 0;
  while (body_begin < lines.size() &&
         (title_index == std::string::npos ||
          lines[body_begin].number <= static_cast<int>(title_index) + 1)) {
    ++body_begin;
  }
  // The subtitle: the short paragraph after the title that ends no sentence.
  if (title_index != std::string::npos && body_begin < lines.size() &&
      (body_begin + 1 == lines.size() || lines[body_begin + 1].blank_before) &&
      lines[body_begin].text.size() <= 600 && !ends_sentence(lines[body_begin].text) &&
      !is_download_line(lines[body_begin].text) && !is_after_list_line(lines[body_begin].text)) {
    release.subtitle = header_form(lines[body_begin].text);
    ++body_begin;
  }

  std::size_t download = lines.size();
  for (std::size_t i = body_begin; i < lines.size(); ++i) {
    if (is_download_line(lines[i].text)) {
      download = i;
      break;
    }
  }
  std::size_t list_begin = download;
  if (download < lines.size()) {
    // The download line may wrap; it ends with its colon.
    std::string grant(lines[download].text);
    list_begin = download + 1;
    while (!text::trim(grant).ends_with(':') && list_begin < lines.size() &&
           list_begin < download + 3 && !lines[list_begin].blank_before) {
      append_wrapped(grant, lines[list_begin].text);
      ++list_begin;
    }
    release.licence_grant = text::collapse_spaces(grant);
  }
  std::size_t list_end = lines.size();
  for (std::size_t i = std::min(list_begin, lines.size()); i < lines.size(); ++i) {
    if (is_after_list_line(lines[i].text)) {
      list_end = i;
      break;
    }
  }

  // The body, per language: German first; a paragraph that reads as another language switches.
  std::string language = release.titles.contains("de") || release.titles.empty()
                             ? "de"
                             : release.titles.begin()->first;
  std::map<std::string, std::vector<std::string>> body;
  for (auto& paragraph : paragraphs(lines, body_begin, std::min(download, list_end))) {
    const std::string detected = language_of(paragraph, false);
    language = detected.empty() ? language : detected;
    body[language].push_back(std::move(paragraph));
  }
  for (const auto& [code, list] : body) {
    release.body[code] = join_paragraphs(list);
  }

  if (download < lines.size()) {
    release.photos = EntryReader(lines, list_begin, list_end).read();
    if (release.photos.empty()) {
      release.warnings.emplace_back("the photo list after the download line is empty");
    }
  } else {
    release.warnings.emplace_back(
        "no photo list: the download line (\"Zu Ihrer redaktionellen Verwendung … zum Download "
        "zur Verfügung:\") was not found");
  }

  // After the list: the text version and the contact.
  for (std::size_t i = list_end; i < lines.size(); ++i) {
    const std::string_view line = lines[i].text;
    if (text::starts_with_nocase(line, "Textversion:") && release.text_version_url.empty()) {
      const std::string_view rest = text::trim(line.substr(line.find(':') + 1));
      if (!rest.empty()) {
        release.text_version_url = first_word(rest);
      } else if (EntryReader reader(lines, i + 1, lines.size()); reader.starts_url(i + 1)) {
        std::size_t next = i + 1;
        std::vector<std::string> ignored;
        release.text_version_url = reader.read_url(next, ignored);
      }
    } else if (!text::starts_with_nocase(line, "Textversion:") && is_after_list_line(line) &&
               release.contact.name.empty()) {
      read_contact(lines, i, release.contact);
    }
  }

  // The release's rights holder: the one most credits name.
  std::map<std::string, int> holders;
  for (const auto& entry : release.photos) {
    if (!entry.credit.rights_holder.empty()) {
      ++holders[entry.credit.rights_holder];
    }
  }
  int best = 0;
  for (const auto& [holder, count] : holders) {
    if (count > best) {
      best = count;
      release.rights_holder = holder;
    }
  }
  for (auto& entry : release.photos) {
    entry.licence_note = licence_note_for(release.licence_grant, entry, release.rights_holder);
  }
}

void parse_news_page(const std::vector<std::string_view>& raw, Release& release) {
  const std::vector<Line> lines = strip_page_breaks(raw, std::string::npos, "");
  std::vector<std::size_t> date_lines;
  for (std::size_t i = 1; i < lines.size(); ++i) {
    if (is_news_date_line(lines[i].text)) {
      date_lines.push_back(i);
    }
  }
  for (std::size_t n = 0; n < date_lines.size(); ++n) {
    const std::size_t at = date_lines[n];
    const std::size_t body_end = n + 1 < date_lines.size() ? date_lines[n + 1] - 1 : lines.size();
    NewsItem item;
    item.title = header_form(lines[at - 1].text);
    item.line = lines[at - 1].number;
    // "Date: January 29th 2019 | Time: 07:00 - 08:30 pm | Location: City Hall Düsseldorf"
    std::string_view fields = lines[at].text;
    while (!fields.empty()) {
      const std::size_t bar = fields.find('|');
      const std::string_view field = text::trim(fields.substr(0, bar));
      fields = bar == std::string_view::npos ? std::string_view() : fields.substr(bar + 1);
      const std::size_t colon = field.find(':');
      if (colon == std::string_view::npos) {
        continue;
      }
      const std::string key = text::ascii_lower(text::trim(field.substr(0, colon)));
      const std::string_view value = text::trim(field.substr(colon + 1));
      if (key == "date" || key == "datum") {
        const auto range = dates::parse_date_range(value);
        item.date = range.first;
        item.date_end = range.last;
        if (item.date.empty()) {
          release.warnings.push_back("news item \"" + item.title + "\": unreadable date \"" +
                                     std::string(value) + "\"");
        }
      } else if (key == "time" || key == "zeit" || key == "uhrzeit") {
        const auto range = dates::parse_time_range(value);
        item.time = range.first;
        item.time_end = range.last;
      } else if (key == "location" || key == "ort") {
        item.location = text::collapse_spaces(value);
      }
    }
    std::vector<std::string> list = paragraphs(lines, at + 1, std::max(at + 1, body_end));
    if (list.size() > 1 && list.front().size() <= 200 && !ends_sentence(list.front())) {
      item.subtitle = list.front();
      list.erase(list.begin());
    }
    item.body = join_paragraphs(list);
    release.items.push_back(std::move(item));
  }
  if (release.items.empty()) {
    release.warnings.emplace_back("no news items: no line starts with \"Date:\"");
  }
}

}  // namespace

bool has_image_extension(std::string_view url) {
  url = url.substr(0, url.find_first_of("?#"));
  const std::size_t dot = url.rfind('.');
  const std::size_t slash = url.rfind('/');
  if (dot == std::string_view::npos || (slash != std::string_view::npos && dot < slash)) {
    return false;
  }
  const std::string extension = text::ascii_lower(url.substr(dot + 1));
  constexpr std::array<std::string_view, 11> k_extensions = {
      "jpg", "jpeg", "jpe", "png", "tif", "tiff", "webp", "gif", "heic", "heif", "avif"};
  return std::find(k_extensions.begin(), k_extensions.end(), extension) != k_extensions.end();
}

Result<Release> parse_release(std::string_view bytes, std::string_view subject,
                              const ReleaseParseOptions& options) {
  if (bytes.size() > options.max_bytes) {
    return fail(Errc::too_large, std::string(subject),
                "the text is " + std::to_string(bytes.size()) + " bytes, over the limit of " +
                    std::to_string(options.max_bytes));
  }
  Release release;
  auto decoded = text::decode(bytes, subject, release.warnings);
  if (!decoded) {
    return fail(decoded.error());
  }
  const std::vector<std::string_view> raw = text::split_lines(*decoded);

  bool release_marks = false;
  bool news_marks = false;
  for (const std::string_view line : raw) {
    release_marks = release_marks || is_page_number(line) || is_download_line(line);
    news_marks = news_marks || is_news_date_line(line);
  }
  if (news_marks && !release_marks) {
    release.kind = ReleaseKind::news;
    parse_news_page(raw, release);
  } else {
    release.kind = ReleaseKind::release;
    parse_press_release(raw, release);
  }
  return release;
}

Result<Release> parse_release_file(const std::filesystem::path& file,
                                   const ReleaseParseOptions& options) {
  auto bytes = read_file(file, options.max_bytes);
  if (!bytes) {
    return fail(bytes.error());
  }
  const std::string_view view(reinterpret_cast<const char*>(bytes->data()), bytes->size());
  return parse_release(view, file.string(), options);
}

}  // namespace pressroom::importer
