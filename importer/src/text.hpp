#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

// Text utilities of the release parser: decoding, normalisation and small UTF-8 helpers. All
// functions take and return UTF-8 and run in time linear in their input.
namespace pressroom::importer::text {

// `bytes` as normalised UTF-8 text: a UTF-8 byte-order mark dropped; Latin-1/Windows-1252
// decoded when the bytes are not valid UTF-8 (a warning says so and where the first invalid byte
// is); CRLF and CR turned into LF; tabs, no-break and other space characters turned into plain
// spaces; soft hyphens, zero-width characters and other control characters dropped; and the
// result in Unicode normalisation form C (decomposed umlauts composed).
// Errors: invalid_input for empty text, UTF-16 and binary data (`subject` names the input).
Result<std::string> decode(std::string_view bytes, std::string_view subject,
                           std::vector<std::string>& warnings);

// The lines of `text` (split at '\n'), each without leading and trailing spaces. The views point
// into `text`.
std::vector<std::string_view> split_lines(std::string_view text);

// `text` without leading and trailing ASCII spaces.
std::string_view trim(std::string_view text);

// `text` with every run of ASCII spaces made one space, and trimmed.
std::string collapse_spaces(std::string_view text);

// `text` with ASCII letters in lower case (other bytes unchanged).
std::string ascii_lower(std::string_view text);

// Whether `text` starts with `prefix`, comparing ASCII letters without regard to case.
bool starts_with_nocase(std::string_view text, std::string_view prefix);

// Whether the first character of `word` is an upper-case letter (any script).
bool starts_upper(std::string_view word);

// Whether `text` contains a character with the Unicode property "letter" or "digit", which
// makes it text rather than punctuation.
bool has_alnum(std::string_view text);

// The words of `text`, split at ASCII spaces.
std::vector<std::string_view> words(std::string_view text);

// The text with markdown markup removed: "**bold**" becomes "bold" and a link "[text](target)"
// becomes its text.
std::string strip_markdown(std::string_view text);

}  // namespace pressroom::importer::text
