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
  std::vector<char> text(16);
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

TEST(ImageType, RejectsHtmlNamedJpgAndShortInput) {
  EXPECT_EQ(sniff_image_type(head_of(testing::fixture("not-an-image.jpg"))), std::nullopt);
  EXPECT_EQ(sniff_image_type({}), std::nullopt);
  EXPECT_EQ(sniff_image_type(bytes_of("\xFF\xD8")), std::nullopt);
}

TEST(ImageType, NamesRoundTrip) {
  for (const ImageType type : {ImageType::jpeg, ImageType::png, ImageType::tiff, ImageType::webp}) {
    EXPECT_EQ(image_type_from_string(to_string(type)), type);
  }
  EXPECT_EQ(image_type_from_string("gif"), std::nullopt);
  EXPECT_EQ(file_extension(ImageType::jpeg), "jpg");
}

}  // namespace
}  // namespace pressroom
