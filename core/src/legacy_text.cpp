#include "legacy_text.hpp"

#include <array>
#include <cstdint>

#include <utf8proc.h>

namespace pressroom {
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
    if (byte < 0xA0 && k_windows_1252_high.at(byte - 0x80U) != 0) {
      code_point = k_windows_1252_high.at(byte - 0x80U);
    }
    append_utf8(out, code_point);
  }
  return out;
}

std::string utf8_or_windows_1252(std::string_view text) {
  return is_valid_utf8(text) ? std::string(text) : windows_1252_to_utf8(text);
}

}  // namespace pressroom
