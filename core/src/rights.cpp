#include "core/rights.hpp"

#include <array>
#include <charconv>
#include <chrono>
#include <cstdio>

namespace pressroom {

const char* to_string(LicenceState state) {
  switch (state) {
    case LicenceState::usable:
      return "usable";
    case LicenceState::embargoed:
      return "embargoed";
    case LicenceState::expired:
      return "expired";
  }
  return "usable";
}

LicenceState licence_state(const Licence& licence, std::string_view today) {
  if (licence.valid_from && std::string_view(*licence.valid_from) > today) {
    return LicenceState::embargoed;
  }
  if (licence.valid_until && std::string_view(*licence.valid_until) < today) {
    return LicenceState::expired;
  }
  return LicenceState::usable;
}

std::string today_utc() {
  const auto now = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  const std::chrono::year_month_day day{now};
  std::array<char, 16> buffer{};
  const int length =
      std::snprintf(buffer.data(), buffer.size(), "%04d-%02u-%02u", static_cast<int>(day.year()),
                    static_cast<unsigned>(day.month()), static_cast<unsigned>(day.day()));
  return {buffer.data(), static_cast<std::size_t>(length)};
}

bool is_iso_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') {
    return false;
  }
  const auto number = [&](std::size_t pos, std::size_t length, int& value) {
    const char* first = text.data() + pos;
    const char* last = first + length;
    for (const char* c = first; c != last; ++c) {
      if (*c < '0' || *c > '9') {
        return false;
      }
    }
    return std::from_chars(first, last, value).ptr == last;
  };
  int year = 0;
  int month = 0;
  int day = 0;
  if (!number(0, 4, year) || !number(5, 2, month) || !number(8, 2, day)) {
    return false;
  }
  const std::chrono::year_month_day date{std::chrono::year{year},
                                         std::chrono::month{static_cast<unsigned>(month)},
                                         std::chrono::day{static_cast<unsigned>(day)}};
  return year >= 1000 && date.ok();
}

std::string credit_line(std::string_view rights_holder, std::string_view photographer) {
  if (rights_holder.empty() && photographer.empty()) {
    return {};
  }
  std::string line = "\u00A9";
  if (rights_holder.empty() || rights_holder == photographer) {
    line += photographer;
  } else if (photographer.empty()) {
    line += rights_holder;
  } else {
    line += rights_holder;
    line += '/';
    line += photographer;
  }
  return line;
}

}  // namespace pressroom
