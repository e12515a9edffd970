#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string_view>

namespace pressroom {

enum class ImageType { jpeg, png, tiff, webp };

// The image type the bytes are, judged by their signature alone (never by a file name or a
// Content-Type); nullopt when they are none of the types pressroom reads. Needs at most the
// first 12 bytes.
std::optional<ImageType> sniff_image_type(std::span<const std::byte> head);

// "jpeg", "png", "tiff", "webp": the name used in the catalog and in JSON output.
std::string_view to_string(ImageType type);
// The inverse of to_string(); nullopt for an unknown name.
std::optional<ImageType> image_type_from_string(std::string_view name);
// The file extension used for stored originals, without the dot: "jpg", "png", "tif", "webp".
std::string_view file_extension(ImageType type);

}  // namespace pressroom
