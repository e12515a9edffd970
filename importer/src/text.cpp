#include "text.hpp"

#include <array>
#include <cstdint>
#include <cstdlib>
#include <memory>

#include <utf8proc.h>

#include "core/text.hpp"

namespace pressroom::importer::text {
namespace {

// The code point at `text[pos]`, and its length in bytes; -1 length for invalid UTF-8.
struct Decoded {
  char32_t code_point = 0;
  std::ptrdiff_t length = 0;
};
Decoded decode_at(std::string_view text, std::size_t pos) {
  utf8proc_int32_t code_point = 0;
  const auto length =
      utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(text.data() + pos),
                       static_cast<utf8proc_ssize_t>(text.size() - pos), &code_point);
  return {static_cast<char32_t>(code_point), length};
}

// The offset of the first byte that is not valid UTF-8, or npos.
std::size_t first_invalid_utf8(std::string_view bytes) {
  std::size_t pos = 0;
  while (pos < bytes.size()) {
    if (static_cast<unsigned char>(bytes[pos]) < 0x80) {
      ++pos;
      continue;
    }
    const Decoded decoded = decode_at(bytes, pos);
    if (decoded.length <= 0) {
      return pos;
    }
    pos += static_cast<std::size_t>(decoded.length);
  }
  return std::string_view::npos;
}

bool is_space_like(char32_t code_point) {
  return code_point == 0x00A0 || (code_point >= 0x2000 && code_point <= 0x200A) ||
         code_point == 0x202F || code_point == 0x205F || code_point == 0x3000;
}

bool is_invisible(char32_t code_point) {
  return code_point == 0x00AD || (code_point >= 0x200B && code_point <= 0x200D) ||
         code_point == 0x2060 || code_point == 0xFEFF;
}

struct FreeDeleter {
  void operator()(utf8proc_uint8_t* pointer) const noexcept {
    std::free(pointer);  // NOLINT(cppcoreguidelines-no-malloc): utf8proc_map allocates with malloc
  }
};

// Appends `line` in NFC. Only lines with a code point from U+0300 up (lead byte 0xCC and above)
// can change: everything below is Latin and already composed, so most lines are copied.
void append_nfc(std::string& out, std::string_view line) {
  bool may_change = false;
  for (const char byte : line) {
    if (static_cast<unsigned char>(byte) >= 0xCC) {
      may_change = true;
      break;
    }
  }
  if (!may_change) {
    out.append(line);
    return;
  }
  utf8proc_uint8_t* mapped = nullptr;
  const auto length =
      utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(line.data()),
                   static_cast<utf8proc_ssize_t>(line.size()), &mapped,
                   static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE));
  const std::unique_ptr<utf8proc_uint8_t, FreeDeleter> owner(mapped);
  if (length < 0) {
    out.append(line);  // cannot happen for validated UTF-8; keep the text rather than lose it
    return;
  }
  out.append(reinterpret_cast<const char*>(mapped), static_cast<std::size_t>(length));
}

// Line ends to LF, spaces to ' ', invisible and control characters dropped, each line in NFC;
// valid UTF-8 in. One pass: a line is normalised as soon as it ends.
std::string normalise(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::string line;
  const auto end_line = [&] {
    append_nfc(out, line);
    out.push_back('\n');
    line.clear();
  };
  std::size_t pos = 0;
  while (pos < text.size()) {
    const char byte = text[pos];
    const auto value = static_cast<unsigned char>(byte);
    if (value < 0x80) {
      ++pos;
      if (byte == '\r') {
        end_line();
        if (pos < text.size() && text[pos] == '\n') {
          ++pos;
        }
      } else if (byte == '\n' || byte == '\f' || byte == '\v') {
        end_line();
      } else if (byte == '\t') {
        line.push_back(' ');
      } else if (value >= 0x20 && value != 0x7F) {
        line.push_back(byte);
      }
      continue;
    }
    const Decoded decoded = decode_at(text, pos);
    const auto length = static_cast<std::size_t>(decoded.length);
    if (is_space_like(decoded.code_point)) {
      line.push_back(' ');
    } else if (decoded.code_point == 0x2028 || decoded.code_point == 0x2029) {
      end_line();
    } else if (!is_invisible(decoded.code_point) &&
               !(decoded.code_point >= 0x80 && decoded.code_point < 0xA0)) {
      line.append(text.substr(pos, length));
    }
    pos += length;
  }
  append_nfc(out, line);
  return out;
}

constexpr std::size_t k_max_link_length = 4096;

bool is_ascii_space(char byte) {
  return byte == ' ' || byte == '\t' || byte == '\n' || byte == '\r' || byte == '\f' ||
         byte == '\v';
}

}  // namespace

