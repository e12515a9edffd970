// The rules the release parser is built from, one at a time: credits, people, dates, text.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "dates.hpp"
#include "importer/release_parser.hpp"
#include "text.hpp"

namespace pressroom::importer {
namespace {

// Each credit form real press material uses, and what it names. Nothing is invented: "© Name"
// names no photographer, "Foto: Name" no rights holder.
TEST(Credit, ReadsHolderAndPhotographerOfEachCreditForm) {
  struct Case {
    std::string written;
    std::string text;  // as kept: without enclosing parentheses
    std::string holder;
    std::string photographer;
  };
  const std::string city = "Landeshauptstadt D\u00FCsseldorf";
  const std::vector<Case> cases = {
      {"\u00A9" + city + "/David Young", "\u00A9" + city + "/David Young", city, "David Young"},
      {"Foto: Anna Schmidt", "Foto: Anna Schmidt", "", "Anna Schmidt"},
      {"Foto: Rolf Vennenbernd / dpa", "Foto: Rolf Vennenbernd / dpa", "dpa", "Rolf Vennenbernd"},
      {"\u00A9 Rolf Vennenbernd/dpa", "\u00A9 Rolf Vennenbernd/dpa", "dpa", "Rolf Vennenbernd"},
      {"Foto: Messe D\u00FCsseldorf", "Foto: Messe D\u00FCsseldorf", "Messe D\u00FCsseldorf", ""},
      {"(Foto: " + city + "/Archivbild: Ingo Lammert)",
       "Foto: " + city + "/Archivbild: Ingo Lammert", city, "Ingo Lammert"},
      {"\u00A9 Anna Schmidt", "\u00A9 Anna Schmidt", "Anna Schmidt", ""},
  };
  for (const Case& test : cases) {
    const Credit credit = parse_credit(test.written);
    EXPECT_EQ(credit.text, test.text);
    EXPECT_EQ(credit.rights_holder, test.holder) << test.written;
    EXPECT_EQ(credit.photographer, test.photographer) << test.written;
  }
}

TEST(Credit, SplitsTheCreditOffTheEndOfACaption) {
  auto split =
      split_credit("Die Delegierten im Rathaus, \u00A9Landeshauptstadt D\u00FCsseldorf/A B");
  EXPECT_EQ(split.caption, "Die Delegierten im Rathaus");
  EXPECT_EQ(split.credit_text, "\u00A9Landeshauptstadt D\u00FCsseldorf/A B");

  split = split_credit(
      "Die Rheinkniebr\u00FCcke (Foto: Landeshauptstadt D\u00FCsseldorf/"
      "Archivbild: Ingo Lammert) im Abendlicht");
  EXPECT_EQ(split.caption, "Die Rheinkniebr\u00FCcke im Abendlicht");
  EXPECT_EQ(split.credit_text, "Foto: Landeshauptstadt D\u00FCsseldorf/Archivbild: Ingo Lammert");

  split = split_credit("Jubel im Stadion. Foto: Rolf Vennenbernd / dpa");
  EXPECT_EQ(split.caption, "Jubel im Stadion.");
  EXPECT_EQ(split.credit_text, "Foto: Rolf Vennenbernd / dpa");

  split = split_credit("Ein Bild ohne Nachweis");
  EXPECT_EQ(split.caption, "Ein Bild ohne Nachweis");
  EXPECT_EQ(split.credit_text, "");
}

TEST(Credit, DoesNotTakeAWordThatOnlyContainsALabel) {
  const auto split = split_credit("Die Fotoausstellung im Bildungszentrum");
  EXPECT_EQ(split.credit_text, "");
}

void expect_person(const Person& person, const std::string& name, const std::string& role,
                   const std::string& place) {
  EXPECT_EQ(person.name, name);
  EXPECT_EQ(person.role, role);
  EXPECT_EQ(person.place, place);
}

TEST(People, ReadsTheListAfterVonLinksWithRolesAndPlaces) {
  const auto people = people_in_caption(
      "V.l.: OB Thomas Geisel (D\u00FCsseldorf), OB Mohamed Sadiki (Rabat), OB Armand "
      "B\u00E9ouind\u00E9 (Ouagadougou), Magda Popeanu, Vize-Vorsitzende Stadtrat Montreal, "
      "Vize-OB Michal Olszewski (Warschau) und Sven B\u00F6ll, Leiter Hauptstadtb\u00FCro "
      "WirtschaftsWoche");
  ASSERT_EQ(people.size(), 6U);
  expect_person(people[0], "Thomas Geisel", "OB", "D\u00FCsseldorf");
  expect_person(people[1], "Mohamed Sadiki", "OB", "Rabat");
  expect_person(people[2], "Armand B\u00E9ouind\u00E9", "OB", "Ouagadougou");
  expect_person(people[3], "Magda Popeanu", "Vize-Vorsitzende Stadtrat Montreal", "");
  expect_person(people[4], "Michal Olszewski", "Vize-OB", "Warschau");
  expect_person(people[5], "Sven B\u00F6ll", "Leiter Hauptstadtb\u00FCro WirtschaftsWoche", "");
}

TEST(People, ReadsAListBeforeAParenthesisedMarker) {
  const auto people = people_in_caption("Thomas Geisel und Magda Popeanu (v.l.)");
  ASSERT_EQ(people.size(), 2U);
  expect_person(people[0], "Thomas Geisel", "", "");
  expect_person(people[1], "Magda Popeanu", "", "");
}

TEST(People, ReadsACaptionThatStartsWithAPersonAndTheirRole) {
  auto people = people_in_caption("Niels Annen, Staatsminister im Au\u00DFenministerium");
  ASSERT_EQ(people.size(), 1U);
  expect_person(people[0], "Niels Annen", "Staatsminister im Au\u00DFenministerium", "");

  people = people_in_caption(
      "Sergey Cheremin, Minister der Stadtregierung und Leiter des Departments f\u00FCr "
      "internationale und au\u00DFenwirtschaftliche Kontakte, Moskau");
  ASSERT_EQ(people.size(), 1U);
  expect_person(people[0], "Sergey Cheremin",
                "Minister der Stadtregierung und Leiter des Departments f\u00FCr internationale "
                "und au\u00DFenwirtschaftliche Kontakte",
                "Moskau");

  people = people_in_caption("Dr. Dorothee Stapelfeldt, Senatorin f\u00FCr Stadtentwicklung");
  ASSERT_EQ(people.size(), 1U);
  expect_person(people[0], "Dr. Dorothee Stapelfeldt", "Senatorin f\u00FCr Stadtentwicklung", "");
}

TEST(People, ReadsATitleAndANameAtTheStartOfASentence) {
  const auto people = people_in_caption(
      "Oberb\u00FCrgermeister Thomas Geisel begr\u00FC\u00DFte die Delegationen im Rathaus");
  ASSERT_EQ(people.size(), 1U);
  expect_person(people[0], "Thomas Geisel", "Oberb\u00FCrgermeister", "");
}

TEST(People, FindsNobodyInACaptionAboutAGroupOrAPlace) {
  EXPECT_TRUE(people_in_caption("Die Delegierten am zweiten Konferenztag am Samstag, 31. August, "
                                "bei Workshops und internen Meetings")
                  .empty());
  EXPECT_TRUE(people_in_caption("Tonhalle D\u00FCsseldorf, Au\u00DFenansicht bei Nacht").empty());
  EXPECT_TRUE(people_in_caption("").empty());
}

// Each written date and the ISO date it gives; "" where it must give none.
TEST(Dates, ReadsGermanAndEnglishDatesAndRefusesTextAndImpossibleDays) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"01. September 2019", "2019-09-01"},
      {"Sonntag, 1. September 2019", "2019-09-01"},
      {"01.09.2019", "2019-09-01"},
      {"3. M\u00E4rz 2020", "2020-03-03"},
      {"September 2nd 2019", "2019-09-02"},
      {"2 Sept. 2019", "2019-09-02"},
      {"2019-09-01", "2019-09-01"},
      {"29.02.2020", "2020-02-29"},
      {"Pressedienst", ""},
      {"31. Februar 2019", ""},
      {"29.02.2019", ""},
      {"Die Ausstellung ist vom 1. bis 7. September 2019 zu sehen", ""},
  };
  for (const auto& [written, iso] : cases) {
    EXPECT_EQ(dates::parse_date(written), iso) << written;
  }
}

