#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/image_type.hpp"

namespace pressroom {

// What a photo says about itself in its EXIF, IPTC-IIM and XMP (the basic fields for now).
struct EmbeddedMetadata {
  int width = 0;        // stored pixel size, before the orientation is applied
  int height = 0;       // 0 when the reader could not tell
  int orientation = 1;  // EXIF orientation 1..8; a missing, 0 or out-of-range value reads as 1
  // When the photo was taken, as the camera wrote it (local time): "2019-08-31T14:03:22".
  std::optional<std::string> date_taken;
  // The UTC offset of date_taken when the file records one: "+02:00".
  std::optional<std::string> date_taken_offset;
  std::optional<std::string> camera_make;
  std::optional<std::string> camera_model;
  // What was odd about the metadata but did not stop the reading, one sentence each.
  std::vector<std::string> warnings;
};

// One photo in the catalog: content (by hash) and what was read from it.
struct Photo {
  std::int64_t id = 0;
  std::string sha256;  // 64 lowercase hex digits of the original's bytes
  ImageType type = ImageType::jpeg;
  std::uint64_t byte_size = 0;
  int width = 0;  // stored pixel size; see display_width()
  int height = 0;
  int orientation = 1;
  std::optional<std::string> date_taken;
  std::optional<std::string> date_taken_offset;
  std::optional<std::string> camera_make;
  std::optional<std::string> camera_model;
  std::string original_name;  // the file name it was first imported under: "Storm.jpg"
  std::string imported_from;  // the absolute path it was first imported from
  std::string imported_at;    // UTC, ISO 8601: "2026-11-24T23:50:00Z"

  // The size a viewer shows: width and height swapped for orientations 5 to 8.
  int display_width() const { return orientation >= 5 ? height : width; }
  int display_height() const { return orientation >= 5 ? width : height; }
};

}  // namespace pressroom
