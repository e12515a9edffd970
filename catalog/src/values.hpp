#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace pressroom::catalog {

// What a user stores, checked and normalised before anything is written.

// `value` trimmed, runs of white space made one space, in NFC. Errors: invalid_input, naming
// `what` ("the caption"): empty when !allow_empty, longer than max_bytes, not UTF-8, or holding
// control characters.
Result<std::string> clean_text(std::string_view value, std::string_view what, std::size_t max_bytes,
                               bool allow_empty = false);

// The levels of a tag path, "Event | Living Together 2019" → {"Event", "Living Together 2019"},
// each trimmed; empty levels are kept empty (clean_tag_path refuses them).
std::vector<std::string> split_tag_path(std::string_view path);

// Where a person's folded name splits into words, besides spaces; migration 3's trigger splits
// stored names at the same characters (table person_words).
constexpr std::string_view k_name_separators = "-.,'/()&;:\"";

// The words of a folded name: "marc-andre hergenroder" → {"marc", "andre", "hergenroder"}.
std::vector<std::string> name_words(std::string_view folded);

// A folded word with "ae", "oe" and "ue" written as the folded umlaut ("a", "o", "u"):
// "hergenroeder" → "hergenroder", the way "Hergenröder" is folded.
std::string umlauts_written_back(std::string_view folded_word);

// A tag path's levels, each cleaned. Errors: invalid_input (an empty level, too deep, a level
// too long, not UTF-8).
Result<std::vector<std::string>> clean_tag_path(std::string_view path);

}  // namespace pressroom::catalog
