#pragma once

#include <map>
#include <string>
#include <vector>

namespace pressroom {

// A photo credit as a release writes it, and what it names. Empty strings mean "not given":
// nothing is invented, so `© Anna Schmidt` names a rights holder but no photographer.
struct Credit {
  std::string text;           // as written, without enclosing parentheses: "©Landeshauptstadt
                              // Düsseldorf/David Young"
  std::string rights_holder;  // "Landeshauptstadt Düsseldorf"
  std::string photographer;   // "David Young"
};

// A person shown in a photo, as a caption names them. Empty strings mean "not given".
struct Person {
  std::string name;   // "Thomas Geisel"; an academic title stays: "Dr. Dorothee Stapelfeldt"
  std::string role;   // "OB", "Leiter Hauptstadtbüro WirtschaftsWoche"
  std::string place;  // from "(Düsseldorf)" after the name, or a trailing "…, Moskau"
};

// One photo of a release's photo list, in the release's order.
struct ReleaseEntry {
  int position = 0;     // 1-based, in the order of the list
  std::string caption;  // one line, whitespace normalised, the credit removed
  Credit credit;
  std::string url;  // rebuilt from however the text wrapped it; as written if it looks wrong
  std::vector<Person> people;     // left to right, when the caption says who is shown
  std::string licence_note;       // the terms the release grants, with this entry's credit
  std::vector<std::string> tags;  // a manifest's tags for the photo ("Event|Fair"); a release
                                  // text gives none
  int line = 0;                   // the line of the source text where the entry starts (1-based)
  std::vector<std::string> warnings;  // what looked wrong, one sentence each
};

// The press contact of a release.
struct Contact {
  std::string name;  // "Ingrid Herden" (a written "Herden, Ingrid" is turned round)
  std::string email;
  std::string phone;  // as written: "+49.211.89-93131"
};

// One item of a news page: a dated piece with its own title.
struct NewsItem {
  std::string title;
  std::string subtitle;
  std::string date;      // ISO 8601 "2019-09-02"; empty when unreadable (see warnings)
  std::string date_end;  // the last day of a date range, else empty
  std::string time;      // 24-hour "19:00", else empty
  std::string time_end;  // "20:30", else empty
  std::string location;
  std::string body;  // paragraphs separated by one empty line ("\n\n")
  int line = 0;      // the line of the source text where the item's title is (1-based)
};

enum class ReleaseKind {
  release,  // a press release: titles, body, photo list
  news,     // a news page: several dated items
};

// What a press release or news page says, read from its text.
struct Release {
  ReleaseKind kind = ReleaseKind::release;
  std::string date;  // ISO 8601 "2019-09-01", or empty
  // Titles and body per ISO 639-1 language code ("de", "en"): a bilingual release writes its
  // title "German / English" and repeats its text in the second language.
  std::map<std::string, std::string> titles;
  std::string subtitle;
  std::map<std::string, std::string> body;  // paragraphs separated by "\n\n"
  std::string text_version_url;             // from "Textversion:"
  Contact contact;
  std::string rights_holder;  // who releases the photos: the holder most of the credits name
  std::string licence_grant;  // the download line's grant: "Zu Ihrer redaktionellen Verwendung…"
  std::vector<ReleaseEntry> photos;
  std::vector<NewsItem> items;
  std::vector<std::string> warnings;  // about the document as a whole
};

}  // namespace pressroom
