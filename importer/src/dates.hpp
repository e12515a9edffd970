#pragma once

#include <string>
#include <string_view>

// Dates and times as German and English press texts write them.
namespace pressroom::importer::dates {

// The ISO 8601 date ("2019-09-01") of a text that is a date and nothing else: "01. September
// 2019", "Sonntag, 1. September 2019", "01.09.2019", "September 2nd 2019", "2 Sept. 2019",
// "2019-09-01". Empty when `text` is not such a date or names no real day.
std::string parse_date(std::string_view text);

// A date or a date range: "August 30th - September 1st 2019" gives "2019-08-30" and
// "2019-09-01"; the first date may leave out the year and month the last one gives.
struct DateRange {
  std::string first;  // empty when unreadable
  std::string last;   // empty unless a range
};
DateRange parse_date_range(std::string_view text);

// A time or a time range in 24-hour form: "07:00 - 08:30 pm" gives "19:00" and "20:30";
// "18 Uhr" gives "18:00".
struct TimeRange {
  std::string first;  // empty when unreadable
  std::string last;
};
TimeRange parse_time_range(std::string_view text);

}  // namespace pressroom::importer::dates
