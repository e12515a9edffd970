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
  std::array<std::byte, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  EVP_Digest(bytes.data(), bytes.size(), reinterpret_cast<unsigned char*>(digest.data()), &length,
             EVP_md5(), nullptr);
  return hex(std::span(digest).first(length));
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
  return iptc_digests(block, resource(block, k_iptc_resource));
}

}  // namespace pressroom