TEST(Dates, ReadsDateAndTimeRanges) {
  const auto range = dates::parse_date_range("August 30th - September 1st 2019");
  EXPECT_EQ(range.first, "2019-08-30");
  EXPECT_EQ(range.last, "2019-09-01");
  const auto days = dates::parse_date_range("30. - 31. August 2019");
  EXPECT_EQ(days.first, "2019-08-30");
  EXPECT_EQ(days.last, "2019-08-31");
  const auto evening = dates::parse_time_range("07:00 - 08:30 pm");
  EXPECT_EQ(evening.first, "19:00");
  EXPECT_EQ(evening.last, "20:30");
  EXPECT_EQ(dates::parse_time_range("18 Uhr").first, "18:00");
  EXPECT_EQ(dates::parse_time_range("soon").first, "");
}

TEST(Text, NormalisesLineEndsSpacesAndComposition) {
  std::vector<std::string> warnings;
  auto text = text::decode("a\r\nb\rc\u00A0d\u00ADe u\u0308", "t", warnings);
  ASSERT_TRUE(text);
  EXPECT_EQ(*text, "a\nb\nc de \u00FC");
  EXPECT_TRUE(warnings.empty());
}

TEST(Text, ReadsWindows1252WhenTheBytesAreNotUtf8) {
  std::vector<std::string> warnings;
  auto text = text::decode("\x84Gr\xFC\xDF Gott\x93 \x80", "t", warnings);
  ASSERT_TRUE(text);
  EXPECT_EQ(*text, "\u201EGr\u00FC\u00DF Gott\u201C \u20AC");
  ASSERT_EQ(warnings.size(), 1U);
  EXPECT_NE(warnings[0].find("offset 0"), std::string::npos);
}

TEST(Text, StripsMarkdownButKeepsUnmatchedBrackets) {
  EXPECT_EQ(text::strip_markdown("**Titel** [auf www.x.de](http://www.x.de) [a b"),
            "Titel auf www.x.de [a b");
}

TEST(Text, KnowsImageExtensions) {
  EXPECT_TRUE(has_image_extension("https://x.de/a/b.JPG"));
  EXPECT_TRUE(has_image_extension("https://x.de/b.jpeg?w=200#top"));
  EXPECT_FALSE(has_image_extension("https://x.de/b_jpg"));
  EXPECT_FALSE(has_image_extension("https://x.de/Moudenc_001"));
  EXPECT_FALSE(has_image_extension("https://www.x.de/"));
}

}  // namespace
}  // namespace pressroom::importer
