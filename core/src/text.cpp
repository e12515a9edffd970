#include "core/text.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdlib>
#include <memory>

#include <utf8proc.h>

namespace pressroom {
namespace {

struct FreeDeleter {
  void operator()(utf8proc_uint8_t* pointer) const noexcept {
    std::free(pointer);  // NOLINT(cppcoreguidelines-no-malloc): utf8proc_map allocates with malloc
  }
};

// utf8proc_map over `text`; nullopt-like empty result with ok=false on invalid UTF-8.
bool map(std::string_view text, int options, std::string& out) {
  utf8proc_uint8_t* mapped = nullptr;
  const auto length = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(text.data()),
                                   static_cast<utf8proc_ssize_t>(text.size()), &mapped,
                                   static_cast<utf8proc_option_t>(options));
  const std::unique_ptr<utf8proc_uint8_t, FreeDeleter> owner(mapped);
  if (length < 0) {
    return false;
  }
  out.assign(reinterpret_cast<const char*>(mapped), static_cast<std::size_t>(length));
  return true;
}

bool is_ascii(std::string_view text) {
  return std::ranges::all_of(text,
                             [](char byte) { return static_cast<unsigned char>(byte) < 0x80; });
}

// Calls visit(code_point, bytes) for each UTF-8 sequence of `text`, and visit(-1, byte) for
// each byte that begins no valid sequence; stops when visit returns false.
template <class Visit>
void for_each_sequence(std::string_view text, Visit&& visit) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    utf8proc_int32_t code_point = 0;
    const auto length =
        utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(text.data() + pos),
                         static_cast<utf8proc_ssize_t>(text.size() - pos), &code_point);
    const std::size_t size = length <= 0 ? 1 : static_cast<std::size_t>(length);
    if (!visit(length <= 0 ? -1 : code_point, text.substr(pos, size))) {
      return;
    }
    pos += size;
  }
}

// Only the valid UTF-8 sequences of `text`.
std::string valid_part(std::string_view text) {
  std::string out;
  for_each_sequence(text, [&](utf8proc_int32_t code_point, std::string_view bytes) {
    if (code_point >= 0) {
      out.append(bytes);
    }
    return true;
  });
  return out;
}

}  // namespace

bool is_clean_utf8(std::string_view text) {
  bool clean = true;
  for_each_sequence(text, [&](utf8proc_int32_t code_point, std::string_view /*bytes*/) {
    clean = code_point >= 0 && !((code_point < 0x20 && code_point != '\t' && code_point != '\n') ||
                                 code_point == 0x7F);
    return clean;
  });
  return clean;
}

std::string to_nfc(std::string_view text) {
  std::string out;
  if (is_ascii(text) || !map(text, UTF8PROC_STABLE | UTF8PROC_COMPOSE, out)) {
    return std::string(text);
  }
  return out;
}

std::string fold_for_search(std::string_view text) {
  constexpr int k_fold =
      UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK;
  std::string out;
  if (is_ascii(text)) {
    out.assign(text);
    for (char& c : out) {
      if (c >= 'A' && c <= 'Z') {
        c = static_cast<char>(c - 'A' + 'a');
      }
    }
    return out;
  }
  if (map(text, k_fold, out)) {
    return out;
  }
  (void)map(valid_part(text), k_fold, out);
  return out;
}

