#include "core/text.hpp"

#include <gtest/gtest.h>

#include "core/rights.hpp"

namespace pressroom {
namespace {

TEST(FoldForSearch, FoldsAsAGermanPressDeskExpects) {
  EXPECT_EQ(fold_for_search("Hergenröder"), "hergenroder");
  EXPECT_EQ(fold_for_search("DÜSSELDORF"), "dusseldorf");
  EXPECT_EQ(fold_for_search("Straße"), "strasse");
  EXPECT_EQ(fold_for_search("STRASSE"), "strasse");
  EXPECT_EQ(fold_for_search("Béouindé Çelik"), "beouinde celik");
  EXPECT_EQ(fold_for_search("Hergenro\xCC\x88"
                            "der"),
            "hergenroder");  // combining diaeresis
  EXPECT_EQ(fold_for_search("bad \xFF byte"), "bad  byte");
}

TEST(UmlautsSpelledOut, WritesUmlautsAsGermanKeyboardsWithoutThemDo) {
  EXPECT_EQ(umlauts_spelled_out("Düsseldorf Königsallee Ärzte Öl Übung"),
            "Duesseldorf Koenigsallee Aerzte Oel Uebung");
  EXPECT_EQ(umlauts_spelled_out("Hergenro\xCC\x88"
                                "der"),
            "Hergenroeder");
  EXPECT_EQ(umlauts_spelled_out("Straße Béouindé"), "");  // no umlaut: nothing to add
}

TEST(ToNfc, ComposesCombiningMarks) {
  EXPECT_EQ(to_nfc("Hergenro\xCC\x88"
                   "der"),
            "Hergenröder");
  EXPECT_EQ(to_nfc("plain"), "plain");
}

TEST(SingleLine, PutsEveryRunOfBlanksAndControlsAsOneSpace) {
  EXPECT_EQ(single_line("  Oberbürgermeister\tKeller\r\n begrüßt \x7f\x01Gäste \n"),
            "Oberbürgermeister Keller begrüßt Gäste");
  EXPECT_EQ(single_line("Hergenro\xcc\x88"
                        "der"),
            "Hergenröder");  // NFC
  EXPECT_EQ(single_line(" \t\n"), "");
}

TEST(IsCleanUtf8, RefusesBrokenBytesAndControlCharacters) {
  EXPECT_TRUE(is_clean_utf8("Düsseldorf\tline\nnext"));
  EXPECT_FALSE(is_clean_utf8("D\xFCsseldorf"));  // Latin-1
  EXPECT_FALSE(is_clean_utf8(std::string("a\0b", 3)));
  EXPECT_FALSE(is_clean_utf8("bell\a"));
}

TEST(Hex16, WritesSixteenLowercaseDigitsAndReadsOnlyExactlySixteen) {
  EXPECT_EQ(to_hex16(0xfedcba9876543210ULL), "fedcba9876543210");
  EXPECT_EQ(to_hex16(0x1ULL), "0000000000000001");
  EXPECT_EQ(from_hex16("fedcba9876543210"), 0xfedcba9876543210ULL);
  EXPECT_EQ(from_hex16("FEDCBA9876543210"), 0xfedcba9876543210ULL);
  EXPECT_EQ(from_hex16("0000000000000001"), 0x1ULL);
  for (const char* bad : {"", "123", "fedcba987654321g", "fedcba98765432100", "-edcba9876543210",
                          "+edcba9876543210", "0xdcba9876543210", " edcba9876543210"}) {
    EXPECT_FALSE(from_hex16(bad)) << bad;
  }
}

TEST(CreditLine, IsBuiltAsThePressServiceWritesIt) {
  EXPECT_EQ(credit_line("Landeshauptstadt Düsseldorf", "David Young"),
            "©Landeshauptstadt Düsseldorf/David Young");
  EXPECT_EQ(credit_line("", "David Young"), "©David Young");
  EXPECT_EQ(credit_line("Landeshauptstadt Düsseldorf", ""), "©Landeshauptstadt Düsseldorf");
  EXPECT_EQ(credit_line("Anna Schmidt", "Anna Schmidt"), "©Anna Schmidt");
  EXPECT_EQ(credit_line("", ""), "");
}

TEST(IsoDate, AcceptsOnlyRealDays) {
  EXPECT_TRUE(is_iso_date("2024-02-29"));
  EXPECT_FALSE(is_iso_date("2023-02-29"));
  EXPECT_FALSE(is_iso_date("2019-13-01"));
  EXPECT_FALSE(is_iso_date("2019-1-01"));
  EXPECT_FALSE(is_iso_date("gestern"));
  EXPECT_TRUE(is_iso_date(today_utc()));
}

TEST(LicenceState, EmbargoAndExpiryAreInclusiveDays) {
  Licence licence;
  licence.valid_from = "2026-12-01";
  licence.valid_until = "2026-12-31";
  EXPECT_EQ(licence_state(licence, "2026-11-30"), LicenceState::embargoed);
  EXPECT_EQ(licence_state(licence, "2026-12-01"), LicenceState::usable);
  EXPECT_EQ(licence_state(licence, "2026-12-31"), LicenceState::usable);
  EXPECT_EQ(licence_state(licence, "2027-01-01"), LicenceState::expired);
  EXPECT_EQ(licence_state(Licence{}, "2027-01-01"), LicenceState::usable);
}

}  // namespace
}  // namespace pressroom
