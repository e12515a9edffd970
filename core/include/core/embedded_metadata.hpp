#pragma once

#include <cstddef>
#include <span>
#include <string>

#include "core/error.hpp"
#include "core/photo.hpp"

namespace pressroom {

// Prepares the metadata reader: initializes Exiv2's XMP toolkit (which is not thread-safe to
// initialize) and routes Exiv2's own warnings into EmbeddedMetadata::warnings instead of
// stderr. Call once from main(), before any thread reads metadata.
void initialize_metadata();

// Reads pixel size, orientation, date taken with its UTC offset, and camera make and model
// from an image held in memory, from EXIF first and XMP and IPTC-IIM after it (the MWG order
// for these fields). `subject` names the input in errors and warnings (a path or URL).
// Values that are present but unusable (an orientation of 9, a date of "0000:00:00") are left
// out with a warning. Errors: unsupported_format (Exiv2 does not know the format),
// corrupt_data (the file's structure cannot be parsed).
// Thread-safe after initialize_metadata().
Result<EmbeddedMetadata> read_embedded_metadata(std::span<const std::byte> bytes,
                                                const std::string& subject);

}  // namespace pressroom