std::string umlauts_spelled_out(std::string_view text) {
  // Precomposed (NFC) umlauts are two bytes: C3 A4 ä, C3 B6 ö, C3 BC ü, C3 84 Ä, C3 96 Ö, C3 9C Ü.
  const std::string nfc = to_nfc(text);
  std::string out;
  bool found = false;
  for (std::size_t i = 0; i < nfc.size(); ++i) {
    if (static_cast<unsigned char>(nfc[i]) == 0xC3 && i + 1 < nfc.size()) {
      const char* spelled = nullptr;
      switch (static_cast<unsigned char>(nfc[i + 1])) {
        case 0xA4:
          spelled = "ae";
          break;
        case 0xB6:
          spelled = "oe";
          break;
        case 0xBC:
          spelled = "ue";
          break;
        case 0x84:
          spelled = "Ae";
          break;
        case 0x96:
          spelled = "Oe";
          break;
        case 0x9C:
          spelled = "Ue";
          break;
        default:
          break;
      }
      if (spelled != nullptr) {
        out += spelled;
        found = true;
        ++i;
        continue;
      }
    }
    out.push_back(nfc[i]);
  }
  return found ? out : std::string();
}

// ---- Legacy 8-bit text
namespace {

// Windows-1252 bytes 0x80 to 0x9F; 0 where the code page defines nothing.
constexpr std::array<char32_t, 32> k_windows_1252_high = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

void append_utf8(std::string& out, char32_t code_point) {
  std::array<utf8proc_uint8_t, 4> buffer{};
  const utf8proc_ssize_t length =
      utf8proc_encode_char(static_cast<utf8proc_int32_t>(code_point), buffer.data());
  for (utf8proc_ssize_t i = 0; i < length; ++i) {
    out.push_back(static_cast<char>(buffer.at(static_cast<std::size_t>(i))));
  }
}

}  // namespace

bool is_valid_utf8(std::string_view text) {
  const auto* bytes = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
  auto remaining = static_cast<utf8proc_ssize_t>(text.size());
  while (remaining > 0) {
    utf8proc_int32_t code_point = 0;
    const utf8proc_ssize_t length = utf8proc_iterate(bytes, remaining, &code_point);
    if (length <= 0) {
      return false;
    }
    bytes += length;
    remaining -= length;
  }
  return true;
}

std::string windows_1252_to_utf8(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 4);
  for (const char c : text) {
    const auto byte = static_cast<std::uint8_t>(c);
    if (byte < 0x80) {
      out.push_back(c);
      continue;
    }
    char32_t code_point = byte;
    if (byte < 0xA0) {
      const char32_t mapped = k_windows_1252_high.at(byte - 0x80U);
      code_point = mapped == 0 ? U'\uFFFD' : mapped;
    }
    append_utf8(out, code_point);
  }
  return out;
}

std::string utf8_or_windows_1252(std::string_view text) {
  return is_valid_utf8(text) ? std::string(text) : windows_1252_to_utf8(text);
}

std::string single_line(std::string_view text) {
  std::string out;
  for (const char c : to_nfc(text)) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte == 0x7F) {
      if (!out.empty() && out.back() != ' ') {
        out.push_back(' ');
      }
    } else {
      out.push_back(c);
    }
  }
  if (!out.empty() && out.back() == ' ') {
    out.pop_back();
  }
  return out;
}

std::string to_hex16(std::uint64_t value) {
  constexpr std::string_view k_digits = "0123456789abcdef";
  std::string text(16, '0');
  for (char& digit : text) {  // most significant first
    digit = k_digits[value >> 60U];
    value <<= 4U;
  }
  return text;
}

std::optional<std::uint64_t> from_hex16(std::string_view text) {
  // By hand: std::from_chars would take a prefix of the text and stop at the first non-digit.
  if (text.size() != 16) {
    return std::nullopt;
  }
  std::uint64_t value = 0;
  for (const char digit : text) {
    unsigned nibble = 0;
    if (digit >= '0' && digit <= '9') {
      nibble = static_cast<unsigned>(digit - '0');
    } else if (digit >= 'a' && digit <= 'f') {
      nibble = static_cast<unsigned>(digit - 'a' + 10);
    } else if (digit >= 'A' && digit <= 'F') {
      nibble = static_cast<unsigned>(digit - 'A' + 10);
    } else {
      return std::nullopt;
    }
    value = (value << 4U) | nibble;
  }
  return value;
}

}  // namespace pressroom
