// Credit lines: where a caption's credit starts, and what holder and photographer it names.
#include <algorithm>
#include <array>
#include <string>
#include <string_view>

#include "importer/release_parser.hpp"
#include "text.hpp"

namespace pressroom::importer {
namespace {

constexpr std::string_view k_copyright_sign = "\u00A9";

// Labels that start a credit in German and English press material. "Quelle" (source) is used
// for credits as well.
constexpr std::array<std::string_view, 14> k_credit_labels = {
    "Fotos:",      "Foto:",     "Photos:", "Photo:",  "Bildnachweis:", "Bilder:",   "Bild:",
    "Fotografin:", "Fotograf:", "Credit:", "Quelle:", "Copyright:",    "Copyright", "(c)"};

// Labels in front of a photographer's name inside a credit: "…/Archivbild: Ingo Lammert".
constexpr std::array<std::string_view, 7> k_photographer_labels = {
    "Archivbild:", "Archivfoto:", "Fotografin:", "Fotograf:", "Fotos:", "Foto:", "Photo:"};

// News and picture agencies: in "Foto: Rolf Vennenbernd / dpa" the agency holds the rights.
constexpr std::array<std::string_view, 24> k_agencies = {"dpa",
                                                         "afp",
                                                         "ap",
                                                         "reuters",
                                                         "epa",
                                                         "epa-efe",
                                                         "ddp",
                                                         "dapd",
                                                         "kna",
                                                         "epd",
                                                         "sid",
                                                         "imago",
                                                         "imago images",
                                                         "getty images",
                                                         "picture alliance",
                                                         "picture-alliance",
                                                         "action press",
                                                         "laif",
                                                         "keystone",
                                                         "sz photo",
                                                         "ullstein bild",
                                                         "photothek",
                                                         "shutterstock",
                                                         "xinhua"};

// Words that make a name an organisation's ("Landeshauptstadt Düsseldorf", "Messe Düsseldorf").
constexpr std::array<std::string_view, 22> k_organisation_words = {"landeshauptstadt",
                                                                   "stadt",
                                                                   "gmbh",
                                                                   "ag",
                                                                   "e.v.",
                                                                   "kg",
                                                                   "gbr",
                                                                   "inc.",
                                                                   "ltd",
                                                                   "llc",
                                                                   "verlag",
                                                                   "agentur",
                                                                   "archiv",
                                                                   "polizei",
                                                                   "feuerwehr",
                                                                   "messe",
                                                                   "universität",
                                                                   "museum",
                                                                   "stiftung",
                                                                   "verband",
                                                                   "verein",
                                                                   "city"};
constexpr std::array<std::string_view, 7> k_organisation_endings = {
    "amt", "ministerium", "verwaltung", "werke", "gesellschaft", "regierung", "kanzlei"};

bool is_agency(std::string_view name) {
  const std::string lower = text::ascii_lower(text::trim(name));
  return std::any_of(k_agencies.begin(), k_agencies.end(), [&](std::string_view agency) {
    return lower == agency || (lower.starts_with(agency) && lower.size() > agency.size() &&
                               (lower[agency.size()] == ' ' || lower[agency.size()] == '/'));
  });
}

bool is_organisation(std::string_view name) {
  if (is_agency(name)) {
    return true;
  }
  for (const std::string_view word : text::words(name)) {
    const std::string lower = text::ascii_lower(word);
    for (const std::string_view known : k_organisation_words) {
      if (lower == known) {
        return true;
      }
    }
    for (const std::string_view ending : k_organisation_endings) {
      if (lower.size() > ending.size() + 2 && lower.ends_with(ending)) {
        return true;
      }
    }
  }
  return false;
}

// `part` without a leading photographer label; `labelled` says whether there was one.
std::string_view strip_photographer_label(std::string_view part, bool& labelled) {
  part = text::trim(part);
  for (const std::string_view label : k_photographer_labels) {
    if (text::starts_with_nocase(part, label)) {
      labelled = true;
      return text::trim(part.substr(label.size()));
    }
  }
  labelled = false;
  return part;
}

bool is_word_start(std::string_view text, std::size_t pos) {
  if (pos == 0) {
    return true;
  }
  const char before = text[pos - 1];
  return before == ' ' || before == '(' || before == ',' || before == ';' || before == '[';
}

// The position of the last credit label in `text` that starts a word, or npos. One pass over
// the text: captions can be long, and every entry has one.
std::size_t last_label(std::string_view text, std::size_t& label_size) {
  std::size_t best = std::string_view::npos;
  for (std::size_t pos = 0; pos < text.size(); ++pos) {
    if (!is_word_start(text, pos)) {
      continue;
    }
    const std::string_view rest = text.substr(pos);
    for (const std::string_view label : k_credit_labels) {
      if (text::starts_with_nocase(rest, label)) {
        best = pos;
        label_size = label.size();
        break;
      }
    }
  }
  return best;
}

bool is_separator(char byte) {
  return byte == ' ' || byte == ',' || byte == ';' || byte == ':' || byte == '-';
}

}  // namespace

CaptionAndCredit split_credit(std::string_view caption) {
  caption = text::trim(caption);
  std::size_t label_size = 0;
  std::size_t start = caption.rfind(k_copyright_sign);
  const std::size_t labelled = last_label(caption, label_size);
  // The later of the two starts the credit; so does a label right before the sign ("Foto: ©…").
  if (labelled != std::string_view::npos &&
      (start == std::string_view::npos || labelled > start ||
       text::trim(caption.substr(labelled + label_size, start - labelled - label_size)).empty())) {
    start = labelled;
  }
  if (start == std::string_view::npos) {
    return {std::string(caption), ""};
  }
  std::string_view before = caption.substr(0, start);
  std::string_view credit = caption.substr(start);
  std::string_view after;
  const std::string_view trimmed_before = text::trim(before);
  if (!trimmed_before.empty() && trimmed_before.back() == '(') {
    // "(Foto: …)": the credit ends at its closing parenthesis; text after it is caption again.
    const std::size_t close = credit.find(')');
    before = trimmed_before.substr(0, trimmed_before.size() - 1);
    if (close != std::string_view::npos) {
      after = text::trim(credit.substr(close + 1));
      credit = credit.substr(0, close);
    }
  }
  while (!before.empty() && is_separator(before.back())) {
    before.remove_suffix(1);
  }
  std::string rest(text::trim(before));
  if (!after.empty()) {
    rest += rest.empty() ? "" : " ";
    rest += after;
  }
  return {text::collapse_spaces(rest), text::collapse_spaces(credit)};
}

Credit parse_credit(std::string_view text) {
  std::string written = text::collapse_spaces(text);
  if (written.size() >= 2 && written.front() == '(' && written.back() == ')') {
    written = text::collapse_spaces(std::string_view(written).substr(1, written.size() - 2));
  }
  Credit credit;
  credit.text = written;
  std::string_view body = written;
  bool saw_copyright = false;
  bool saw_label = false;
  // "©", "(c)", "Copyright" and the credit labels, in any combination ("Copyright © Name").
  for (bool stripped = true; stripped;) {
    stripped = false;
    body = text::trim(body);
    if (body.starts_with(k_copyright_sign)) {
      body.remove_prefix(k_copyright_sign.size());
      saw_copyright = true;
      stripped = true;
      continue;
    }
    for (const std::string_view label : k_credit_labels) {
      if (text::starts_with_nocase(body, label)) {
        body.remove_prefix(label.size());
        const bool copyright_label = label.starts_with("Copyright") || label == "(c)";
        saw_copyright = saw_copyright || copyright_label;
        saw_label = saw_label || !copyright_label;
        stripped = true;
        break;
      }
    }
  }
  // A credit without a label ("Landeshauptstadt Düsseldorf/David Young") reads like "©…".
  const bool is_copyright = saw_copyright || !saw_label;
  body = text::trim(body);
  if (body.empty()) {
    return credit;
  }
  const std::size_t slash = body.find('/');
  if (slash == std::string_view::npos) {
    bool labelled = false;
    const std::string name(strip_photographer_label(body, labelled));
    if (!labelled && (is_copyright || is_organisation(name))) {
      credit.rights_holder = name;
    } else {
      credit.photographer = name;
    }
    return credit;
  }
  bool first_labelled = false;
  bool second_labelled = false;
  const std::string first(strip_photographer_label(body.substr(0, slash), first_labelled));
  const std::string second(strip_photographer_label(body.substr(slash + 1), second_labelled));
  bool holder_first = is_copyright;
  if (first_labelled != second_labelled) {
    holder_first = second_labelled;
  } else if (is_organisation(first) != is_organisation(second)) {
    holder_first = is_organisation(first);
  }
  credit.rights_holder = holder_first ? first : second;
  credit.photographer = holder_first ? second : first;
  return credit;
}

}  // namespace pressroom::importer
