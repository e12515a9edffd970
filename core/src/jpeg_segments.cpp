#include "jpeg_segments.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

#include <exiv2/exiv2.hpp>
#include <openssl/evp.h>

namespace pressroom {
namespace {

constexpr std::uint16_t k_iptc_resource = 0x0404;
constexpr std::uint16_t k_digest_resource = 0x0425;
constexpr std::string_view k_photoshop = std::string_view("Photoshop 3.0\0", 14);

std::size_t big_endian_16(std::span<const std::byte> bytes, std::size_t at) {
  return (std::to_integer<std::size_t>(bytes[at]) << 8U) |
         std::to_integer<std::size_t>(bytes[at + 1]);
}

// One resource's data in a Photoshop resource block, through Exiv2's own IRB walker.
std::optional<std::span<const std::byte>> resource(std::span<const std::byte> block,
                                                   std::uint16_t id) {
  const Exiv2::byte* record = nullptr;
  std::uint32_t header_size = 0;
  std::uint32_t data_size = 0;
  const auto* data = reinterpret_cast<const Exiv2::byte*>(block.data());
  if (block.empty() || Exiv2::Photoshop::locateIrb(data, static_cast<long>(block.size()), id,
                                                   &record, &header_size, &data_size) != 0) {
    return std::nullopt;
  }
  const auto start = static_cast<std::size_t>(record - data) + header_size;
  if (start > block.size() || data_size > block.size() - start) {
    return std::nullopt;
  }
  return block.subspan(start, data_size);
}

std::array<std::byte, 16> md5(std::span<const std::byte> bytes) {
  std::array<std::byte, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  EVP_Digest(bytes.data(), bytes.size(), reinterpret_cast<unsigned char*>(digest.data()), &length,
             EVP_md5(), nullptr);
  std::array<std::byte, 16> out{};
  std::copy_n(digest.begin(), out.size(), out.begin());
  return out;
}

std::string hex(std::span<const std::byte> bytes) {
  static constexpr std::string_view k_digits = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (const std::byte b : bytes) {
    out.push_back(k_digits[std::to_integer<std::size_t>(b) >> 4U]);
    out.push_back(k_digits[std::to_integer<std::size_t>(b) & 0xFU]);
  }
  return out;
}

}  // namespace

std::string md5_hex(std::span<const std::byte> bytes) {
  return hex(md5(bytes));
}

std::optional<WithoutXmp> tiff_without_large_xmp(std::span<const std::byte> file,
                                                 std::size_t limit) {
  if (file.size() < 8) {
    return std::nullopt;
  }
  const auto b = [&file](std::size_t at) { return std::to_integer<std::uint32_t>(file[at]); };
  bool little = false;
  if (b(0) == 'I' && b(1) == 'I' && b(2) == 42 && b(3) == 0) {
    little = true;
  } else if (!(b(0) == 'M' && b(1) == 'M' && b(2) == 0 && b(3) == 42)) {
    return std::nullopt;
  }
  const auto u16 = [&](std::size_t at) {
    return little ? b(at) | (b(at + 1) << 8U) : (b(at) << 8U) | b(at + 1);
  };
  const auto u32 = [&](std::size_t at) {
    return little ? u16(at) | (u16(at + 2) << 16U) : (u16(at) << 16U) | u16(at + 2);
  };
  const std::size_t ifd = u32(4);
  if (ifd + 2 > file.size()) {
    return std::nullopt;
  }
  const std::size_t entries = u16(ifd);
  for (std::size_t i = 0; i < entries && ifd + 2 + (i + 1) * 12 <= file.size(); ++i) {
    const std::size_t entry = ifd + 2 + i * 12;
    const std::uint32_t type = u16(entry + 2);
    const std::size_t count = u32(entry + 4);
    // XMLPacket is BYTE (1) or UNDEFINED (7) by the standard: one byte per count.
    if (u16(entry) == 0x02bc && (type == 1 || type == 7) && count > limit) {
      WithoutXmp out{std::vector<std::byte>(file.begin(), file.end()), count};
      std::fill_n(out.file.begin() + static_cast<std::ptrdiff_t>(entry + 4), 4, std::byte{0});
      return out;
    }
  }
  return std::nullopt;
}

void update_jpeg_iptc_digest(std::vector<std::byte>& jpeg) {
  // The first Photoshop APP13 segment holding the IIM (Exiv2 writes it whole into one).
  std::optional<std::pair<std::size_t, std::size_t>> found;  // segment offset, length field
  for_each_jpeg_segment(jpeg, [&](unsigned marker, std::size_t offset, std::size_t length) {
    const auto payload = std::span<const std::byte>(jpeg).subspan(offset + 4, length - 2);
    if (!found && marker == 0xED && payload.size() >= k_photoshop.size() &&
        std::string_view(reinterpret_cast<const char*>(payload.data()), k_photoshop.size()) ==
            k_photoshop &&
        resource(payload.subspan(k_photoshop.size()), k_iptc_resource)) {
      found = std::pair(offset, length);
    }
  });
  if (!found) {
    return;
  }
  const auto [offset, length] = *found;
  const std::size_t block_start = offset + 4 + k_photoshop.size();
  const auto block =
      std::span<const std::byte>(jpeg).subspan(block_start, length - 2 - k_photoshop.size());
  const auto iim = resource(block, k_iptc_resource);
  const std::array<std::byte, 16> digest = md5(*iim);
  if (const auto stored = resource(block, k_digest_resource); stored && stored->size() == 16) {
    const auto at = static_cast<std::size_t>(stored->data() - jpeg.data());
    std::copy(digest.begin(), digest.end(), jpeg.begin() + static_cast<std::ptrdiff_t>(at));
    return;
  }
  // A new resource: "8BIM", id 0x0425, an empty name padded to even length, size 16, the digest.
  std::vector<std::byte> record;
  for (const char c : std::string_view("8BIM\x04\x25\0\0\0\0\0\x10", 12)) {
    record.push_back(static_cast<std::byte>(c));
  }
  record.insert(record.end(), digest.begin(), digest.end());
  const std::size_t new_length = length + record.size();
  if (new_length > 0xFFFF) {
    return;  // no room in the segment; without a stored digest readers take XMP, as wanted
  }
  const auto end = jpeg.begin() + static_cast<std::ptrdiff_t>(offset + 2 + length);
  jpeg.insert(end, record.begin(), record.end());
  jpeg[offset + 2] = static_cast<std::byte>(new_length >> 8U);
  jpeg[offset + 3] = static_cast<std::byte>(new_length & 0xFFU);
}

IptcDigests iptc_digests(std::span<const std::byte> resources,
                         std::optional<std::span<const std::byte>> iim) {
  IptcDigests digests;
  if (iim) {
    digests.current = md5_hex(*iim);
  }
  if (const auto stored = resource(resources, k_digest_resource); stored && stored->size() == 16) {
    digests.stored = hex(*stored);
  }
  return digests;
}

void for_each_jpeg_segment(
    std::span<const std::byte> file,
    const std::function<void(unsigned marker, std::size_t offset, std::size_t length)>& segment) {
  std::size_t at = 2;  // after SOI
  while (at + 4 <= file.size() && file[at] == std::byte{0xFF}) {
    const auto marker = std::to_integer<unsigned>(file[at + 1]);
    if (marker == 0xFF) {  // fill byte
      ++at;
      continue;
    }
    if (marker == 0xD8 || (marker >= 0xD0 && marker <= 0xD7) || marker == 0x01) {
      at += 2;  // markers without a length
      continue;
    }
    if (marker == 0xDA || marker == 0xD9) {  // image data or the end: no metadata after it
      return;
    }
    const std::size_t length = big_endian_16(file, at + 2);
    if (length < 2 || at + 2 + length > file.size()) {
      return;
    }
    segment(marker, at, length);
    at += 2 + length;
  }
}

std::optional<std::pair<int, int>> jpeg_pixel_size(std::span<const std::byte> file) {
  std::optional<std::pair<int, int>> size;
  for_each_jpeg_segment(file, [&](unsigned marker, std::size_t offset, std::size_t length) {
    // SOF0 to SOF15 without DHT (C4), JPG (C8) and DAC (CC): precision, height, width.
    const bool is_frame =
        marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    if (is_frame && !size && length >= 7) {
      const auto height = static_cast<int>(big_endian_16(file, offset + 5));
      const auto width = static_cast<int>(big_endian_16(file, offset + 7));
      if (width > 0 && height > 0) {
        size = std::pair(width, height);
      }
    }
  });
  return size;
}

std::vector<std::byte> jpeg_without_icc_profile(std::span<const std::byte> file) {
  static constexpr std::string_view k_icc = std::string_view("ICC_PROFILE\0", 12);
  std::vector<std::byte> out(file.begin(), file.end());
  std::vector<std::pair<std::size_t, std::size_t>> cuts;  // offset, bytes
  for_each_jpeg_segment(file, [&](unsigned marker, std::size_t offset, std::size_t length) {
    const auto payload = file.subspan(offset + 4, length - 2);
    if (marker == 0xE2 && payload.size() >= k_icc.size() &&
        std::string_view(reinterpret_cast<const char*>(payload.data()), k_icc.size()) == k_icc) {
      cuts.emplace_back(offset, length + 2);
    }
  });
  std::reverse(cuts.begin(), cuts.end());  // from the end, so earlier offsets stay right
  for (const auto& [offset, bytes] : cuts) {
    const auto first = out.begin() + static_cast<std::ptrdiff_t>(offset);
    out.erase(first, first + static_cast<std::ptrdiff_t>(bytes));
  }
  return out;
}

IptcDigests jpeg_iptc_digests(std::span<const std::byte> file) {
  std::vector<std::byte> block;
  for_each_jpeg_segment(file, [&](unsigned marker, std::size_t offset, std::size_t length) {
    const auto payload = file.subspan(offset + 4, length - 2);
    if (marker == 0xED && payload.size() >= k_photoshop.size() &&
        std::string_view(reinterpret_cast<const char*>(payload.data()), k_photoshop.size()) ==
            k_photoshop) {
      const auto data = payload.subspan(k_photoshop.size());
      block.insert(block.end(), data.begin(), data.end());
    }
  });
  IptcDigests digests = iptc_digests(block, resource(block, k_iptc_resource));
  digests.resources_damaged =
      !block.empty() && !Exiv2::Photoshop::valid(reinterpret_cast<const Exiv2::byte*>(block.data()),
                                                 static_cast<long>(block.size()));
  return digests;
}

}  // namespace pressroom
