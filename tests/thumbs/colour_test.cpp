// Colour in renditions: each fixture of tests/fixtures/colour/ (made by make-colour-fixtures.sh)
// holds four flat 32x32 patches; each patch must come out of render() at the sRGB value that
// ImageMagick and libvips compute for it (printed by that script), within k_tolerance.
#include "colour.hpp"

#include <array>
#include <filesystem>

#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>

#include "core/file_io.hpp"
#include "thumbs/render.hpp"

namespace pressroom::thumbs {
namespace {

const std::filesystem::path k_fixtures = PRESSROOM_COLOUR_FIXTURE_DIR;

// ImageMagick and libvips differ by 1 on some patches; the rendition's JPEG encoding (quality
// 85, 4:2:0) moves a flat patch by 1 or 2 more. Skipping a conversion moves them by 10 to 60.
constexpr double k_tolerance = 4.0;

using Rgb = std::array<int, 3>;
using Patches = std::array<Rgb, 4>;  // at (16,16), (48,16), (16,48), (48,48)

std::vector<std::byte> bytes_of(const std::filesystem::path& path) {
  auto bytes = read_file(path, 1U << 30U);
  EXPECT_TRUE(bytes) << path;
  return bytes ? *bytes : std::vector<std::byte>{};
}

struct Rendered {
  cv::Mat image;  // BGR, as decoded from the rendition
  std::vector<std::string> warnings;
};

Rendered render_fixture(const std::string& name, ImageType type) {
  RenderOptions options;
  options.long_edges = {256};  // larger than the 64x64 fixtures: no resampling
  const auto result = render(bytes_of(k_fixtures / name), type, 1, name, options);
  EXPECT_TRUE(result) << (result ? "" : to_string(result.error()));
  if (!result) {
    return {};
  }
  const auto& jpeg = result->renditions.at(0).jpeg;
  const cv::Mat input(1, static_cast<int>(jpeg.size()), CV_8UC1,
                      const_cast<std::byte*>(jpeg.data()));
  return {cv::imdecode(input, cv::IMREAD_COLOR), result->warnings};
}

// The mean of the 8x8 pixels around a patch centre, as R, G, B.
cv::Scalar patch_mean(const cv::Mat& image, int x, int y) {
  const cv::Scalar bgr = cv::mean(image(cv::Rect(x - 4, y - 4, 8, 8)));
  return {bgr[2], bgr[1], bgr[0]};
}

void expect_patches(const std::string& name, ImageType type, const Patches& expected) {
  SCOPED_TRACE(name);
  const Rendered rendered = render_fixture(name, type);
  ASSERT_EQ(rendered.image.cols, 64);
  ASSERT_EQ(rendered.image.rows, 64);
  EXPECT_TRUE(rendered.warnings.empty()) << rendered.warnings.front();
  const std::array<cv::Point, 4> centres{{{16, 16}, {48, 16}, {16, 48}, {48, 48}}};
  for (std::size_t i = 0; i < centres.size(); ++i) {
    const cv::Scalar got = patch_mean(rendered.image, centres[i].x, centres[i].y);
    for (int c = 0; c < 3; ++c) {
      EXPECT_NEAR(got[c], expected[i][static_cast<std::size_t>(c)], k_tolerance)
          << "patch " << i << " channel "
          << "RGB"[c];
    }
  }
}

TEST(Colour, AdobeRgbJpegIsConvertedToSrgb) {
  expect_patches("adobe-rgb.jpg", ImageType::jpeg,
                 {{{198, 121, 77}, {0, 141, 85}, {55, 90, 173}, {234, 221, 29}}});
}

TEST(Colour, AdobeRgbTiffProfileFromTag34675IsApplied) {
  expect_patches("adobe-rgb.tif", ImageType::tiff,
                 {{{199, 121, 77}, {0, 141, 86}, {57, 90, 174}, {234, 221, 28}}});
}

TEST(Colour, AdobeRgbHeicProfileFromItsColrBoxIsApplied) {
  // libvips (through the same libheif): 198 121 77, 0 141 85, 55 90 173, 234 221 29.
  expect_patches("adobe-rgb.heic", ImageType::heic,
                 {{{198, 121, 77}, {0, 141, 85}, {55, 90, 173}, {234, 221, 29}}});
}

TEST(Colour, ProPhoto16BitPngIsConvertedFromItsIccpChunk) {
  expect_patches("prophoto-16.png", ImageType::png,
                 {{{179, 97, 75}, {0, 144, 87}, {0, 98, 165}, {220, 178, 0}}});
}

TEST(Colour, SixteenBitPngWithoutProfileIsReducedTo8Bit) {
  // 51400 / 257 = 200 exactly, and so on.
  expect_patches("srgb-16.png", ImageType::png,
                 {{{200, 100, 50}, {50, 200, 100}, {100, 50, 200}, {255, 255, 255}}});
}

TEST(Colour, RgbaPngIsFlattenedOntoWhite) {
  // Red at alpha 128/255, transparent, opaque blue, green at alpha 64/255.
  expect_patches("rgba.png", ImageType::png,
                 {{{255, 127, 127}, {255, 255, 255}, {0, 0, 255}, {191, 255, 191}}});
}

TEST(Colour, RgbaHeicIsFlattenedOntoWhite) {
  // libvips' flatten onto white: 254 127 127, 255 255 255, 0 0 254, 191 255 191.
  expect_patches("rgba.heic", ImageType::heic,
                 {{{255, 127, 127}, {255, 255, 255}, {0, 0, 255}, {191, 255, 191}}});
}

void expect_grey(const std::string& name, ImageType type, const std::array<int, 4>& levels) {
  expect_patches(name, type,
                 {{{levels[0], levels[0], levels[0]},
                   {levels[1], levels[1], levels[1]},
                   {levels[2], levels[2], levels[2]},
                   {levels[3], levels[3], levels[3]}}});
  // Grey stays grey: no pixel has a colour cast.
  const cv::Mat image = render_fixture(name, type).image;
  std::array<cv::Mat, 3> channels;
  cv::split(image, channels.data());
  EXPECT_EQ(cv::norm(channels[0], channels[1], cv::NORM_INF), 0.0);
  EXPECT_EQ(cv::norm(channels[1], channels[2], cv::NORM_INF), 0.0);
}

TEST(Colour, GreyJpegAndPngStayGrey) {
  expect_grey("grey.jpg", ImageType::jpeg, {40, 100, 160, 220});
  expect_grey("grey.png", ImageType::png, {40, 100, 160, 220});
}

TEST(Colour, GreyJpegWithAGreyProfileIsConvertedAndStaysGrey) {
  // Gray-CIE_L.icc's tone curve is L*: 100 and 160 stored are 92 and 152 in sRGB.
  expect_grey("grey-cie-l.jpg", ImageType::jpeg, {39, 92, 152, 216});
}

// R = 255 (1 - C)(1 - K), G and B likewise, of the inks (0,128,255,0), (255,51,0,51),
// (26,26,26,128), (0,0,0,0).
constexpr Patches k_plain_cmyk{{{255, 127, 0}, {0, 163, 204}, {114, 114, 114}, {255, 255, 255}}};

TEST(Colour, AdobeInvertedCmykJpegWithoutProfile) {
  expect_patches("cmyk-adobe.jpg", ImageType::jpeg, k_plain_cmyk);
}

TEST(Colour, PlainCmykJpegWithoutAdobeMarkerIsNotInverted) {
  expect_patches("cmyk-plain.jpg", ImageType::jpeg, k_plain_cmyk);
}

TEST(Colour, YcckJpegWithoutProfile) {
  expect_patches("ycck.jpg", ImageType::jpeg, k_plain_cmyk);
}

TEST(Colour, CmykJpegKeepsTheDctScaling) {
  // Twice 4 px is 1/8 of the 64 px fixture: a CMYK JPEG is scaled in the DCT like any other.
  RenderOptions options;
  options.long_edges = {4};
  const auto result = render(bytes_of(k_fixtures / "cmyk-adobe.jpg"), ImageType::jpeg, 1,
                             "cmyk-adobe.jpg", options);
  ASSERT_TRUE(result) << to_string(result.error());
  EXPECT_EQ(result->reduction, 8);
}

TEST(Colour, BrokenProfileIsIgnoredWithAWarning) {
  const Rendered rendered = render_fixture("broken-icc.jpg", ImageType::jpeg);
  ASSERT_EQ(rendered.warnings.size(), 1U);
  EXPECT_NE(rendered.warnings[0].find("broken-icc.jpg: ICC profile ignored"), std::string::npos)
      << rendered.warnings[0];
  EXPECT_NE(rendered.warnings[0].find("lcms2 cannot read it"), std::string::npos)
      << rendered.warnings[0];
  // Taken as sRGB: the stored values as they are.
  const cv::Scalar got = patch_mean(rendered.image, 16, 16);
  EXPECT_NEAR(got[0], 180, k_tolerance);
  EXPECT_NEAR(got[1], 120, k_tolerance);
  EXPECT_NEAR(got[2], 80, k_tolerance);
}

TEST(Colour, RecognisesSrgbProfilesByTheirDescription) {
  const auto srgb = bytes_of("/usr/share/color/icc/colord/sRGB.icc");
  const auto adobe = bytes_of("/usr/share/color/icc/colord/AdobeRGB1998.icc");
  EXPECT_TRUE(is_srgb_profile(srgb));
  EXPECT_FALSE(is_srgb_profile(adobe));
  EXPECT_FALSE(is_srgb_profile({}));
}

TEST(Colour, MismatchedProfileIsIgnoredWithAWarning) {
  // An RGB profile on grey pixels.
  const auto adobe = bytes_of("/usr/share/color/icc/colord/AdobeRGB1998.icc");
  std::vector<std::string> warnings;
  const cv::Mat grey(2, 2, CV_8UC1, cv::Scalar(90));
  const cv::Mat converted = to_srgb(grey, PixelLayout::grey, adobe, "x.jpg", warnings);
  ASSERT_EQ(warnings.size(), 1U);
  EXPECT_EQ(warnings[0],
            "x.jpg: ICC profile ignored, it is a profile for RGB but the image is grey");
  EXPECT_EQ(converted.at<cv::Vec3b>(0, 0), cv::Vec3b(90, 90, 90));
}

// Real files, copied from ../shared/corpus/images/cmyk_color (tests/fixtures/SOURCES.md).

cv::Scalar rendered_mean_rgb(const std::string& name) {
  RenderOptions options;
  options.long_edges = {1024};  // larger than these files: no resampling
  const auto result = render(bytes_of(k_fixtures / name), ImageType::jpeg, 1, name, options);
  EXPECT_TRUE(result) << (result ? "" : to_string(result.error()));
  if (!result) {
    return {};
  }
  EXPECT_TRUE(result->warnings.empty()) << result->warnings.front();
  const auto& jpeg = result->renditions.at(0).jpeg;
  const cv::Mat input(1, static_cast<int>(jpeg.size()), CV_8UC1,
                      const_cast<std::byte*>(jpeg.data()));
  const cv::Scalar bgr = cv::mean(cv::imdecode(input, cv::IMREAD_COLOR));
  return {bgr[2], bgr[1], bgr[0]};
}

TEST(Colour, RealYcckJpegWithSwopProfileMatchesImageMagick) {
  // metadata-extractor-images' "Multiple ICC segments.jpg": Photoshop YCCK, U.S. Web Coated
  // (SWOP) v2 in 9 APP2 chunks. Means of /usr/bin/convert -black-point-compensation -intent
  // relative -profile colord/sRGB.icc: 197.7 204.6 207.6 (vips icc_transform: 197.8 204.9 207.9).
  const cv::Scalar got = rendered_mean_rgb("mei__Multiple_ICC_segments.jpg");
  EXPECT_NEAR(got[0], 197.7, 2.0);
  EXPECT_NEAR(got[1], 204.6, 2.0);
  EXPECT_NEAR(got[2], 207.6, 2.0);
}

TEST(Colour, RealGreyJpegWithGreyGammaProfileMatchesImageMagick) {
  // TwelveMonkeys' gray-sample.jpg, "Gray Gamma 2.2": mean 151.7 by ImageMagick, 151.6 by vips;
  // 152.6 as stored. Gamma 2.2 is close to sRGB's curve, hence the narrow tolerance.
  const cv::Scalar got = rendered_mean_rgb("twelvemonkeys__gray-sample.jpg");
  EXPECT_NEAR(got[0], 151.65, 0.45);
  EXPECT_EQ(got[0], got[1]);
  EXPECT_EQ(got[1], got[2]);
}

}  // namespace
}  // namespace pressroom::thumbs
