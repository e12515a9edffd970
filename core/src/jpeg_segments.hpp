#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace pressroom {

// Photoshop's check that XMP and IPTC-IIM are in step (MWG 2.0, "IPTC digest"): the MD5 of the
// IIM block as it is in the file, and the digest an XMP-aware writer stored beside it (IRB
// 0x0425) when it last wrote both. Lowercase hex; absent when the file has none.
struct IptcDigests {
  std::optional<std::string> current;
  std::optional<std::string> stored;
  // The Photoshop resources are there but do not parse (a size past the segment's end): the
  // IIM in them is lost, and Exiv2 does not say so.
  bool resources_damaged = false;
};

// Calls `segment(marker, offset, length)` for each marker segment of a JPEG's header, in file
// order, up to the image data (SOS) or the first thing that is not a segment; `offset` is where
// the marker is, `length` the segment's length field (which counts itself). Lengths are
// checked against the file's size.
void for_each_jpeg_segment(
    std::span<const std::byte> file,
    const std::function<void(unsigned marker, std::size_t offset, std::size_t length)>& segment);

// Width and height from a JPEG's frame header (SOF), for when Exiv2 stopped before it; nullopt
// when the header has none or a zero size.
std::optional<std::pair<int, int>> jpeg_pixel_size(std::span<const std::byte> file);

// The JPEG without its APP2 ICC_PROFILE segments (Exiv2 refuses a file whose profile chunks
// are inconsistent, which would lose every other field).
std::vector<std::byte> jpeg_without_icc_profile(std::span<const std::byte> file);

// The digests of a JPEG, from its Photoshop APP13 segments (joined in file order, as one
// resource block may span several). Reads the segment headers only, up to the image data.
IptcDigests jpeg_iptc_digests(std::span<const std::byte> file);

// The digests from a Photoshop image-resource block and the IIM block, if there is one, even
// empty (TIFF keeps them in tags 34377 and 33723).
IptcDigests iptc_digests(std::span<const std::byte> resources,
                         std::optional<std::span<const std::byte>> iim);

// Makes a JPEG's stored IPTC digest (IRB 0x0425) the MD5 of its IIM as it now is, adding the
// resource to the Photoshop APP13 segment that holds the IIM when there is none, so that MWG
// readers know XMP and IIM are in step. Does nothing when the JPEG has no IIM.
void update_jpeg_iptc_digest(std::vector<std::byte>& jpeg);

// A TIFF's XMP packet (IFD0 tag 700) when it is larger than `limit` bytes: a copy of the file
// with the packet's count set to 0, so that Exiv2 does not parse it (it holds every item of a
// 60 MB packet in memory, 2.7 GB), and the packet's size; nullopt for any other file.
struct WithoutXmp {
  std::vector<std::byte> file;
  std::size_t xmp_bytes = 0;
};
std::optional<WithoutXmp> tiff_without_large_xmp(std::span<const std::byte> file,
                                                 std::size_t limit);

// The MD5 of `bytes` in lowercase hex.
std::string md5_hex(std::span<const std::byte> bytes);

}  // namespace pressroom