Result<std::string> decode(std::string_view bytes, std::string_view subject,
                           std::vector<std::string>& warnings) {
  if (bytes.size() >= 2 &&
      ((bytes[0] == '\xFF' && bytes[1] == '\xFE') || (bytes[0] == '\xFE' && bytes[1] == '\xFF'))) {
    return fail(Errc::invalid_input, std::string(subject),
                "UTF-16 text; save it as UTF-8 (or Latin-1) and try again");
  }
  if (bytes.substr(0, 3) == "\xEF\xBB\xBF") {
    bytes.remove_prefix(3);
  }
  std::size_t controls = 0;
  for (const char byte : bytes) {
    const auto value = static_cast<unsigned char>(byte);
    if (value == 0) {
      return fail(Errc::invalid_input, std::string(subject),
                  "binary data, not text (it contains NUL bytes)");
    }
    if (value < 0x20 && !is_ascii_space(byte)) {
      ++controls;
    }
  }
  // Text extracted from PDFs has the odd stray control byte; binary data has many.
  if (controls > 16 && controls > bytes.size() / 100) {
    return fail(Errc::invalid_input, std::string(subject),
                "binary data, not text (" + std::to_string(controls) + " control bytes)");
  }
  std::string utf8;
  const std::size_t invalid = first_invalid_utf8(bytes);
  if (invalid == std::string_view::npos) {
    utf8 = normalise(bytes);
  } else {
    warnings.push_back("not valid UTF-8 (first invalid byte at offset " + std::to_string(invalid) +
                       "); read as Latin-1 (Windows-1252)");
    utf8 = normalise(windows_1252_to_utf8(bytes));
  }
  if (trim(utf8).empty()) {
    return fail(Errc::invalid_input, std::string(subject), "empty: there is no text in it");
  }
  return utf8;
}

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    lines.push_back(trim(text.substr(start, end - start)));
    start = end + 1;
  }
  return lines;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && is_ascii_space(text.front())) {
    text.remove_prefix(1);
  }
  while (!text.empty() && is_ascii_space(text.back())) {
    text.remove_suffix(1);
  }
  return text;
}

std::string collapse_spaces(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool pending_space = false;
  for (const char byte : text) {
    if (is_ascii_space(byte)) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) {
      out.push_back(' ');
      pending_space = false;
    }
    out.push_back(byte);
  }
  return out;
}

std::string ascii_lower(std::string_view text) {
  std::string out(text);
  for (char& byte : out) {
    if (byte >= 'A' && byte <= 'Z') {
      byte = static_cast<char>(byte - 'A' + 'a');
    }
  }
  return out;
}

namespace {
char lower_ascii(char byte) {
  return byte >= 'A' && byte <= 'Z' ? static_cast<char>(byte - 'A' + 'a') : byte;
}
}  // namespace

bool starts_with_nocase(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) {
    return false;
  }
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (lower_ascii(text[i]) != lower_ascii(prefix[i])) {
      return false;
    }
  }
  return true;
}

namespace {
utf8proc_category_t first_category(std::string_view word) {
  if (word.empty()) {
    return UTF8PROC_CATEGORY_CN;
  }
  const Decoded decoded = decode_at(word, 0);
  if (decoded.length <= 0) {
    return UTF8PROC_CATEGORY_CN;
  }
  return utf8proc_category(static_cast<utf8proc_int32_t>(decoded.code_point));
}
}  // namespace

bool starts_upper(std::string_view word) {
  const auto category = first_category(word);
  return category == UTF8PROC_CATEGORY_LU || category == UTF8PROC_CATEGORY_LT;
}

bool has_alnum(std::string_view text) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    const Decoded decoded = decode_at(text, pos);
    if (decoded.length <= 0) {
      ++pos;
      continue;
    }
    const auto category = utf8proc_category(static_cast<utf8proc_int32_t>(decoded.code_point));
    if ((category >= UTF8PROC_CATEGORY_LU && category <= UTF8PROC_CATEGORY_LO) ||
        category == UTF8PROC_CATEGORY_ND) {
      return true;
    }
    pos += static_cast<std::size_t>(decoded.length);
  }
  return false;
}

std::vector<std::string_view> words(std::string_view text) {
  std::vector<std::string_view> out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    while (pos < text.size() && is_ascii_space(text[pos])) {
      ++pos;
    }
    const std::size_t start = pos;
    while (pos < text.size() && !is_ascii_space(text[pos])) {
      ++pos;
    }
    if (pos > start) {
      out.push_back(text.substr(start, pos - start));
    }
  }
  return out;
}

std::string strip_markdown(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t pos = 0;
  while (pos < text.size()) {
    if (text.compare(pos, 2, "**") == 0) {
      pos += 2;
      continue;
    }
    if (text[pos] == '[') {
      // A link: keep its text, drop its target. Unmatched brackets stay as they are. The link
      // must close within a window, so that text full of '[' takes linear time.
      const std::string_view window = text.substr(pos, k_max_link_length);
      const std::size_t middle = window.find("](");
      const std::size_t close =
          middle == std::string_view::npos ? middle : window.find(')', middle + 2);
      const std::size_t next_open = window.find('[', 1);
      if (close != std::string_view::npos &&
          (next_open == std::string_view::npos || next_open > middle)) {
        out.append(window.substr(1, middle - 1));
        pos += close + 1;
        continue;
      }
    }
    out.push_back(text[pos]);
    ++pos;
  }
  return out;
}

}  // namespace pressroom::importer::text
