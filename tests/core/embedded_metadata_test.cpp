#include "core/embedded_metadata.hpp"

#include <algorithm>
#include <filesystem>

#include <gtest/gtest.h>

#include "core/file_io.hpp"
#include "metadata_oracle.hpp"
#include "test_support.hpp"

namespace pressroom {
namespace {

class EmbeddedMetadataTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { initialize_metadata(); }

  static EmbeddedMetadata read(const std::string& name) {
    auto bytes = read_file(testing::fixture(name), 1U << 30U);
    EXPECT_TRUE(bytes);
    auto metadata = read_embedded_metadata(*bytes, name);
    EXPECT_TRUE(metadata) << to_string(metadata.error());
    return metadata ? *metadata : EmbeddedMetadata{};
  }
};

// exiftool is the oracle: its DateTimeOriginal "2008:04:20 19:12:06" is ours in ISO form.
std::string iso(std::string exif) {
  exif[4] = '-';
  exif[7] = '-';
  exif[10] = 'T';
  return exif;
}

TEST_F(EmbeddedMetadataTest, CameraFileMatchesExiftool) {
  for (const std::string name : {"camera.jpg", "camera-offset.jpg", "large.jpg", "portrait.jpg"}) {
    SCOPED_TRACE(name);
    const EmbeddedMetadata metadata = read(name);
    const auto oracle = testing::exiftool(
        testing::fixture(name), {"ImageWidth", "ImageHeight", "Orientation", "DateTimeOriginal",
                                 "OffsetTimeOriginal", "Make", "Model"});
    EXPECT_EQ(metadata.width, oracle.value("ImageWidth", -1));
    EXPECT_EQ(metadata.height, oracle.value("ImageHeight", -1));
    EXPECT_EQ(metadata.orientation, oracle.value("Orientation", 1));
    if (oracle.contains("DateTimeOriginal")) {
      EXPECT_EQ(metadata.date_taken, iso(oracle["DateTimeOriginal"].get<std::string>()));
    } else {
      EXPECT_EQ(metadata.date_taken, std::nullopt);
    }
    if (oracle.contains("OffsetTimeOriginal")) {
      EXPECT_EQ(metadata.date_taken_offset, oracle["OffsetTimeOriginal"].get<std::string>());
    } else {
      EXPECT_EQ(metadata.date_taken_offset, std::nullopt);
    }
    EXPECT_EQ(metadata.camera_make.value_or(""), oracle.value("Make", ""));
    EXPECT_EQ(metadata.camera_model.value_or(""), oracle.value("Model", ""));
  }
}

TEST_F(EmbeddedMetadataTest, ReadsTheCanonAndTheOffset) {
  const EmbeddedMetadata plain = read("camera.jpg");
  EXPECT_EQ(plain.camera_make, "Canon");
  EXPECT_EQ(plain.camera_model, "Canon EOS 400D DIGITAL");
  EXPECT_EQ(plain.date_taken, "2008-04-20T19:12:06");
  EXPECT_EQ(plain.date_taken_offset, std::nullopt);
  EXPECT_EQ(read("camera-offset.jpg").date_taken_offset, "+02:00");
}

TEST_F(EmbeddedMetadataTest, OrientationsMatchExiftoolAndBadValuesReadAsOne) {
  for (int n = 1; n <= 8; ++n) {
    const std::string name = "orientation-" + std::to_string(n) + ".jpg";
    EXPECT_EQ(read(name).orientation,
              testing::exiftool(testing::fixture(name), {"Orientation"}).value("Orientation", -1));
  }
  EXPECT_EQ(read("orientation-0.jpg").orientation, 1);
  EXPECT_TRUE(read("orientation-0.jpg").warnings.empty()) << "0 means unknown, not an error";
  const EmbeddedMetadata garbage = read("orientation-9.jpg");
  EXPECT_EQ(garbage.orientation, 1);
  ASSERT_EQ(garbage.warnings.size(), 1U);
  EXPECT_NE(garbage.warnings[0].find("orientation 9"), std::string::npos);
}

TEST_F(EmbeddedMetadataTest, PngHasItsPixelSize) {
  const EmbeddedMetadata metadata = read("base.png");
  EXPECT_EQ(metadata.width, 1024);
  EXPECT_EQ(metadata.height, 576);
  EXPECT_EQ(metadata.orientation, 1);
}

// A HEIC's EXIF and XMP (ISO BMFF items) are read as a JPEG's are: Exiv2 reads them once
// initialize_metadata() has turned its BMFF support on.
TEST_F(EmbeddedMetadataTest, HeicExifAndXmpMatchExiftool) {
  const EmbeddedMetadata metadata = read("exif-orientation-6.heic");
  const auto oracle = testing::exiftool(testing::fixture("exif-orientation-6.heic"),
                                        {"ImageWidth", "ImageHeight", "Orientation"});
  EXPECT_EQ(metadata.width, oracle.value("ImageWidth", -1));
  EXPECT_EQ(metadata.height, oracle.value("ImageHeight", -1));
  EXPECT_EQ(metadata.orientation, oracle.value("Orientation", -1));
  EXPECT_EQ(metadata.orientation, 6) << "the EXIF tag as stored; render() does not apply it";
  EXPECT_EQ(metadata.credit_line, "©Landeshauptstadt Düsseldorf/David Young");
  EXPECT_EQ(metadata.creators, std::vector<std::string>{"David Young"});
}

TEST_F(EmbeddedMetadataTest, NonImageIsUnsupportedFormatNamingTheInput) {
  auto bytes = read_file(testing::fixture("not-an-image.jpg"), 1000);
  ASSERT_TRUE(bytes);
  auto metadata = read_embedded_metadata(*bytes, "not-an-image.jpg");
  ASSERT_FALSE(metadata);
  EXPECT_EQ(metadata.error().code, Errc::unsupported_format);
  EXPECT_EQ(metadata.error().subject, "not-an-image.jpg");
}

// The default suite's oracle check (issue 6): every fixture photograph, read by us and by
// exiftool, field by field (tests/support/metadata_oracle.cpp says how exiftool's tags map to
// our fields). The metadata fixtures are written by exiftool (make-fixtures.sh).
TEST_F(EmbeddedMetadataTest, EveryFixtureMatchesExiftool) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(testing::fixture(""))) {
    const auto extension = entry.path().extension();
    if ((extension == ".jpg" || extension == ".png" || extension == ".heic") &&
        entry.file_size() > 0 && entry.path().filename() != "not-an-image.jpg" &&
        entry.path().filename() != "truncated.jpg" && entry.path().filename() != "truncated.heic") {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  ASSERT_GE(files.size(), 20U);
  const auto oracle = testing::exiftool_metadata(files);
  for (const auto& file : files) {
    SCOPED_TRACE(file.filename().string());
    const auto expected = oracle.find(file);
    ASSERT_NE(expected, oracle.end());
    const auto ours = testing::to_json(read(file.filename().string()));
    EXPECT_EQ(testing::metadata_differences(ours, expected->second), std::vector<std::string>());
  }
}

// The same fixture, checked value by value: what exiftool was told to write is what we read.
TEST_F(EmbeddedMetadataTest, ReadsEveryFieldOfAFullyDescribedPhoto) {
  const EmbeddedMetadata m = read("meta-full.jpg");
  EXPECT_EQ(m.camera_make, "Canon");
  EXPECT_EQ(m.lens, "EF24-105mm f/4L IS USM");
  EXPECT_DOUBLE_EQ(m.exposure_time.value_or(0), 1.0 / 250);
  EXPECT_DOUBLE_EQ(m.f_number.value_or(0), 5.6);
  EXPECT_EQ(m.iso, 400);
  EXPECT_DOUBLE_EQ(m.focal_length.value_or(0), 47.0);
  EXPECT_NEAR(m.gps_latitude.value_or(0), 51.2277, 1e-6);
  EXPECT_NEAR(m.gps_longitude.value_or(0), 6.7735, 1e-6);
  EXPECT_NEAR(m.gps_altitude.value_or(0), 38.5, 1e-6);
  EXPECT_EQ(m.date_taken, "2024-06-21T14:03:22");
  EXPECT_EQ(m.date_taken_offset, "+02:00");
  EXPECT_EQ(m.title, "Stadtfest 2024");
  EXPECT_EQ(m.headline, "Fest am Rhein");
  EXPECT_EQ(m.caption, "Oberbürgermeister Dr. Stephan Keller eröffnet das Fest am Rheinufer");
  EXPECT_EQ(m.creators, std::vector<std::string>{"Marc-André Hergenröder"});
  EXPECT_EQ(m.credit_line, "Landeshauptstadt Düsseldorf");
  EXPECT_EQ(m.copyright, "©Landeshauptstadt Düsseldorf");
  EXPECT_EQ(m.usage_terms, "Nur für redaktionelle Berichterstattung");
  EXPECT_EQ(m.web_statement, "https://www.duesseldorf.de/presse");
  EXPECT_EQ(m.source, "Amt für Kommunikation");
  EXPECT_EQ(m.keywords, (std::vector<std::string>{"Rheinufer", "Stadtfest"}));
  EXPECT_EQ(m.hierarchical_keywords, std::vector<std::string>{"Orte|Deutschland|Düsseldorf"});
  EXPECT_EQ(m.city, "Düsseldorf");
  EXPECT_EQ(m.sublocation, "Burgplatz");
  EXPECT_EQ(m.state, "Nordrhein-Westfalen");
  EXPECT_EQ(m.country, "Deutschland");
  EXPECT_EQ(m.people_shown, (std::vector<std::string>{"Dr. Stephan Keller", "Béouindé Zongo"}));
  EXPECT_EQ(m.event, "Stadtfest Düsseldorf 2024");
  EXPECT_EQ(m.alt_text, "Ein Mann mit Amtskette vor einer Bühne");
  EXPECT_EQ(m.iptc_digest, EmbeddedMetadata::IptcDigest::matches) << "exiftool stores it";
}

// IIM without XMP: declared UTF-8, undeclared but valid UTF-8, and undeclared Latin-1 all read
// as the same text.
TEST_F(EmbeddedMetadataTest, DecodesIimByItsCharacterSet) {
  for (const std::string name : {"iim-utf8.jpg", "iim-utf8-undeclared.jpg", "iim-latin1.jpg"}) {
    SCOPED_TRACE(name);
    const EmbeddedMetadata m = read(name);
    EXPECT_EQ(m.creators, std::vector<std::string>{"Marc-André Hergenröder"});
    EXPECT_EQ(m.caption, "Béouindé Zongo in der Tonhalle Düsseldorf");
  }
}

// MWG: the stored IPTC digest decides between XMP and IIM when they disagree; a By-line cut at
// IIM's 32-byte limit is recovered from the XMP value it begins.
TEST_F(EmbeddedMetadataTest, IptcDigestDecidesBetweenXmpAndIim) {
  const EmbeddedMetadata current = read("digest-current.jpg");
  EXPECT_EQ(current.iptc_digest, EmbeddedMetadata::IptcDigest::matches);
  EXPECT_EQ(current.caption, "Caption in XMP");
  const EmbeddedMetadata stale = read("digest-stale.jpg");
  EXPECT_EQ(stale.iptc_digest, EmbeddedMetadata::IptcDigest::differs);
  EXPECT_EQ(stale.caption, "Caption in IIM, changed later");
  EXPECT_EQ(stale.creators, std::vector<std::string>{"Landeshauptstadt Düsseldorf/David Young"});
}

}  // namespace
}  // namespace pressroom
