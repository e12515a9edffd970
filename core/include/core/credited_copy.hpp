#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/error.hpp"

namespace pressroom {

// What a journalist's copy of a photo carries about itself: the catalog's values.
struct CreditedFields {
  std::string caption;
  std::optional<std::string> headline;
  std::vector<std::string> creators;  // the photographers
  std::string credit_line;            // "©Landeshauptstadt Düsseldorf/David Young"
  std::string copyright;              // "©Landeshauptstadt Düsseldorf"
  std::string usage_terms;
  std::vector<std::string> people;                 // shown in the photo
  std::vector<std::string> keywords;               // "Stadtfest"
  std::vector<std::string> hierarchical_keywords;  // "Event|Stadtfest 2024"
  std::optional<std::string> source_url;           // where the press office published it
};

struct CreditedCopy {
  std::vector<std::byte> bytes;
  // One sentence per IIM value that had to be shortened to its dataset's limit (the full value
  // is in XMP): "IIM Credit (2:110) shortened to 32 bytes: \"©Landeshauptstadt Düsseldorf/D\"".
  std::vector<std::string> shortened;
};

// `image` with `fields` written into its metadata, consistently: XMP (dc, photoshop, xmpRights,
// Iptc4xmpExt, lr), IPTC-IIM in UTF-8 (CodedCharacterSet ESC % G; IIM text already there is
// re-encoded to UTF-8; values cut to the IIM limits at a character boundary), EXIF Artist,
// Copyright and ImageDescription, and for JPEG the IPTC digest of the new IIM. A field left
// empty keeps what the file had. The pixel data is copied as it is.
// When `metadata_from` is given (`image` is a resized copy made from that original), the
// original's EXIF, IPTC and XMP are carried over first, with the orientation set to 1 (the
// copy is upright) and the EXIF thumbnail left out.
// Errors: unsupported_format, corrupt_data (Exiv2 cannot read or write the file).
Result<CreditedCopy> credited_copy(std::span<const std::byte> image, const CreditedFields& fields,
                                   const std::string& subject,
                                   std::optional<std::span<const std::byte>> metadata_from = {});

}  // namespace pressroom
