// The rules the release parser is built from, one at a time: credits, people, dates, text.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "dates.hpp"
#include "importer/release_parser.hpp"
#include "text.hpp"

namespace pressroom::importer {
namespace {

TEST(Credit, ReadsHolderAndPhotographerAfterTheCopyrightSign) {
  const Credit credit = parse_credit("\u00A9Landeshauptstadt D\u00FCsseldorf/David Young");
  EXPECT_EQ(credit.text, "\u00A9Landeshauptstadt D\u00FCsseldorf/David Young");
  EXPECT_EQ(credit.rights_holder, "Landeshauptstadt D\u00FCsseldorf");
  EXPECT_EQ(credit.photographer, "David Young");
}

TEST(Credit, ReadsThePhotographerOfFotoAndTheAgencyAfterTheSlash) {
  const Credit plain = parse_credit("Foto: Anna Schmidt");
  EXPECT_EQ(plain.photographer, "Anna Schmidt");
  EXPECT_EQ(plain.rights_holder, "");
  const Credit agency = parse_credit("Foto: Rolf Vennenbernd / dpa");
  EXPECT_EQ(agency.photographer, "Rolf Vennenbernd");
  EXPECT_EQ(agency.rights_holder, "dpa");
  const Credit agency_with_copyright = parse_credit("\u00A9 Rolf Vennenbernd/dpa");
  EXPECT_EQ(agency_with_copyright.photographer, "Rolf Vennenbernd");
  EXPECT_EQ(agency_with_copyright.rights_holder, "dpa");
  const Credit organisation = parse_credit("Foto: Messe D\u00FCsseldorf");
  EXPECT_EQ(organisation.rights_holder, "Messe D\u00FCsseldorf");
  EXPECT_EQ(organisation.photographer, "");
}

TEST(Credit, DropsParenthesesAndTheArchiveLabel) {
  const Credit credit =
      parse_credit("(Foto: Landeshauptstadt D\u00FCsseldorf/Archivbild: Ingo Lammert)");
  EXPECT_EQ(credit.text, "Foto: Landeshauptstadt D\u00FCsseldorf/Archivbild: Ingo Lammert");
  EXPECT_EQ(credit.rights_holder, "Landeshauptstadt D\u00FCsseldorf");
  EXPECT_EQ(credit.photographer, "Ingo Lammert");
}

TEST(Credit, NamesOnlyARightsHolderForCopyrightWithoutSlash) {
  const Credit credit = parse_credit("\u00A9 Anna Schmidt");
  EXPECT_EQ(credit.rights_holder, "Anna Schmidt");
  EXPECT_EQ(credit.photographer, "");
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

TEST(Dates, ReadsGermanAndEnglishDates) {
  EXPECT_EQ(dates::parse_date("01. September 2019"), "2019-09-01");
  EXPECT_EQ(dates::parse_date("Sonntag, 1. September 2019"), "2019-09-01");
  EXPECT_EQ(dates::parse_date("01.09.2019"), "2019-09-01");
  EXPECT_EQ(dates::parse_date("3. M\u00E4rz 2020"), "2020-03-03");
  EXPECT_EQ(dates::parse_date("September 2nd 2019"), "2019-09-02");
  EXPECT_EQ(dates::parse_date("2 Sept. 2019"), "2019-09-02");
  EXPECT_EQ(dates::parse_date("2019-09-01"), "2019-09-01");
}

TEST(Dates, RefusesTextAndImpossibleDays) {
  EXPECT_EQ(dates::parse_date("Pressedienst"), "");
  EXPECT_EQ(dates::parse_date("31. Februar 2019"), "");
  EXPECT_EQ(dates::parse_date("29.02.2019"), "");
  EXPECT_EQ(dates::parse_date("29.02.2020"), "2020-02-29");
  EXPECT_EQ(dates::parse_date("Die Ausstellung ist vom 1. bis 7. September 2019 zu sehen"), "");
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
