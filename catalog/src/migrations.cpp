#include "migrations.hpp"

#include <array>

namespace pressroom::catalog {
namespace {

// 1: photos, by content. width/height are the stored pixel size; orientation is EXIF 1..8.
// date_taken is local time as the camera wrote it, date_taken_offset its UTC offset if known.
constexpr std::string_view k_migration_1 = R"sql(
CREATE TABLE photos (
  id                INTEGER PRIMARY KEY,
  sha256            TEXT NOT NULL UNIQUE CHECK (length(sha256) = 64),
  type              TEXT NOT NULL CHECK (type IN ('jpeg', 'png', 'tiff', 'webp')),
  byte_size         INTEGER NOT NULL CHECK (byte_size > 0),
  width             INTEGER NOT NULL CHECK (width > 0),
  height            INTEGER NOT NULL CHECK (height > 0),
  orientation       INTEGER NOT NULL DEFAULT 1 CHECK (orientation BETWEEN 1 AND 8),
  date_taken        TEXT,
  date_taken_offset TEXT,
  camera_make       TEXT,
  camera_model      TEXT,
  original_name     TEXT NOT NULL,
  imported_from     TEXT NOT NULL,
  imported_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
)sql";

constexpr std::array<std::string_view, 1> k_migrations{k_migration_1};

}  // namespace

std::span<const std::string_view> migrations() {
  return k_migrations;
}

}  // namespace pressroom::catalog
