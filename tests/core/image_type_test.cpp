#include "core/image_type.hpp"

#include <fstream>
#include <iterator>
#include <vector>

#include <gtest/gtest.h>

#include "test_support.hpp"

namespace pressroom {
namespace {

std::vector<std::byte> head_of(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::vector<char> text(k_sniff_bytes);
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  std::vector<std::byte> bytes(text.size());
  std::transform(text.begin(), text.end(), bytes.begin(), [](char c) { return std::byte(c); });
  return bytes;
}

std::vector<std::byte> bytes_of(std::string_view text) {
  std::vector<std::byte> bytes(text.size());
  std::transform(text.begin(), text.end(), bytes.begin(), [](char c) { return std::byte(c); });
  return bytes;
}

TEST(ImageType, SniffsRealJpegAndPng) {
  EXPECT_EQ(sniff_image_type(head_of(testing::fixture("camera.jpg"))), ImageType::jpeg);
  EXPECT_EQ(sniff_image_type(head_of(testing::fixture("progressive.jpg"))), ImageType::jpeg);
  EXPECT_EQ(sniff_image_type(head_of(testing::fixture("base.png"))), ImageType::png);
}

TEST(ImageType, SniffsTiffAndWebpSignatures) {
  EXPECT_EQ(sniff_image_type(bytes_of(std::string_view("II*\0\x08\0\0\0", 8))), ImageType::tiff);
  EXPECT_EQ(sniff_image_type(bytes_of(std::string_view("MM\0*\0\0\0\x08", 8))), ImageType::tiff);
  EXPECT_EQ(sniff_image_type(bytes_of(std::string_view("RIFF\x10\0\0\0WEBPVP8 ", 16))),
            ImageType::webp);
  EXPECT_EQ(sniff_image_type(bytes_of(std::string_view("RIFF\x10\0\0\0WAVEfmt ", 16))),
            std::nullopt);
}

// ISO BMFF: `ftyp`, then the major brand, a minor version and the compatible brands. A HEIC
// is known by an HEVC-coded HEIF brand in either place; an AVIF, a video or a box cut short is
// not one.
TEST(ImageType, SniffsHeicByTheBrandsOfItsFtypBox) {
  EXPECT_EQ(sniff_image_type(head_of(testing::fixture("exif-orientation-6.heic"))),
            ImageType::heic);
  const auto ftyp = [](std::string_view brands) {
    std::string box("\0\0\0", 3);
    box += static_cast<char>(8 + brands.size());
    box += "ftyp";
    box += brands;
    return bytes_of(box);
  };
  EXPECT_EQ(sniff_image_type(ftyp(std::string_view("heic\0\0\0\0mif1heic", 16))), ImageType::heic);
  EXPECT_EQ(sniff_image_type(ftyp(std::string_view("heix\0\0\0\0", 8))), ImageType::heic);
  EXPECT_EQ(sniff_image_type(ftyp(std::string_view("mif1\0\0\0\0miafheic", 16))), ImageType::heic)
      << "a compatible brand counts";
  EXPECT_EQ(sniff_image_type(ftyp(std::string_view("avif\0\0\0\0mif1miaf", 16))), std::nullopt);
  EXPECT_EQ(sniff_image_type(ftyp(std::string_view("isom\0\0\2\0isomiso2mp41", 20))), std::nullopt);
  // A brand past the box's declared end is not the box's.
  std::vector<std::byte> short_box = ftyp(std::string_view("mif1\0\0\0\0miafheic", 16));
  short_box[3] = std::byte{20};
  EXPECT_EQ(sniff_image_type(short_box), std::nullopt);
}

TEST(ImageType, RejectsHtmlNamedJpgAndShortInput) {
  EXPECT_EQ(sniff_image_type(head_of(testing::fixture("not-an-image.jpg"))), std::nullopt);
  EXPECT_EQ(sniff_image_type({}), std::nullopt);
  EXPECT_EQ(sniff_image_type(bytes_of("\xFF\xD8")), std::nullopt);
}

TEST(ImageType, NamesRoundTrip) {
  for (const ImageType type :
       {ImageType::jpeg, ImageType::png, ImageType::tiff, ImageType::webp, ImageType::heic}) {
    EXPECT_EQ(image_type_from_string(to_string(type)), type);
  }
  EXPECT_EQ(image_type_from_string("gif"), std::nullopt);
  EXPECT_EQ(file_extension(ImageType::jpeg), "jpg");
  EXPECT_EQ(to_string(ImageType::heic), "heic");
  EXPECT_EQ(file_extension(ImageType::heic), "heic");
}

}  // namespace
}  // namespace pressroom
