#include "dates.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <optional>
#include <vector>

#include "text.hpp"

namespace pressroom::importer::dates {
namespace {

struct MonthName {
  std::string_view name;  // lower case
  int month;
};

// German and English month names; abbreviations are matched by prefix (at least 3 letters).
constexpr std::array<MonthName, 25> k_months = {{
    {"januar", 1},    {"january", 1},   {"jänner", 1},   {"februar", 2},  {"february", 2},
    {"märz", 3},      {"maerz", 3},     {"march", 3},    {"april", 4},    {"mai", 5},
    {"may", 5},       {"juni", 6},      {"june", 6},     {"juli", 7},     {"july", 7},
    {"august", 8},    {"september", 9}, {"oktober", 10}, {"october", 10}, {"november", 11},
    {"dezember", 12}, {"december", 12}, {"sept", 9},     {"okt", 10},     {"dez", 12},
}};

constexpr std::array<std::string_view, 16> k_weekdays = {
    "montag", "dienstag", "mittwoch",  "donnerstag", "freitag", "samstag",  "sonnabend", "sonntag",
    "monday", "tuesday",  "wednesday", "thursday",   "friday",  "saturday", "sunday",    "den"};

// "märz" is not ASCII: lower-case its capital too.
std::string lower(std::string_view word) {
  std::string out = text::ascii_lower(word);
  if (out.starts_with("\xC3\x84")) {  // "Ä"
    out.replace(0, 2, "\xC3\xA4");
  }
  return out;
}

std::optional<int> month_of(std::string_view word) {
  const std::string name = lower(word);
  if (name.size() < 3) {
    return std::nullopt;
  }
  for (const auto& month : k_months) {
    if (month.name == name || (month.name.starts_with(name) && name.size() >= 3)) {
      return month.month;
    }
  }
  return std::nullopt;
}

std::optional<int> number(std::string_view digits) {
  if (digits.empty() || digits.size() > 4) {
    return std::nullopt;
  }
  int value = 0;
  for (const char digit : digits) {
    if (digit < '0' || digit > '9') {
      return std::nullopt;
    }
    value = value * 10 + (digit - '0');
  }
  return value;
}

int days_in_month(int year, int month) {
  constexpr std::array<int, 12> k_days = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : k_days.at(static_cast<std::size_t>(month - 1));
}

struct Parts {
  int day = 0;
  int month = 0;
  int year = 0;
};

std::string iso(const Parts& parts) {
  if (parts.year < 1900 || parts.year > 2999 || parts.month < 1 || parts.month > 12 ||
      parts.day < 1 || parts.day > days_in_month(parts.year, parts.month)) {
    return {};
  }
  std::array<char, 48> buffer{};
  std::snprintf(buffer.data(), buffer.size(), "%04d-%02d-%02d", parts.year, parts.month, parts.day);
  return buffer.data();
}

// Splits "01.09.2019" and "2019-09-01" into numbers; false when `word` is neither.
bool numeric_date(std::string_view word, Parts& parts) {
  std::vector<std::string_view> fields;
  const char separator = word.find('-') != std::string_view::npos ? '-' : '.';
  std::size_t start = 0;
  while (start <= word.size()) {
    const std::size_t end = std::min(word.find(separator, start), word.size());
    fields.push_back(word.substr(start, end - start));
    start = end + 1;
  }
  if (fields.size() != 3) {
    return false;
  }
  const auto first = number(fields[0]);
  const auto second = number(fields[1]);
  const auto third = number(fields[2]);
  if (!first || !second || !third) {
    return false;
  }
  if (separator == '-' && fields[0].size() == 4) {
    parts = {*third, *second, *first};
    return true;
  }
  if (separator == '.' && fields[2].size() == 4) {
    parts = {*first, *second, *third};
    return true;
  }
  return false;
}

// Reads the day, month and year `text` gives, leaving out what it does not give. False when a
// word is not part of a date.
bool read_parts(std::string_view text, Parts& parts) {
  bool any = false;
  for (std::string_view word : text::words(text)) {
    while (!word.empty() && (word.back() == ',' || word.back() == '.')) {
      word.remove_suffix(1);
    }
    if (word.empty()) {
      continue;
    }
    if (word.find_first_of(".-") != std::string_view::npos && numeric_date(word, parts)) {
      any = true;
      continue;
    }
    std::string_view digits = word;
    for (const std::string_view suffix : {"st", "nd", "rd", "th"}) {
      if (digits.size() > 2 && digits.ends_with(suffix)) {
        digits.remove_suffix(2);
        break;
      }
    }
    if (const auto value = number(digits)) {
      if (digits.size() == 4) {
        parts.year = *value;
      } else if (digits.size() <= 2 && parts.day == 0) {
        parts.day = *value;
      } else {
        return false;
      }
      any = true;
      continue;
    }
    if (const auto month = month_of(word)) {
      parts.month = *month;
      any = true;
      continue;
    }
    if (std::find(k_weekdays.begin(), k_weekdays.end(), lower(word)) == k_weekdays.end()) {
      return false;
    }
  }
  return any;
}

// "07:00", "7", "7.30", with "am"/"pm" after it or not. Hours and minutes, or nullopt.
struct Clock {
  int hour = 0;
  int minute = 0;
  std::string suffix;  // "am", "pm" or empty
};
std::optional<Clock> read_clock(std::string_view text) {
  Clock clock;
  std::string rest = text::ascii_lower(text::trim(text));
  for (const std::string_view suffix : {"am", "pm", "a.m.", "p.m.", "uhr", "h"}) {
    if (rest.ends_with(suffix)) {
      clock.suffix = suffix.front() == 'a' ? "am" : (suffix.front() == 'p' ? "pm" : "");
      rest = std::string(text::trim(std::string_view(rest).substr(0, rest.size() - suffix.size())));
      break;
    }
  }
  const std::size_t colon = rest.find_first_of(":.");
  const auto hour = number(rest.substr(0, colon));
  const auto minute =
      colon == std::string::npos ? std::optional<int>(0) : number(rest.substr(colon + 1));
  if (!hour || !minute || *hour > 24 || *minute > 59) {
    return std::nullopt;
  }
  clock.hour = *hour;
  clock.minute = *minute;
  return clock;
}

std::string clock_text(Clock clock, const std::string& suffix) {
  if (suffix == "pm" && clock.hour < 12) {
    clock.hour += 12;
  } else if (suffix == "am" && clock.hour == 12) {
    clock.hour = 0;
  }
  std::array<char, 32> buffer{};
  std::snprintf(buffer.data(), buffer.size(), "%02d:%02d", clock.hour % 24, clock.minute);
  return buffer.data();
}

// `text` split at a range dash ("-", "–", "bis", "to"); one part when there is none.
std::vector<std::string_view> range_parts(std::string_view text) {
  for (const std::string_view dash : {" - ", " \u2013 ", "\u2013", " bis ", " to ", "-"}) {
    const std::size_t at = text.find(dash);
    if (at != std::string_view::npos && at > 0) {
      return {text::trim(text.substr(0, at)), text::trim(text.substr(at + dash.size()))};
    }
  }
  return {text::trim(text)};
}

}  // namespace

std::string parse_date(std::string_view text) {
  Parts parts;
  if (text.size() > 64 || !read_parts(text, parts)) {
    return {};
  }
  return iso(parts);
}

DateRange parse_date_range(std::string_view text) {
  if (text.size() > 96) {
    return {};
  }
  if (const std::string single = parse_date(text); !single.empty()) {
    return {single, {}};
  }
  const auto parts = range_parts(text);
  if (parts.size() != 2) {
    return {};
  }
  Parts last;
  if (!read_parts(parts[1], last) || iso(last).empty()) {
    return {};
  }
  Parts first;
  if (!read_parts(parts[0], first)) {
    return {};
  }
  first.month = first.month == 0 ? last.month : first.month;
  first.year = first.year == 0 ? last.year : first.year;
  return {iso(first), iso(last)};
}

TimeRange parse_time_range(std::string_view text) {
  if (text.size() > 64) {
    return {};
  }
  const auto parts = range_parts(text);
  const auto first = read_clock(parts[0]);
  if (!first) {
    return {};
  }
  if (parts.size() == 1) {
    return {clock_text(*first, first->suffix), {}};
  }
  const auto last = read_clock(parts[1]);
  if (!last) {
    return {clock_text(*first, first->suffix), {}};
  }
  // "07:00 - 08:30 pm": a suffix written once holds for both ends.
  const std::string& first_suffix = first->suffix.empty() ? last->suffix : first->suffix;
  return {clock_text(*first, first_suffix), clock_text(*last, last->suffix)};
}

}  // namespace pressroom::importer::dates
