// HEIC renditions: decoded by libheif, upright as the container's transformations say. The
// HEICs with rotation and mirroring boxes are written here through libheif's encoder (x265),
// because heif-enc cannot write them; the others are made by make-fixtures.sh.
#include <algorithm>
#include <string_view>

#include <gtest/gtest.h>
#include <libheif/heif.h>
#include <opencv2/imgproc.hpp>

#include "test_support.hpp"
#include "thumbs/render.hpp"

namespace pressroom::thumbs {
namespace {

using testing::decode_image;
using testing::fixture_bytes;
using testing::resized;

heif_error append_to(heif_context* /*context*/, const void* data, size_t size, void* target) {
  auto& bytes = *static_cast<std::vector<std::byte>*>(target);
  const auto* begin = static_cast<const std::byte*>(data);
  bytes.insert(bytes.end(), begin, begin + size);
  return heif_error{heif_error_Ok, heif_suberror_Unspecified, ""};
}

// `stored` (BGR, even size) encoded as a HEIC whose irot/imir boxes show it as EXIF
// orientation `orientation` would.
std::vector<std::byte> heic_turned(const cv::Mat& stored, int orientation) {
  std::vector<std::byte> bytes;
  heif_context* context = heif_context_alloc();
  heif_encoder* encoder = nullptr;
  heif_image* image = nullptr;
  heif_encoding_options* options = heif_encoding_options_alloc();
  const bool made =
      heif_context_get_encoder_for_format(context, heif_compression_HEVC, &encoder).code ==
          heif_error_Ok &&
      heif_encoder_set_lossy_quality(encoder, 90).code == heif_error_Ok &&
      heif_image_create(stored.cols, stored.rows, heif_colorspace_RGB, heif_chroma_interleaved_RGB,
                        &image)
              .code == heif_error_Ok &&
      heif_image_add_plane(image, heif_channel_interleaved, stored.cols, stored.rows, 8).code ==
          heif_error_Ok;
  EXPECT_TRUE(made) << "libheif cannot encode HEVC here";
  if (made) {
    int stride = 0;
    std::uint8_t* plane = heif_image_get_plane(image, heif_channel_interleaved, &stride);
    for (int y = 0; y < stored.rows; ++y) {
      cv::Mat row(1, stored.cols, CV_8UC3, plane + static_cast<std::ptrdiff_t>(y) * stride);
      cv::cvtColor(stored.row(y), row, cv::COLOR_BGR2RGB);
    }
    options->image_orientation = static_cast<heif_orientation>(orientation);
    heif_writer writer{1, append_to};
    EXPECT_EQ(heif_context_encode_image(context, image, encoder, options, nullptr).code,
              heif_error_Ok);
    EXPECT_EQ(heif_context_write(context, &writer, &bytes).code, heif_error_Ok);
  }
  heif_encoding_options_free(options);
  heif_image_release(image);
  heif_encoder_release(encoder);
  heif_context_free(context);
  return bytes;
}

// Every orientation a HEIC's irot and imir boxes can give: the rendition equals jpegtran's
// view of the same EXIF orientation (make-fixtures.sh), and the orientation passed in is
// ignored (an iPhone writes both, and applying both would turn the photo twice).
TEST(Heic, RotationAndMirroringBoxesGiveAllEightOrientations) {
  const cv::Mat stored =
      resized(testing::load_image(testing::fixture("reference-1.ppm")), {256, 144});
  ASSERT_FALSE(stored.empty());
  RenderOptions options;
  options.long_edges = {256};
  for (int n = 1; n <= 8; ++n) {
    SCOPED_TRACE("orientation " + std::to_string(n));
    const std::vector<std::byte> heic = heic_turned(stored, n);
    ASSERT_FALSE(heic.empty());
    ASSERT_EQ(sniff_image_type(heic), ImageType::heic);
    auto result = render(heic, ImageType::heic, n, "turned.heic", options);
    ASSERT_TRUE(result) << to_string(result.error());
    const bool portrait = n >= 5;
    EXPECT_EQ(result->source_width, portrait ? 144 : 256) << "the upright size";
    EXPECT_EQ(result->source_height, portrait ? 256 : 144);
    const Rendition& thumbnail = result->renditions[0];
    ASSERT_EQ(thumbnail.width, portrait ? 144 : 256);
    ASSERT_EQ(thumbnail.height, portrait ? 256 : 144);
    const cv::Mat reference =
        testing::load_image(testing::fixture("reference-" + std::to_string(n) + ".ppm"));
    const cv::Mat shown = decode_image(thumbnail.jpeg);
    EXPECT_LT(testing::mean_abs_difference(shown, resized(reference, shown.size())), 4.0);
    if (n != 1 && !portrait) {
      EXPECT_GT(testing::mean_abs_difference(shown, stored), 8.0)
          << "the comparison must tell a transformed image from an untransformed one";
    }
  }
}

// heif-enc 1.15 copies a JPEG's EXIF Orientation 6 into the HEIC and writes no irot: HEIF shows
// the pixels as stored, and so does pressroom, whatever orientation it is given.
TEST(Heic, ExifOrientationInsideAHeicIsNotApplied) {
  auto result = render(fixture_bytes("exif-orientation-6.heic"), ImageType::heic, 6,
                       "exif-orientation-6.heic");
  ASSERT_TRUE(result) << to_string(result.error());
  EXPECT_EQ(result->source_width, 1024);
  EXPECT_EQ(result->source_height, 576);
  ASSERT_EQ(result->renditions.size(), 2U);
  EXPECT_EQ(result->renditions[0].width, 256);
  EXPECT_EQ(result->renditions[0].height, 144);
  EXPECT_EQ(result->renditions[1].width, 1024) << "smaller than 1280: not enlarged";
  const cv::Mat stored = testing::load_image(testing::fixture("reference-1.ppm"));
  EXPECT_LT(testing::mean_abs_difference(decode_image(result->renditions[1].jpeg), stored), 4.0);
  EXPECT_TRUE(result->warnings.empty()) << result->warnings.front();
}

TEST(Heic, TruncatedOrBrokenHeicIsCorruptDataWithLibheifsReason) {
  auto truncated = render(fixture_bytes("truncated.heic"), ImageType::heic, 1, "truncated.heic");
  ASSERT_FALSE(truncated);
  EXPECT_EQ(truncated.error().code, Errc::corrupt_data);
  EXPECT_EQ(truncated.error().subject, "truncated.heic");
  EXPECT_NE(truncated.error().message.find("not a readable HEIC: "), std::string::npos)
      << truncated.error().message;
  EXPECT_NE(truncated.error().message.find("end of file"), std::string::npos)
      << truncated.error().message;

  // The boxes intact and the start of the coded image overwritten: the container reads, and
  // libde265 fails. (Damage further into the picture it conceals without a word, as a JPEG
  // decoder conceals a damaged scan: the picture comes out with a grey or green block.)
  std::vector<std::byte> damaged = fixture_bytes("exif-orientation-6.heic");
  const std::string_view mdat("mdat");
  const auto box = std::search(damaged.begin(), damaged.end(), mdat.begin(), mdat.end(),
                               [](std::byte a, char b) { return a == std::byte(b); });
  ASSERT_LT(box + 4 + 200, damaged.end());
  std::fill(box + 4, box + 4 + 200, std::byte{0xFF});
  auto broken = render(damaged, ImageType::heic, 1, "damaged.heic");
  ASSERT_FALSE(broken);
  EXPECT_EQ(broken.error().code, Errc::corrupt_data);
  EXPECT_EQ(broken.error().message.rfind("cannot decode HEIC: ", 0), 0U) << broken.error().message;
}

TEST(Heic, RefusesAHeicOverThePixelLimitBeforeDecoding) {
  RenderOptions options;
  options.max_pixels = 500'000;  // 1024x576 = 589,824 pixels
  auto result =
      render(fixture_bytes("exif-orientation-6.heic"), ImageType::heic, 1, "big.heic", options);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, Errc::too_large);
  EXPECT_NE(result.error().message.find("1024x576"), std::string::npos);
}

}  // namespace
}  // namespace pressroom::thumbs
