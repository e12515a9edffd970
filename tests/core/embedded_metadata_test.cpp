#include "core/embedded_metadata.hpp"

#include <gtest/gtest.h>

#include "core/file_io.hpp"
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

TEST_F(EmbeddedMetadataTest, NonImageIsUnsupportedFormatNamingTheInput) {
  auto bytes = read_file(testing::fixture("not-an-image.jpg"), 1000);
  ASSERT_TRUE(bytes);
  auto metadata = read_embedded_metadata(*bytes, "not-an-image.jpg");
  ASSERT_FALSE(metadata);
  EXPECT_EQ(metadata.error().code, Errc::unsupported_format);
  EXPECT_EQ(metadata.error().subject, "not-an-image.jpg");
}

}  // namespace
}  // namespace pressroom
