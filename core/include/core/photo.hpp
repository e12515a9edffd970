#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/image_type.hpp"

namespace pressroom {

// What a photo says about itself in its EXIF, IPTC-IIM and XMP.
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

  // The exposure, from EXIF (XMP's copies in exif: and aux: when EXIF has none).
  std::optional<std::string> lens;      // "EF-S17-85mm f/4-5.6 IS USM"
  std::optional<double> exposure_time;  // seconds: 0.004 for 1/250 s
  std::optional<double> f_number;       // 5.6
  std::optional<int> iso;               // 400
  std::optional<double> focal_length;   // millimetres as taken, not the 35 mm equivalent
  std::optional<double> gps_latitude;   // degrees, north positive
  std::optional<double> gps_longitude;  // degrees, east positive
  std::optional<double> gps_altitude;   // metres above sea level, below it negative

  // The descriptive fields (IPTC Photo Metadata), reconciled from EXIF, IPTC-IIM and XMP by the
  // Metadata Working Group's rules (read_embedded_metadata says how). UTF-8, trimmed; a list
  // keeps the file's order.
  std::optional<std::string> title;
  std::optional<std::string> headline;
  std::optional<std::string> caption;
  std::vector<std::string> keywords;
  std::vector<std::string> hierarchical_keywords;  // "Orte|Deutschland|Düsseldorf"
  std::vector<std::string> creators;               // the photographers
  std::optional<std::string> credit_line;
  std::optional<std::string> copyright;
  std::optional<std::string> usage_terms;
  std::optional<std::string> web_statement;  // the URL of the rights statement
  std::optional<std::string> source;
  std::optional<std::string> city;
  std::optional<std::string> sublocation;
  std::optional<std::string> state;
  std::optional<std::string> country;
  std::vector<std::string> people_shown;
  std::optional<std::string> event;
  std::optional<std::string> alt_text;

  // Whether the IPTC-IIM and the XMP are known to agree (Photoshop's IPTC digest, IRB 0x0425,
  // against the MD5 of the IIM as it is): absent when there is no IIM or no stored digest.
  enum class IptcDigest { absent, matches, differs };
  IptcDigest iptc_digest = IptcDigest::absent;

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
  // The 64-bit perceptual hash of the picture upright (thumbs/perceptual_hash.hpp), for finding
  // near-duplicates; none for photos imported before the importer stored it.
  std::optional<std::uint64_t> perceptual_hash;

  // The size a viewer shows: width and height swapped for orientations 5 to 8.
  int display_width() const { return orientation >= 5 ? height : width; }
  int display_height() const { return orientation >= 5 ? width : height; }
};

}  // namespace pressroom
