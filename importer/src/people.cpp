// People shown in a photo, as German and English captions name them.
#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "importer/release_parser.hpp"
#include "text.hpp"

namespace pressroom::importer {
namespace {

// "Von links" markers; the list follows them, or precedes them when they are in parentheses.
// Longer forms first, so that "V.l.n.r.:" is not read as "V.l." followed by "n.r.:".
constexpr std::array<std::string_view, 22> k_left_to_right_markers = {"V.l.n.r.:",
                                                                      "v.l.n.r.:",
                                                                      "V. l. n. r.:",
                                                                      "v. l. n. r.:",
                                                                      "Von links nach rechts:",
                                                                      "von links nach rechts:",
                                                                      "From left to right:",
                                                                      "from left to right:",
                                                                      "(v.l.n.r.)",
                                                                      "(v.l.)",
                                                                      "(from left)",
                                                                      "V.l.n.r.",
                                                                      "v.l.n.r.",
                                                                      "V.l.:",
                                                                      "v.l.:",
                                                                      "V. l.:",
                                                                      "v. l.:",
                                                                      "Von links:",
                                                                      "von links:",
                                                                      "From left:",
                                                                      "from left:",
                                                                      "L-R:"};

// Titles written in front of a name ("OB Thomas Geisel", "Lord Mayor Jane Doe"). Academic
// titles (Dr., Prof.) are part of the name as German captions write it.
constexpr std::array<std::string_view, 44> k_title_words = {"OB",
                                                            "Vize-OB",
                                                            "Bürgermeister",
                                                            "Bürgermeisterin",
                                                            "Oberbürgermeister",
                                                            "Oberbürgermeisterin",
                                                            "Vizebürgermeister",
                                                            "Vizebürgermeisterin",
                                                            "Bezirksbürgermeister",
                                                            "Bezirksbürgermeisterin",
                                                            "Stadtdirektor",
                                                            "Stadtdirektorin",
                                                            "Ministerpräsident",
                                                            "Ministerpräsidentin",
                                                            "Minister",
                                                            "Ministerin",
                                                            "Staatsminister",
                                                            "Staatsministerin",
                                                            "Staatssekretär",
                                                            "Staatssekretärin",
                                                            "Landrat",
                                                            "Landrätin",
                                                            "Botschafter",
                                                            "Botschafterin",
                                                            "Generalkonsul",
                                                            "Generalkonsulin",
                                                            "Konsul",
                                                            "Konsulin",
                                                            "Beigeordnete",
                                                            "Beigeordneter",
                                                            "Stadtdechant",
                                                            "Ratsherr",
                                                            "Ratsfrau",
                                                            "Bundeskanzler",
                                                            "Bundeskanzlerin",
                                                            "Bundespräsident",
                                                            "Bundespräsidentin",
                                                            "Mayor",
                                                            "Lord",
                                                            "Deputy",
                                                            "Senator",
                                                            "Senatorin",
                                                            "Präsident",
                                                            "Präsidentin"};

// Stems of words that begin a role ("Leiter Hauptstadtbüro …", "Vize-Vorsitzende Stadtrat …",
// "Staatsminister im Außenministerium"), compared with the lower-cased first word.
constexpr std::array<std::string_view, 48> k_role_stems = {
    "vorsitzende",   "leiter",      "minister",       "senator",         "präsident",
    "direktor",      "director",    "partner",        "geschäftsführer", "sprecher",
    "bürgermeister", "mayor",       "chairman",       "chairwoman",      "chair",
    "head",          "intendant",   "dezernent",      "beigeordnete",    "stadtrat",
    "stadträtin",    "botschafter", "konsul",         "professor",       "architekt",
    "gründer",       "founder",     "vorstand",       "manager",         "referent",
    "koordinator",   "mitglied",    "member",         "vertreter",       "repräsentant",
    "chef",          "landrat",     "staatssekretär", "abgeordnete",     "president",
    "secretary",     "officer",     "beauftragte",    "kurator",         "moderator",
    "inhaber",       "dekan",       "rektor"};
constexpr std::array<std::string_view, 4> k_short_roles = {"ob", "vize-ob", "ceo", "cto"};

// Lower-case words that belong to names ("Ursula von der Leyen", "Rafael van der Vaart").
constexpr std::array<std::string_view, 20> k_name_particles = {
    "von", "van", "der", "den", "de",  "di",  "da",  "du", "del", "della",
    "la",  "le",  "zu",  "zur", "ten", "ter", "bin", "al", "el",  "dos"};

template <std::size_t N>
bool contains(const std::array<std::string_view, N>& list, std::string_view word) {
  return std::find(list.begin(), list.end(), word) != list.end();
}

bool is_title_word(std::string_view word) {
  return contains(k_title_words, word);
}

bool is_role_start(std::string_view segment) {
  const auto segment_words = text::words(segment);
  if (segment_words.empty()) {
    return false;
  }
  std::string first = text::ascii_lower(segment_words.front());
  for (const std::string_view prefix : {"vize-", "stellv.-", "ex-"}) {
    if (first.starts_with(prefix) && first.size() > prefix.size()) {
      first.erase(0, prefix.size());
    }
  }
  if (contains(k_short_roles, first)) {
    return true;
  }
  // "Stellvertretende Leiterin", "Erster Beigeordneter", "Managing Director": the role word may
  // come second.
  const std::string second =
      segment_words.size() > 1 ? text::ascii_lower(segment_words[1]) : std::string();
  const bool modifier = first.starts_with("stellvertretend") || first.starts_with("erste") ||
                        first.starts_with("ehemalig") || first == "managing" || first == "deputy" ||
                        first == "executive";
  return std::any_of(k_role_stems.begin(), k_role_stems.end(), [&](std::string_view stem) {
    return first.find(stem) != std::string::npos ||
           (modifier && second.find(stem) != std::string::npos);
  });
}

bool is_name_word(std::string_view word) {
  if (contains(k_name_particles, word)) {
    return true;
  }
  if (!text::starts_upper(word)) {
    return false;
  }
  for (const char byte : word) {
    const bool allowed = byte == '-' || byte == '.' || byte == '\'' ||
                         static_cast<unsigned char>(byte) >= 0x80 || (byte >= 'A' && byte <= 'Z') ||
                         (byte >= 'a' && byte <= 'z');
    if (!allowed) {
      return false;
    }
  }
  return word.find("\u201C") == std::string_view::npos &&
         word.find("\u201E") == std::string_view::npos;
}

// words[from, to) joined with single spaces.
std::string join_words(const std::vector<std::string_view>& words, std::size_t from,
                       std::size_t to) {
  std::string out;
  for (std::size_t i = from; i < to; ++i) {
    out += (i == from ? "" : " ");
    out += words[i];
  }
  return out;
}

// A list item split into its parts: "OB Thomas Geisel (Düsseldorf)".
struct Parts {
  std::string title;  // "OB"
  std::string name;   // "Thomas Geisel"
  std::string place;  // "Düsseldorf"
  int name_words = 0;
  bool is_name = false;  // the name part has the shape of a person's name
};

Parts split_item(std::string_view item) {
  Parts parts;
  item = text::trim(item);
  if (item.ends_with(')')) {
    const std::size_t open = item.rfind('(');
    if (open != std::string_view::npos && open > 0) {
      parts.place = text::collapse_spaces(item.substr(open + 1, item.size() - open - 2));
      item = text::trim(item.substr(0, open));
    }
  }
  auto item_words = text::words(item);
  std::size_t first = 0;
  while (first + 1 < item_words.size() && is_title_word(item_words[first])) {
    ++first;
  }
  parts.title = join_words(item_words, 0, first);
  parts.name = join_words(item_words, first, item_words.size());
  bool shaped = first < item_words.size();
  bool has_upper = false;
  for (std::size_t i = first; i < item_words.size(); ++i) {
    shaped = shaped && is_name_word(item_words[i]);
    has_upper = has_upper || text::starts_upper(item_words[i]);
  }
  parts.name_words = static_cast<int>(item_words.size() - first);
  parts.is_name = shaped && has_upper && parts.name_words <= 5;
  return parts;
}

// `text` split at ", " outside parentheses.
std::vector<std::string_view> split_commas(std::string_view text) {
  std::vector<std::string_view> out;
  int depth = 0;
  std::size_t start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '(') {
      ++depth;
    } else if (text[i] == ')' && depth > 0) {
      --depth;
    } else if (text[i] == ',' && depth == 0) {
      out.push_back(text::trim(text.substr(start, i - start)));
      start = i + 1;
    }
  }
  out.push_back(text::trim(text.substr(start)));
  return out;
}

