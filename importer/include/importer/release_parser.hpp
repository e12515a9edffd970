#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/release.hpp"

namespace pressroom::importer {

struct ReleaseParseOptions {
  // Inputs above this size are refused before any parsing (Errc::too_large).
  std::size_t max_bytes = std::size_t{64} << 20U;
};

// Reads a press release or a news page from the text extracted from it (the Düsseldorf press
// service's PDFs and web pages are the model; README "Press releases" lists the rules).
//
// `bytes` is UTF-8, or Latin-1/Windows-1252 when it is not valid UTF-8 (a warning says so);
// CRLF, non-breaking spaces and decomposed umlauts are normalised (NFC). Running page headers and
// "Seite N" lines are removed wherever they fall; wrapped URLs and captions are rejoined. What
// looks wrong but can be read (a URL without a file extension, an entry without a credit, a
// release without a photo list) is kept, with a warning on the entry or the release.
// `subject` names the input in errors ("releases/001.txt").
// Errors: invalid_input (empty, binary, or UTF-16 input), too_large (over options.max_bytes).
// Time and memory are linear in the input size. Thread-safe: it shares no state.
Result<Release> parse_release(std::string_view bytes, std::string_view subject,
                              const ReleaseParseOptions& options = {});

// parse_release() on a file's contents, the file's path as subject.
// Errors: those of parse_release(), and not_found or io when the file cannot be read.
Result<Release> parse_release_file(const std::filesystem::path& file,
                                   const ReleaseParseOptions& options = {});

// Reads a credit line in the forms real press material uses: "©Holder/Photographer",
// "© Name", "Foto: Name", "Foto: Photographer / Agency", "Foto: Holder/Archivbild: Photographer".
// Enclosing parentheses are dropped from the text. Names not given stay empty. `text` is UTF-8.
Credit parse_credit(std::string_view text);

// Finds the credit at the end of a caption ("…, ©Landeshauptstadt Düsseldorf/David Young", or
// "… (Foto: Name)") and splits it off. `caption` is one line of UTF-8 text.
struct CaptionAndCredit {
  std::string caption;      // without the credit and the separator before it
  std::string credit_text;  // empty when the caption names no credit
};
CaptionAndCredit split_credit(std::string_view caption);

// The people a caption names, left to right: the list after "V.l.:" ("von links"), or a caption
// that starts with a person and their role ("Niels Annen, Staatsminister im Außenministerium")
// or with a title and a name ("Oberbürgermeister Thomas Geisel begrüßte…"). Empty when the
// caption names nobody in a form it knows. `caption` is one line without the credit.
std::vector<Person> people_in_caption(std::string_view caption);

// Whether the path of `url` ends in a file extension of an image type ("….jpg", "….JPEG",
// "….png", "….tif", "….webp", …), ignoring any query and fragment.
bool has_image_extension(std::string_view url);

}  // namespace pressroom::importer
