#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string_view>

namespace pressroom {

enum class ImageType { jpeg, png, tiff, webp, heic };

// How many of a file's first bytes sniff_image_type() needs to tell every type apart: a HEIF
// file's brands follow its major brand in the `ftyp` box.
inline constexpr std::size_t k_sniff_bytes = 64;

// The image type the bytes are, judged by their signature alone (never by a file name or a
// Content-Type); nullopt when they are none of the types pressroom reads. Reads at most the
// first k_sniff_bytes bytes. heic: an ISO BMFF file whose `ftyp` box names an HEVC-coded HEIF
// brand (heic, heix, heim, heis) as its major or a compatible brand, as phones write them; an
// AVIF or a video is none of the types.
std::optional<ImageType> sniff_image_type(std::span<const std::byte> head);

// "jpeg", "png", "tiff", "webp", "heic": the name used in the catalog and in JSON output.
std::string_view to_string(ImageType type);
// The inverse of to_string(); nullopt for an unknown name.
std::optional<ImageType> image_type_from_string(std::string_view name);
// The file extension used for stored originals, without the dot: "jpg", "png", "tif", "webp",
// "heic".
std::string_view file_extension(ImageType type);

}  // namespace pressroom
