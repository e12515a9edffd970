#pragma once

#include <string>
#include <string_view>

namespace pressroom {

// True when `text` is well-formed UTF-8 (any characters, control characters included).
bool is_valid_utf8(std::string_view text);

// `text` read as Windows-1252, the Latin-1 that Western European writers of IPTC-IIM and EXIF
// actually use (ExifTool reads undeclared IIM the same way), written as UTF-8. The five bytes
// Windows-1252 leaves undefined read as their Latin-1 control characters.
std::string windows_1252_to_utf8(std::string_view text);

// `text` as UTF-8: unchanged when it is valid UTF-8, else read as Windows-1252.
std::string utf8_or_windows_1252(std::string_view text);

}  // namespace pressroom
