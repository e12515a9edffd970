#include "thumbs/render.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <limits>

#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

#include "test_support.hpp"

namespace pressroom::thumbs {
namespace {

using testing::decode_image;
using testing::fixture_bytes;
using testing::resized;

TEST(Render, ChoosesTheLargestReductionThatKeepsTheTarget) {
  EXPECT_EQ(reduction_for(4352, 2448, 256), 8);   // 544 px at 1/8
  EXPECT_EQ(reduction_for(4352, 2448, 1280), 2);  // 1088 px at 1/4 would be too small
  EXPECT_EQ(reduction_for(2448, 4352, 1280), 2);  // the long edge counts, portrait too
  EXPECT_EQ(reduction_for(2048, 1000, 256), 8);   // exactly the target is enough
  EXPECT_EQ(reduction_for(2047, 1000, 256), 8);   // libjpeg rounds up: 256
  EXPECT_EQ(reduction_for(2040, 1000, 256), 4);
  EXPECT_EQ(reduction_for(1024, 576, 1280), 1);  // smaller than the target: no reduction
}

TEST(Render, LargePhotoUsesDctScalingAndGetsExactSizes) {
  // The decode keeps twice the largest size: 4352 px at 1/8 is 544, twice 256.
  RenderOptions thumbnail_only;
  thumbnail_only.long_edges = {256};
  const auto thumbnail =
      render(fixture_bytes("large.jpg"), ImageType::jpeg, 1, "large.jpg", thumbnail_only);
  ASSERT_TRUE(thumbnail) << to_string(thumbnail.error());
  EXPECT_EQ(thumbnail->reduction, 8);
  // With the 1280 px preview, 1/2 (2176 px) is below twice 1280: a full decode.
  auto result = render(fixture_bytes("large.jpg"), ImageType::jpeg, 1, "large.jpg");
  ASSERT_TRUE(result) << to_string(result.error());
  EXPECT_EQ(result->reduction, 1);
  EXPECT_EQ(result->source_width, 4352);
  EXPECT_EQ(result->source_height, 2448);
  ASSERT_EQ(result->renditions.size(), 2U);
  EXPECT_EQ(result->renditions[0].long_edge, 256);
  EXPECT_EQ(result->renditions[0].width, 256);
  EXPECT_EQ(result->renditions[0].height, 144);
  EXPECT_EQ(result->renditions[1].width, 1280);
  EXPECT_EQ(result->renditions[1].height, 720);
  // The thumbnail matches the whole photo scaled down independently.
  const cv::Mat reference = resized(testing::load_image(testing::fixture("large.jpg")), {256, 144});
  EXPECT_LT(testing::mean_abs_difference(decode_image(result->renditions[0].jpeg), reference), 4.0);
}

TEST(Render, PortraitPhotoKeepsItsLongEdgeVertical) {
  auto result = render(fixture_bytes("portrait.jpg"), ImageType::jpeg, 1, "portrait.jpg");
  ASSERT_TRUE(result) << to_string(result.error());
  EXPECT_EQ(result->renditions[0].width, 170);  // 2056x3088 -> 170.4 x 256
  EXPECT_EQ(result->renditions[0].height, 256);
}

// Every EXIF orientation: the rendition equals what jpegtran's lossless transform of the stored
// pixels shows, and differs clearly from the stored pixels shown as they are.
TEST(Render, AppliesAllEightOrientationsLikeJpegtran) {
  const cv::Mat stored = testing::load_image(testing::fixture("reference-1.ppm"));
  for (int n = 1; n <= 8; ++n) {
    SCOPED_TRACE("orientation " + std::to_string(n));
    const std::string name = "orientation-" + std::to_string(n) + ".jpg";
    auto result = render(fixture_bytes(name), ImageType::jpeg, n, name);
    ASSERT_TRUE(result) << to_string(result.error());
    const Rendition& thumbnail = result->renditions[0];
    const Rendition& preview = result->renditions[1];
    const bool portrait = n >= 5;
    EXPECT_EQ(thumbnail.width, portrait ? 144 : 256);
    EXPECT_EQ(thumbnail.height, portrait ? 256 : 144);
    EXPECT_EQ(preview.width, portrait ? 576 : 1024) << "smaller than 1280: not enlarged";

    const cv::Mat reference =
        testing::load_image(testing::fixture("reference-" + std::to_string(n) + ".ppm"));
    ASSERT_FALSE(reference.empty());
    const cv::Mat shown = decode_image(thumbnail.jpeg);
    const cv::Size size(thumbnail.width, thumbnail.height);
    EXPECT_LT(testing::mean_abs_difference(shown, resized(reference, size)), 4.0);
    EXPECT_LT(testing::mean_abs_difference(decode_image(preview.jpeg), reference), 4.0);
    if (n != 1 && !portrait) {
      EXPECT_GT(testing::mean_abs_difference(shown, resized(stored, size)), 8.0)
          << "the comparison must tell a transformed image from an untransformed one";
    }
  }
}

TEST(Render, OrientationZeroOrGarbageShowsAsStored) {
  for (const int orientation : {0, 9, -1}) {
    auto result = render(fixture_bytes("orientation-1.jpg"), ImageType::jpeg, orientation, "x.jpg");
    ASSERT_TRUE(result) << to_string(result.error());
    EXPECT_EQ(result->renditions[0].width, 256);
    EXPECT_EQ(result->renditions[0].height, 144);
  }
}

TEST(Render, ProgressiveJpegAndPngLookLikeTheBaselineJpeg) {
  auto baseline = render(fixture_bytes("orientation-1.jpg"), ImageType::jpeg, 1, "base.jpg");
  auto progressive =
      render(fixture_bytes("progressive.jpg"), ImageType::jpeg, 1, "progressive.jpg");
  auto png = render(fixture_bytes("base.png"), ImageType::png, 1, "base.png");
  ASSERT_TRUE(baseline && progressive && png);
  const cv::Mat expected = decode_image(baseline->renditions[0].jpeg);
  EXPECT_LT(testing::mean_abs_difference(decode_image(progressive->renditions[0].jpeg), expected),
            2.0);
  EXPECT_LT(testing::mean_abs_difference(decode_image(png->renditions[0].jpeg), expected), 3.0);
  EXPECT_EQ(png->source_width, 1024);
  EXPECT_EQ(png->source_height, 576);
}

void write_file(const std::filesystem::path& file, const std::vector<std::byte>& bytes) {
  std::ofstream out(file, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
}

// exiftool reads the renditions: a progressive preview and a baseline thumbnail, both 4:2:0,
// marked sRGB by EXIF ColorSpace and carrying nothing else of the camera file's metadata
// (camera.jpg has Make, Model, dates, GPS and a thumbnail of its own).
// A thumbnail decoded at 1/8 from a progressive JPEG reads its scans only until DC is complete;
// the result must be the whole decode's, to the byte.
TEST(Render, ProgressiveThumbnailAtOneEighthIsExactlyTheSequentialOnes) {
  const RenderOptions thumbnail{.long_edges = {64}};  // 1024 px: decoded at 1/8 (128 px)
  auto progressive =
      render(fixture_bytes("progressive-422.jpg"), ImageType::jpeg, 1, "p", thumbnail);
  auto sequential = render(fixture_bytes("sequential-422.jpg"), ImageType::jpeg, 1, "s", thumbnail);
  ASSERT_TRUE(progressive && sequential);
  EXPECT_EQ(progressive->reduction, 8);
  EXPECT_EQ(progressive->renditions[0].jpeg, sequential->renditions[0].jpeg);
  EXPECT_EQ(progressive->perceptual_hash, sequential->perceptual_hash);
}

// The packed coefficient store (jpeg_coefficients.hpp), forced on small files: the same
// renditions to the byte, for every path a progressive JPEG takes (whole decode at 1/2 and 1/1,
// the 1/8 one that stops after DC), and a cut file is still called truncated.
TEST(Render, PackedCoefficientsGiveTheSameRenditions) {
  RenderOptions packed;
  packed.compact_coefficients_from = 0;
  RenderOptions unpacked;
  unpacked.compact_coefficients_from = std::numeric_limits<std::size_t>::max();
  for (const std::string name : {"progressive.jpg", "progressive-422.jpg"}) {
    for (const std::vector<int>& sizes : {std::vector<int>{256, 1280}, {64}, {100, 512}}) {
      packed.long_edges = sizes;
      unpacked.long_edges = sizes;
      auto ours = render(fixture_bytes(name), ImageType::jpeg, 1, name, packed);
      auto libjpegs = render(fixture_bytes(name), ImageType::jpeg, 1, name, unpacked);
      ASSERT_TRUE(ours && libjpegs) << name;
      ASSERT_EQ(ours->renditions.size(), sizes.size());
      for (std::size_t i = 0; i < sizes.size(); ++i) {
        EXPECT_EQ(ours->renditions[i].jpeg, libjpegs->renditions[i].jpeg)
            << name << " at " << sizes[i];
      }
    }
  }
  auto cut = render(fixture_bytes("truncated-progressive.jpg"), ImageType::jpeg, 1, "cut", packed);
  ASSERT_FALSE(cut);
  EXPECT_NE(cut.error().message.find("truncated"), std::string::npos) << cut.error().message;
}

TEST(Render, RenditionsAreMarkedSrgbAndCarryNoOtherMetadata) {
  auto result = render(fixture_bytes("camera.jpg"), ImageType::jpeg, 1, "camera.jpg");
  ASSERT_TRUE(result) << to_string(result.error());
  const testing::TempDir dir;
  write_file(dir / "thumbnail.jpg", result->renditions[0].jpeg);
  write_file(dir / "preview.jpg", result->renditions[1].jpeg);
  for (const std::string name : {"thumbnail.jpg", "preview.jpg"}) {
    SCOPED_TRACE(name);
    const auto tags =
        testing::exiftool(dir / name, {"EXIF:all", "XMP:all", "IPTC:all", "ICC_Profile:all",
                                       "EncodingProcess", "YCbCrSubSampling"});
    EXPECT_EQ(tags.value("ColorSpace", 0), 1) << tags.dump();  // sRGB
    EXPECT_EQ(tags.value("ExifVersion", ""), "0232") << tags.dump();
    // SourceFile, the two asked-for File tags, ColorSpace and ExifVersion: nothing else.
    EXPECT_EQ(tags.size(), 5U) << tags.dump();
    EXPECT_EQ(tags.value("YCbCrSubSampling", ""), "2 2") << tags.dump();  // 4:2:0
    EXPECT_EQ(tags.value("EncodingProcess", -1), name == "preview.jpg" ? 2 : 0) << tags.dump();
  }
}

// Optimised Huffman tables: jpegtran -optimize finds nothing left to gain (it would shrink
// a file with libjpeg's standard tables by several percent), beyond the EXIF segment that
// -copy none drops (66 bytes).
TEST(Render, RenditionsHaveOptimisedHuffmanTables) {
  auto result = render(fixture_bytes("camera.jpg"), ImageType::jpeg, 1, "camera.jpg");
  ASSERT_TRUE(result) << to_string(result.error());
  const testing::TempDir dir;
  const auto scans = dir / "scans.txt";
  std::ofstream(scans) << "0,1,2: 0-0, 0, 0;\n0: 1-63, 0, 0;\n1: 1-63, 0, 0;\n2: 1-63, 0, 0;\n";
  for (std::size_t i = 0; i < result->renditions.size(); ++i) {
    const auto& jpeg = result->renditions[i].jpeg;
    const auto file = dir / ("rendition" + std::to_string(i) + ".jpg");
    write_file(file, jpeg);
    // The preview against a re-encode with its own scan script (DC, then each component's AC).
    std::vector<std::string> command{"/usr/bin/jpegtran", "-optimize", "-copy", "none"};
    if (i == 1) {
      command.insert(command.end(), {"-scans", scans.string()});
    }
    command.insert(command.end(), {"-outfile", (dir / "optimised.jpg").string(), file.string()});
    const auto optimised = testing::run_process(command);
    ASSERT_EQ(optimised.exit_code, 0) << optimised.err;
    const auto size = std::filesystem::file_size(dir / "optimised.jpg");
    EXPECT_GE(size + 66 + 16, jpeg.size()) << "rendition " << i << " was not optimised";
  }
}

TEST(Render, TruncatedJpegIsCorruptDataSayingTruncated) {
  auto result = render(fixture_bytes("truncated.jpg"), ImageType::jpeg, 1, "truncated.jpg");
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, Errc::corrupt_data);
  EXPECT_EQ(result.error().subject, "truncated.jpg");
  EXPECT_NE(result.error().message.find("truncated"), std::string::npos) << result.error().message;
}

// The streamed decode stops at the data's end: libjpeg alone would fill the rest with grey.
TEST(Render, TruncatedProgressiveJpegIsCorruptDataSayingTruncated) {
  auto result = render(fixture_bytes("truncated-progressive.jpg"), ImageType::jpeg, 1, "cut.jpg");
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, Errc::corrupt_data);
  EXPECT_NE(result.error().message.find("truncated JPEG (Premature end of JPEG file)"),
            std::string::npos)
      << result.error().message;
}

// All of the picture is there; only the end marker is not. libjpeg warns that the data ended
// ("Premature end of JPEG file") as it does for a cut file, but needs none of what is missing.
TEST(Render, JpegMissingOnlyItsEndMarkerIsAWarningNotAFailure) {
  auto result = render(fixture_bytes("no-eoi-progressive.jpg"), ImageType::jpeg, 1, "no-eoi.jpg");
  ASSERT_TRUE(result) << to_string(result.error());
  ASSERT_EQ(result->warnings.size(), 1U);
  EXPECT_EQ(result->warnings[0], "no-eoi.jpg: JPEG decoder: Premature end of JPEG file");
  auto whole = render(fixture_bytes("progressive.jpg"), ImageType::jpeg, 1, "progressive.jpg");
  ASSERT_TRUE(whole);
  EXPECT_EQ(result->renditions[0].jpeg, whole->renditions[0].jpeg);
}

// Regression: TurboJPEG 2.1, which an earlier version decoded with, failed the header read on
// this warning; real files in ../shared/corpus (pillow__junk_jpeg_header.jpg and others) were
// refused that way.
TEST(Render, JunkBetweenSegmentsIsAWarningNotAFailure) {
  auto result = render(fixture_bytes("extraneous-bytes.jpg"), ImageType::jpeg, 1, "junk.jpg");
  ASSERT_TRUE(result) << to_string(result.error());
  ASSERT_FALSE(result->warnings.empty());
  EXPECT_NE(result->warnings[0].find("extraneous bytes"), std::string::npos) << result->warnings[0];
  auto clean = render(fixture_bytes("orientation-1.jpg"), ImageType::jpeg, 1, "base.jpg");
  ASSERT_TRUE(clean);
  EXPECT_LT(testing::mean_abs_difference(decode_image(result->renditions[0].jpeg),
                                         decode_image(clean->renditions[0].jpeg)),
            1.0);
}

TEST(Render, GarbageAndEmptyInputAreCorruptData) {
  const std::vector<std::byte> garbage(100, std::byte{0xFF});
  for (const auto& bytes : {garbage, std::vector<std::byte>{}}) {
    auto jpeg = render(bytes, ImageType::jpeg, 1, "bad.jpg");
    ASSERT_FALSE(jpeg);
    EXPECT_EQ(jpeg.error().code, Errc::corrupt_data);
    auto png = render(bytes, ImageType::png, 1, "bad.png");
    ASSERT_FALSE(png);
    EXPECT_EQ(png.error().code, Errc::corrupt_data);
  }
}

TEST(Render, RefusesImagesOverThePixelLimitBeforeDecoding) {
  RenderOptions options;
  options.max_pixels = 10'000'000;  // large.jpg has 10.65 MP
  auto result = render(fixture_bytes("large.jpg"), ImageType::jpeg, 1, "large.jpg", options);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, Errc::too_large);
  EXPECT_NE(result.error().message.find("4352x2448"), std::string::npos);
}

}  // namespace
}  // namespace pressroom::thumbs
