// credited_copy(): every field it writes, read back by exiftool (not by pressroom's reader).
#include "core/credited_copy.hpp"

#include <fstream>

#include <gtest/gtest.h>

#include "core/embedded_metadata.hpp"
#include "core/file_io.hpp"
#include "test_support.hpp"

namespace pressroom {
namespace {

nlohmann::json exiftool_g1(const std::filesystem::path& file) {
  const auto parsed = nlohmann::json::parse(
      testing::run_process({"/usr/bin/exiftool", "-json", "-G1", "-a", file.string()}).out, nullptr,
      false);
  return parsed.is_array() && !parsed.empty() ? parsed.front() : nlohmann::json::object();
}

TEST(CreditedCopy, WritesEveryFieldInXmpIimAndExif) {
  initialize_metadata();
  auto original = read_file(testing::fixture("iim-latin1.jpg"), 1U << 30U);
  ASSERT_TRUE(original);
  CreditedFields fields;
  fields.caption = "Béouindé Zongo in der Tonhalle";
  fields.headline = "Konzert in Düsseldorf";
  fields.creators = {"Marc-André Hergenröder"};
  fields.credit_line = "©Landeshauptstadt Düsseldorf/Marc-André Hergenröder";
  fields.copyright = "©Landeshauptstadt Düsseldorf";
  fields.usage_terms = "Nur redaktionell";
  fields.people = {"Béouindé Zongo"};
  fields.keywords = {"Konzert", "Tonhalle"};
  fields.hierarchical_keywords = {"Orte|Tonhalle"};
  fields.source_url = "https://www.duesseldorf.de/medienportal/pressedienst/foto.jpg";
  const auto copy = credited_copy(*original, fields, "iim-latin1.jpg");
  ASSERT_TRUE(copy) << to_string(copy.error());
  ASSERT_EQ(copy->shortened.size(), 1U);
  EXPECT_EQ(copy->shortened[0],
            "IIM Credit (2:110) shortened to 32 bytes: \"©Landeshauptstadt Düsseldorf/M\"");

  const testing::TempDir dir;
  const auto file = dir / "copy.jpg";
  {
    std::ofstream out(file, std::ios::binary);
    out.write(reinterpret_cast<const char*>(copy->bytes.data()),
              static_cast<std::streamsize>(copy->bytes.size()));
  }
  const auto tags = exiftool_g1(file);
  EXPECT_EQ(tags["XMP-dc:Description"], fields.caption);
  EXPECT_EQ(tags["IPTC:Caption-Abstract"], fields.caption);
  EXPECT_EQ(tags["IFD0:ImageDescription"], fields.caption);
  EXPECT_EQ(tags["XMP-photoshop:Headline"], "Konzert in Düsseldorf");
  EXPECT_EQ(tags["IPTC:Headline"], "Konzert in Düsseldorf");
  EXPECT_EQ(tags["XMP-dc:Creator"], "Marc-André Hergenröder");
  EXPECT_EQ(tags["IPTC:By-line"], "Marc-André Hergenröder");
  EXPECT_EQ(tags["IFD0:Artist"], "Marc-André Hergenröder");
  EXPECT_EQ(tags["XMP-photoshop:Credit"], fields.credit_line);
  EXPECT_EQ(tags["IPTC:Credit"], "©Landeshauptstadt Düsseldorf/M");
  EXPECT_EQ(tags["XMP-dc:Rights"], fields.copyright);
  EXPECT_EQ(tags["IPTC:CopyrightNotice"], fields.copyright);
  EXPECT_EQ(tags["IFD0:Copyright"], fields.copyright);
  EXPECT_EQ(tags["XMP-xmpRights:UsageTerms"], "Nur redaktionell");
  EXPECT_EQ(tags["XMP-iptcExt:PersonInImage"], "Béouindé Zongo");
  EXPECT_EQ(tags["XMP-dc:Subject"], (nlohmann::json{"Konzert", "Tonhalle"}));
  EXPECT_EQ(tags["IPTC:Keywords"], (nlohmann::json{"Konzert", "Tonhalle"}));
  EXPECT_EQ(tags["XMP-lr:HierarchicalSubject"], "Orte|Tonhalle");
  EXPECT_EQ(tags["XMP-dc:Source"], *fields.source_url);
  EXPECT_EQ(tags["IPTC:CodedCharacterSet"], "UTF8");
  EXPECT_EQ(tags["Photoshop:IPTCDigest"], tags["File:CurrentIPTCDigest"]);
}

}  // namespace
}  // namespace pressroom