Person to_person(const Parts& parts) {
  return {parts.name, parts.title, parts.place};
}

// The list after "V.l.:": names, each optionally with a title before it, a place in
// parentheses after it, and a role as the next comma-separated item.
std::vector<Person> people_in_list(std::string_view list) {
  while (!list.empty() && (list.back() == '.' || list.back() == ' ')) {
    list.remove_suffix(1);
  }
  std::vector<Person> people;
  bool last_has_role = true;
  for (const std::string_view segment : split_commas(list)) {
    if (segment.empty()) {
      continue;
    }
    // "Vize-OB Michal Olszewski (Warschau) und Sven Böll": two people in one item.
    std::vector<std::string_view> items;
    bool split = false;
    for (const std::string_view conjunction : {" und ", " and ", " sowie ", " & "}) {
      const std::size_t at = segment.rfind(conjunction);
      if (at == std::string_view::npos) {
        continue;
      }
      const Parts left = split_item(segment.substr(0, at));
      const Parts right = split_item(segment.substr(at + conjunction.size()));
      // Roles have "und" too ("Leiter Marketing und Vertrieb"): a second person has a first
      // name and a surname, and the first is a name and not a role.
      const bool left_is_role = left.title.empty() && is_role_start(segment);
      if (left.is_name && !left_is_role && right.is_name && right.name_words >= 2) {
        items = {segment.substr(0, at), segment.substr(at + conjunction.size())};
        split = true;
        break;
      }
    }
    if (!split) {
      items = {segment};
    }
    for (const std::string_view item : items) {
      const Parts parts = split_item(item);
      const bool titled_name = !parts.title.empty() && parts.is_name && parts.name_words >= 2;
      if (!people.empty() && !last_has_role && parts.place.empty() && !titled_name &&
          is_role_start(item)) {
        people.back().role = text::collapse_spaces(item);
        last_has_role = true;
        continue;
      }
      if (!parts.is_name) {
        continue;  // neither a name nor a role: not something the list says of a person
      }
      people.push_back(to_person(parts));
      last_has_role = !parts.title.empty();
    }
  }
  return people;
}

