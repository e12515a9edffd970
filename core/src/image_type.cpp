#include "core/image_type.hpp"

#include <algorithm>
#include <array>
#include <cstdint>

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

std::uint32_t be32(std::span<const std::byte> bytes, std::size_t offset) {
  std::uint32_t value = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    value = (value << 8U) | std::to_integer<std::uint32_t>(bytes[offset + i]);
  }
  return value;
}

// ISO/IEC 14496-12 4.3: `ftyp` first, with its size, the major brand, a minor version and the
// compatible brands up to the box's end. HEIF (ISO/IEC 23008-12) names HEVC-coded still images
// heic (heix: more than 8 bits or 4:2:2/4:4:4), heim and heis their multi-layer forms. Image
// sequences (hevc) are not read: libheif decodes stills.
bool is_hevc_heif(std::span<const std::byte> head) {
  if (head.size() < 12 || !starts_with(head, {'f', 't', 'y', 'p'}, 4)) {
    return false;
  }
  const std::size_t box_size = std::min<std::size_t>(be32(head, 0), head.size());
  const auto is_heic_brand = [&](std::size_t offset) {
    return starts_with(head, {'h', 'e', 'i', 'c'}, offset) ||
           starts_with(head, {'h', 'e', 'i', 'x'}, offset) ||
           starts_with(head, {'h', 'e', 'i', 'm'}, offset) ||
           starts_with(head, {'h', 'e', 'i', 's'}, offset);
  };
  if (is_heic_brand(8)) {
    return true;
  }
  for (std::size_t offset = 16; offset + 4 <= box_size; offset += 4) {
    if (is_heic_brand(offset)) {
      return true;
    }
  }
  return false;
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
  if (is_hevc_heif(head.first(std::min(head.size(), k_sniff_bytes)))) {
    return ImageType::heic;
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
    case ImageType::heic:
      return "heic";
  }
  return "unknown";
}

std::optional<ImageType> image_type_from_string(std::string_view name) {
  constexpr std::array k_types{ImageType::jpeg, ImageType::png, ImageType::tiff, ImageType::webp,
                               ImageType::heic};
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
    case ImageType::heic:
      return "heic";
  }
  return "bin";
}

}  // namespace pressroom
