#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace pressroom {

// The terms under which a photo may be used.
struct Licence {
  std::string usage_terms;  // "Zu Ihrer redaktionellen Verwendung, honorarfrei, mit Nennung …"
  bool editorial_only = false;
  bool credit_required = true;
  std::optional<std::string> valid_from;   // ISO 8601 date: an embargo until this day
  std::optional<std::string> valid_until;  // ISO 8601 date: the last day it may be used

  bool operator==(const Licence&) const = default;
};

enum class LicenceState {
  usable,     // no embargo and not expired on the day asked about
  embargoed,  // valid_from is after that day
  expired,    // valid_until is before that day
};
const char* to_string(LicenceState state);

// The state of `licence` on `today` (an ISO 8601 date: dates compare as text).
LicenceState licence_state(const Licence& licence, std::string_view today);

// Today's date in UTC, ISO 8601: "2026-11-27".
std::string today_utc();

// True when `text` is a real calendar date written YYYY-MM-DD ("2019-02-30" is not).
bool is_iso_date(std::string_view text);

// The credit line built from its parts, as the press service writes it:
// ("Landeshauptstadt Düsseldorf", "David Young") → "©Landeshauptstadt Düsseldorf/David Young";
// one part alone → "©David Young"; the same name twice → once. Both empty → "".
std::string credit_line(std::string_view rights_holder, std::string_view photographer);

}  // namespace pressroom
