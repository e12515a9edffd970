#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace pressroom {

// Text as the catalog stores and compares it. Unicode by utf8proc.

// True when `text` is well-formed UTF-8 without NUL or other C0 control characters except tab
// and line feed: what the catalog accepts in a caption, a name or a tag.
bool is_clean_utf8(std::string_view text);

// True when `text` is well-formed UTF-8 (any characters, control characters included).
bool is_valid_utf8(std::string_view text);

// `text` read as Windows-1252 — the Latin-1 that Western European writers of text files, IPTC-IIM
// and EXIF actually use (exiftool reads undeclared IIM the same way) — written as UTF-8. The five
// bytes Windows-1252 leaves undefined become U+FFFD.
std::string windows_1252_to_utf8(std::string_view text);

// `text` as UTF-8: unchanged when it is valid UTF-8, else read as Windows-1252.
std::string utf8_or_windows_1252(std::string_view text);

// `text` in Unicode NFC, so that "Hergenröder" typed with a combining diaeresis is the same
// name as the precomposed one. Invalid UTF-8 is returned unchanged.
std::string to_nfc(std::string_view text);

// The form search and name matching compare, as a German press desk expects: case folded
// (full folding, so "ß" becomes "ss"), accents and umlaut dots removed ("Hergenröder" →
// "hergenroder", "Béouindé" → "beouinde", "Straße" → "strasse"). Invalid UTF-8 bytes are
// dropped.
std::string fold_for_search(std::string_view text);

// The German way to write umlauts without them: ä → ae, ö → oe, ü → ue (either case), so that
// a desk typing "Duesseldorf" finds "Düsseldorf". Returns "" when `text` has no umlaut.
std::string umlauts_spelled_out(std::string_view text);

// `text` on one line, as a reader compares it and as a tab-separated list needs it: NFC, every
// run of white space and control characters (tab, newline, …) as one space, trimmed.
std::string single_line(std::string_view text);

// A 64-bit value as exactly 16 lowercase hex digits, most significant first, zeros kept
// ("0000000000000001"): how the catalog stores a perceptual hash (its column's CHECK wants 16
// characters; SQLite's signed INTEGER would show half the hashes negative) and how --json
// prints one.
std::string to_hex16(std::uint64_t value);

// The value of exactly 16 hex digits (either case); nullopt for anything else: shorter or
// longer text, a sign, a "0x", spaces or any other character.
std::optional<std::uint64_t> from_hex16(std::string_view text);

}  // namespace pressroom
