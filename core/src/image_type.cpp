#include "core/image_type.hpp"

#include <algorithm>
#include <array>

namespace pressroom {
namespace {

bool starts_with(std::span<const std::byte> head, std::initializer_list<unsigned char> signature,
                 std::size_t offset = 0) {
  if (head.size() < offset + signature.size()) {
    return false;
  }
  return std::equal(signature.begin(), signature.end(), head.begin() + static_cast<long>(offset),
                    [](unsigned char want, std::byte have) { return std::byte{want} == have; });
}

}  // namespace

std::optional<ImageType> sniff_image_type(std::span<const std::byte> head) {
  // JPEG: SOI followed by the first marker's 0xFF (JFIF, Exif and bare files alike).
  if (starts_with(head, {0xFF, 0xD8, 0xFF})) {
    return ImageType::jpeg;
  }
  if (starts_with(head, {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'})) {
    return ImageType::png;
  }
  // TIFF, little- and big-endian. BigTIFF (43) is left out: no decoder here reads it.
  if (starts_with(head, {'I', 'I', 42, 0}) || starts_with(head, {'M', 'M', 0, 42})) {
    return ImageType::tiff;
  }
  if (starts_with(head, {'R', 'I', 'F', 'F'}) && starts_with(head, {'W', 'E', 'B', 'P'}, 8)) {
    return ImageType::webp;
  }
  return std::nullopt;
}

std::string_view to_string(ImageType type) {
  switch (type) {
    case ImageType::jpeg:
      return "jpeg";
    case ImageType::png:
      return "png";
    case ImageType::tiff:
      return "tiff";
    case ImageType::webp:
      return "webp";
  }
  return "unknown";
}

std::optional<ImageType> image_type_from_string(std::string_view name) {
  constexpr std::array k_types{ImageType::jpeg, ImageType::png, ImageType::tiff, ImageType::webp};
  for (const ImageType type : k_types) {
    if (to_string(type) == name) {
      return type;
    }
  }
  return std::nullopt;
}

std::string_view file_extension(ImageType type) {
  switch (type) {
    case ImageType::jpeg:
      return "jpg";
    case ImageType::png:
      return "png";
    case ImageType::tiff:
      return "tif";
    case ImageType::webp:
      return "webp";
  }
  return "bin";
}

}  // namespace pressroom