// "Name, Role[, More role][, Place]" at the start of a caption.
std::optional<Person> person_with_role(std::string_view caption) {
  const auto segments = split_commas(caption);
  if (segments.size() < 2) {
    return std::nullopt;
  }
  const Parts parts = split_item(segments[0]);
  if (!parts.is_name || parts.name_words < 2 || !parts.place.empty() ||
      !is_role_start(segments[1])) {
    return std::nullopt;
  }
  Person person = to_person(parts);
  person.role = text::collapse_spaces(segments[1]);
  for (std::size_t i = 2; i < segments.size(); ++i) {
    const auto segment_words = text::words(segments[i]);
    if (segment_words.empty() || !text::starts_upper(segment_words.front())) {
      break;  // "…, bei seiner Rede": the caption goes on about something else
    }
    if (i + 1 == segments.size() && segment_words.size() == 1 &&
        is_name_word(segment_words.front())) {
      person.place = std::string(segment_words.front());  // "…, Moskau"
    } else {
      person.role += ", " + text::collapse_spaces(segments[i]);
    }
  }
  return person;
}

// "Oberbürgermeister Thomas Geisel begrüßte…": a title, then a name, then the sentence goes on.
std::optional<Person> titled_person(std::string_view caption) {
  const auto caption_words = text::words(caption);
  std::size_t first = 0;
  while (first < caption_words.size() && is_title_word(caption_words[first])) {
    ++first;
  }
  if (first == 0) {
    return std::nullopt;
  }
  Person person;
  person.role = join_words(caption_words, 0, first);
  std::size_t count = 0;
  for (std::size_t i = first; i < caption_words.size() && count < 4; ++i) {
    std::string_view word = caption_words[i];
    const bool ends_clause = word.ends_with(',') || word.ends_with(':');
    if (ends_clause) {
      word.remove_suffix(1);
    }
    if (!is_name_word(word)) {
      break;
    }
    person.name += (count == 0 ? "" : " ");
    person.name += word;
    ++count;
    if (ends_clause) {
      break;
    }
  }
  if (count < 2) {
    return std::nullopt;
  }
  return person;
}

}  // namespace

std::vector<Person> people_in_caption(std::string_view caption) {
  caption = text::trim(caption);
  for (const std::string_view marker : k_left_to_right_markers) {
    const std::size_t at = caption.find(marker);
    if (at == std::string_view::npos) {
      continue;
    }
    if (marker.starts_with("(")) {
      return people_in_list(caption.substr(0, at));
    }
    return people_in_list(caption.substr(at + marker.size()));
  }
  if (auto person = person_with_role(caption)) {
    return {*person};
  }
  if (auto person = titled_person(caption)) {
    return {*person};
  }
  return {};
}

}  // namespace pressroom::importer
