#include "colour.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string_view>

#include <lcms2.h>
#include <opencv2/imgproc.hpp>
#include <tl/expected.hpp>
#include <zlib.h>

namespace pressroom::thumbs {
namespace {

// No real profile comes near this; a larger one is a decompression bomb in a PNG iCCP.
constexpr std::size_t k_max_profile_bytes = std::size_t{16} << 20U;

std::uint32_t be16(std::span<const std::byte> bytes, std::size_t at) {
  return (std::to_integer<std::uint32_t>(bytes[at]) << 8U) |
         std::to_integer<std::uint32_t>(bytes[at + 1]);
}

std::uint32_t be32(std::span<const std::byte> bytes, std::size_t at) {
  return (be16(bytes, at) << 16U) | be16(bytes, at + 2);
}

std::uint32_t le32(std::span<const std::byte> bytes, std::size_t at) {
  return std::to_integer<std::uint32_t>(bytes[at]) |
         (std::to_integer<std::uint32_t>(bytes[at + 1]) << 8U) |
         (std::to_integer<std::uint32_t>(bytes[at + 2]) << 16U) |
         (std::to_integer<std::uint32_t>(bytes[at + 3]) << 24U);
}

bool starts_with(std::span<const std::byte> bytes, std::size_t at, std::string_view text) {
  if (at > bytes.size() || bytes.size() - at < text.size()) {
    return false;
  }
  return std::equal(text.begin(), text.end(), bytes.begin() + static_cast<std::ptrdiff_t>(at),
                    [](char c, std::byte b) { return static_cast<std::byte>(c) == b; });
}

std::vector<std::byte> copy_of(std::span<const std::byte> bytes) {
  return {bytes.begin(), bytes.end()};
}

// JPEG: the header segments up to the first scan. ICC.1:2022 Annex B.4: a profile too large for
// one APP2 segment is split into chunks, each "ICC_PROFILE\0", its 1-based sequence number and
// the chunk count; writers do not always store them in order.
ColourInfo read_jpeg(std::span<const std::byte> bytes) {
  ColourInfo info;
  std::map<unsigned, std::span<const std::byte>> chunks;
  unsigned chunk_count = 0;
  bool inconsistent = false;
  std::size_t pos = 2;
  while (pos + 4 <= bytes.size()) {
    if (bytes[pos] != std::byte{0xFF}) {
      ++pos;  // junk between segments ("extraneous bytes"), which libjpeg skips too
      continue;
    }
    const auto marker = std::to_integer<unsigned>(bytes[pos + 1]);
    if (marker == 0xFF) {
      ++pos;  // fill byte
      continue;
    }
    if (marker == 0xDA || marker == 0xD9) {
      break;  // SOS or EOI: no more header segments
    }
    if (marker == 0x01 || marker == 0xD8 || (marker >= 0xD0 && marker <= 0xD7)) {
      pos += 2;  // markers without a length
      continue;
    }
    const std::size_t length = be16(bytes, pos + 2);
    if (length < 2 || pos + 2 + length > bytes.size()) {
      break;
    }
    const auto payload = bytes.subspan(pos + 4, length - 2);
    if (marker == 0xE2 && payload.size() >= 14 && starts_with(payload, 0, {"ICC_PROFILE\0", 12})) {
      const auto sequence = std::to_integer<unsigned>(payload[12]);
      const auto count = std::to_integer<unsigned>(payload[13]);
      if (chunk_count != 0 && count != chunk_count) {
        inconsistent = true;
      }
      chunk_count = count;
      if (!chunks.emplace(sequence, payload.subspan(14)).second) {
        inconsistent = true;
      }
    } else if (marker == 0xEE && starts_with(payload, 0, "Adobe")) {
      info.has_adobe_marker = true;
    }
    pos += 2 + length;
  }
  if (chunks.empty()) {
    return info;
  }
  // One chunk is the whole profile whatever its numbers say (writers that number it 0 exist:
  // TwelveMonkeys' invalid-icc-single-chunk-bad-sequence-number.jpg in the shared corpus).
  if (chunks.size() > 1 && (inconsistent || chunks.size() != chunk_count ||
                            chunks.begin()->first != 1 || chunks.rbegin()->first != chunk_count)) {
    info.warning = "its ICC profile's APP2 chunks are incomplete or inconsistent";
    return info;
  }
  for (const auto& [sequence, chunk] : chunks) {
    info.icc_profile.insert(info.icc_profile.end(), chunk.begin(), chunk.end());
  }
  return info;
}

tl::expected<std::vector<std::byte>, std::string> inflate_zlib(std::span<const std::byte> input) {
  z_stream stream{};
  if (inflateInit(&stream) != Z_OK) {
    return tl::make_unexpected(std::string("zlib cannot start"));
  }
  std::vector<std::byte> output(std::max<std::size_t>(input.size() * 4, 4096));
  // zlib's next_in is not const in its API but is only read.
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<std::byte*>(input.data()));
  stream.avail_in = static_cast<uInt>(input.size());
  int status = Z_OK;
  while (status == Z_OK) {
    if (stream.total_out == output.size()) {
      if (output.size() >= k_max_profile_bytes) {
        break;
      }
      output.resize(output.size() * 2);
    }
    stream.next_out = reinterpret_cast<Bytef*>(output.data() + stream.total_out);
    stream.avail_out = static_cast<uInt>(output.size() - stream.total_out);
    status = inflate(&stream, Z_NO_FLUSH);
  }
  const std::size_t total = stream.total_out;
  inflateEnd(&stream);
  if (status != Z_STREAM_END) {
    return tl::make_unexpected(std::string("its compressed ICC profile (PNG iCCP) is damaged"));
  }
  output.resize(total);
  return output;
}

// PNG: chunks before the image data; iCCP is a name, a NUL, the compression method (0) and a
// zlib stream (PNG 3rd edition, 11.3.2.3).
ColourInfo read_png(std::span<const std::byte> bytes) {
  ColourInfo info;
  std::size_t pos = 8;
  while (pos + 12 <= bytes.size()) {
    const std::size_t length = be32(bytes, pos);
    if (length > bytes.size() - pos - 12) {
      break;
    }
    const auto data = bytes.subspan(pos + 8, length);
    if (starts_with(bytes, pos + 4, "IDAT") || starts_with(bytes, pos + 4, "IEND")) {
      break;
    }
    if (starts_with(bytes, pos + 4, "iCCP")) {
      const auto nul = std::find(data.begin(), data.end(), std::byte{0});
      const auto name_length = static_cast<std::size_t>(nul - data.begin());
      if (name_length + 2 > data.size()) {
        info.warning = "its ICC profile chunk (PNG iCCP) is malformed";
        return info;
      }
      auto profile = inflate_zlib(data.subspan(name_length + 2));
      if (!profile) {
        info.warning = profile.error();
        return info;
      }
      info.icc_profile = std::move(*profile);
      return info;
    }
    pos += 12 + length;
  }
  return info;
}

// TIFF: tag 34675 (InterColorProfile) of the first IFD, BYTE or UNDEFINED. BigTIFF is not read.
ColourInfo read_tiff(std::span<const std::byte> bytes) {
  ColourInfo info;
  if (bytes.size() < 8) {
    return info;
  }
  const bool little = starts_with(bytes, 0, "II");
  auto u16 = [&](std::size_t at) {
    return little ? (std::to_integer<std::uint32_t>(bytes[at]) |
                     (std::to_integer<std::uint32_t>(bytes[at + 1]) << 8U))
                  : be16(bytes, at);
  };
  auto u32 = [&](std::size_t at) { return little ? le32(bytes, at) : be32(bytes, at); };
  if (u16(2) != 42) {
    return info;
  }
  const std::size_t ifd = u32(4);
  if (ifd > bytes.size() || bytes.size() - ifd < 2) {
    return info;
  }
  const std::size_t entries = u16(ifd);
  for (std::size_t i = 0; i < entries; ++i) {
    const std::size_t entry = ifd + 2 + 12 * i;
    if (entry + 12 > bytes.size()) {
      break;
    }
    if (u16(entry) != 34675) {
      continue;
    }
    const std::size_t count = u32(entry + 4);
    const std::size_t offset = count <= 4 ? entry + 8 : u32(entry + 8);
    if (offset > bytes.size() || count > bytes.size() - offset) {
      info.warning = "its ICC profile (TIFF tag 34675) points outside the file";
      return info;
    }
    info.icc_profile = copy_of(bytes.subspan(offset, count));
    return info;
  }
  return info;
}

// WebP: the RIFF container's ICCP chunk (WebP container specification, "Extended file format").
ColourInfo read_webp(std::span<const std::byte> bytes) {
  ColourInfo info;
  std::size_t pos = 12;
  while (pos + 8 <= bytes.size()) {
    const std::size_t length = le32(bytes, pos + 4);
    if (length > bytes.size() - pos - 8) {
      break;
    }
    if (starts_with(bytes, pos, "ICCP")) {
      info.icc_profile = copy_of(bytes.subspan(pos + 8, length));
      return info;
    }
    pos += 8 + length + (length & 1U);
  }
  return info;
}

// lcms2 reports errors through one process-wide handler; each thread keeps its last message.
thread_local std::string t_lcms_error;  // NOLINT(misc-use-anonymous-namespace): already in one

void record_lcms_error(cmsContext /*context*/, cmsUInt32Number /*code*/, const char* text) {
  t_lcms_error = text != nullptr ? text : "unknown lcms2 error";
}

struct CloseProfile {
  void operator()(void* profile) const noexcept { cmsCloseProfile(profile); }
};
using Profile = std::unique_ptr<void, CloseProfile>;
struct DeleteTransform {
  void operator()(void* transform) const noexcept { cmsDeleteTransform(transform); }
};
using Transform = std::unique_ptr<void, DeleteTransform>;

struct OutputProfiles {
  Profile srgb;
  Profile grey;  // D50 white with sRGB's tone curve: grey in, the same grey as sRGB would show
};

// Made once and shared: lcms2 (since 2.6) guards a profile's tag reads with its own mutex.
const OutputProfiles& output_profiles() {
  static const OutputProfiles profiles = [] {
    cmsSetLogErrorHandler(record_lcms_error);
    OutputProfiles made;
    made.srgb.reset(cmsCreate_sRGBProfile());
    // IEC 61966-2-1: Y = ((V + 0.055) / 1.055)^2.4 above 0.04045, V / 12.92 below.
    const std::array<cmsFloat64Number, 5> srgb_curve{2.4, 1.0 / 1.055, 0.055 / 1.055, 1.0 / 12.92,
                                                     0.04045};
    cmsToneCurve* curve = cmsBuildParametricToneCurve(nullptr, 4, srgb_curve.data());
    made.grey.reset(cmsCreateGrayProfile(cmsD50_xyY(), curve));
    cmsFreeToneCurve(curve);
    return made;
  }();
  return profiles;
}

std::string_view colour_space_name(cmsColorSpaceSignature space) {
  switch (space) {
    case cmsSigRgbData:
      return "RGB";
    case cmsSigGrayData:
      return "grey";
    case cmsSigCmykData:
      return "CMYK";
    case cmsSigLabData:
      return "Lab";
    default:
      return "another colour space";
  }
}

tl::expected<cv::Mat, std::string> convert_with_lcms(const cv::Mat& pixels, PixelLayout layout,
                                                     std::span<const std::byte> icc) {
  const OutputProfiles& outputs = output_profiles();
  t_lcms_error.clear();
  const Profile input(cmsOpenProfileFromMem(icc.data(), static_cast<cmsUInt32Number>(icc.size())));
  if (!input) {
    return tl::make_unexpected("lcms2 cannot read it (" +
                               (t_lcms_error.empty() ? "not an ICC profile" : t_lcms_error) + ")");
  }
  const bool is_16_bit = pixels.depth() == CV_16U;
  cmsColorSpaceSignature expected = cmsSigRgbData;
  cmsUInt32Number format = is_16_bit ? TYPE_BGR_16 : TYPE_BGR_8;
  if (layout == PixelLayout::grey) {
    expected = cmsSigGrayData;
    format = is_16_bit ? TYPE_GRAY_16 : TYPE_GRAY_8;
  } else if (layout == PixelLayout::cmyk || layout == PixelLayout::cmyk_inverted) {
    expected = cmsSigCmykData;
    format = layout == PixelLayout::cmyk ? TYPE_CMYK_8 : TYPE_CMYK_8_REV;
  }
  const cmsColorSpaceSignature space = cmsGetColorSpace(input.get());
  if (space != expected) {
    return tl::make_unexpected("it is a profile for " + std::string(colour_space_name(space)) +
                               " but the image is " + std::string(colour_space_name(expected)));
  }
  const bool is_grey = layout == PixelLayout::grey;
  // Relative colorimetric with black-point compensation: Photoshop's default for conversions to
  // sRGB, and for the matrix-shaper profiles of photographs (Adobe RGB, ProPhoto) the only
  // intent they carry (lcms2 falls back to it for perceptual). Without BPC, a printer profile's
  // black (paper and ink never reach 0) would come out as a dark grey instead of sRGB black.
  const Transform transform(
      cmsCreateTransform(input.get(), format, is_grey ? outputs.grey.get() : outputs.srgb.get(),
                         is_grey ? TYPE_GRAY_8 : TYPE_BGR_8, INTENT_RELATIVE_COLORIMETRIC,
                         cmsFLAGS_BLACKPOINTCOMPENSATION));
  if (!transform) {
    return tl::make_unexpected("lcms2 cannot convert from it (" +
                               (t_lcms_error.empty() ? "no transform" : t_lcms_error) + ")");
  }
  cv::Mat output;
  if (pixels.type() == (is_grey ? CV_8UC1 : CV_8UC3)) {
    output = pixels;  // same pixel size in and out: lcms2 converts in place
  } else {
    output.create(pixels.size(), is_grey ? CV_8UC1 : CV_8UC3);
  }
  // lcms2 2.14 runs an 8-bit matrix-shaper transform at about 40 MP/s on this machine, so a
  // JPEG is converted after the downscale to its largest rendition (render.cpp): about 1 MP
  // for a preview instead of the 5 MP reduced decode of a 20 MP photo (~120 ms).
  cmsDoTransformLineStride(
      transform.get(), pixels.data, output.data, static_cast<cmsUInt32Number>(pixels.cols),
      static_cast<cmsUInt32Number>(pixels.rows), static_cast<cmsUInt32Number>(pixels.step),
      static_cast<cmsUInt32Number>(output.step), 0, 0);
  if (is_grey) {
    cv::Mat bgr;
    cv::cvtColor(output, bgr, cv::COLOR_GRAY2BGR);
    return bgr;
  }
  return output;
}

// Alpha over white, in the image's own (gamma-encoded) values, as browsers composite.
template <typename T>
cv::Mat flatten_onto_white(const cv::Mat& pixels) {
  const int colours = pixels.channels() - 1;
  const double max = pixels.depth() == CV_16U ? 65535.0 : 255.0;
  cv::Mat flat(pixels.size(), CV_MAKETYPE(pixels.depth(), colours));
  for (int y = 0; y < pixels.rows; ++y) {
    const auto* in = pixels.ptr<T>(y);
    auto* out = flat.ptr<T>(y);
    for (int x = 0; x < pixels.cols; ++x) {
      const double alpha = in[colours] / max;
      for (int c = 0; c < colours; ++c) {
        out[c] = cv::saturate_cast<T>(in[c] * alpha + max * (1.0 - alpha));
      }
      in += colours + 1;
      out += colours;
    }
  }
  return flat;
}

// sRGB assumed: only the depth and the channel count change.
cv::Mat plain_rgb(const cv::Mat& pixels, PixelLayout layout) {
  cv::Mat eight_bit = pixels;
  if (pixels.depth() == CV_16U) {
    pixels.convertTo(eight_bit, CV_8U, 1.0 / 257.0);  // 65535 -> 255 exactly, rounded
  }
  if (layout == PixelLayout::grey) {
    cv::Mat bgr;
    cv::cvtColor(eight_bit, bgr, cv::COLOR_GRAY2BGR);
    return bgr;
  }
  return eight_bit;
}

// CMYK without a profile: R = (1 - C)(1 - K) and so on, as OpenCV, Pillow and ImageMagick do
// without one. Too light and too saturated next to a press profile, but the hues are right.
cv::Mat plain_cmyk(const cv::Mat& pixels, bool is_inverted) {
  cv::Mat bgr(pixels.size(), CV_8UC3);
  const unsigned flip = is_inverted ? 0U : 255U;
  for (int y = 0; y < pixels.rows; ++y) {
    const auto* in = pixels.ptr<std::uint8_t>(y);
    auto* out = bgr.ptr<std::uint8_t>(y);
    for (int x = 0; x < pixels.cols; ++x, in += 4, out += 3) {
      const unsigned k = in[3] ^ flip;  // 255 - K, or the stored value when inverted
      out[0] = static_cast<std::uint8_t>(((in[2] ^ flip) * k + 127U) / 255U);
      out[1] = static_cast<std::uint8_t>(((in[1] ^ flip) * k + 127U) / 255U);
      out[2] = static_cast<std::uint8_t>(((in[0] ^ flip) * k + 127U) / 255U);
    }
  }
  return bgr;
}

}  // namespace

ColourInfo read_colour_info(std::span<const std::byte> bytes, ImageType type) {
  ColourInfo info;
  switch (type) {
    case ImageType::jpeg:
      info = read_jpeg(bytes);
      break;
    case ImageType::png:
      info = read_png(bytes);
      break;
    case ImageType::tiff:
      info = read_tiff(bytes);
      break;
    case ImageType::webp:
      info = read_webp(bytes);
      break;
    case ImageType::heic:
      break;  // libheif reads its profile (heif_decode.hpp)
  }
  if (info.icc_profile.size() > k_max_profile_bytes) {
    info.icc_profile.clear();
    info.warning = "its ICC profile is implausibly large";
  }
  return info;
}

bool is_srgb_profile(std::span<const std::byte> profile) {
  // ICC.1 7.2: the header is 128 bytes, the colour space at 16; the tag table follows.
  if (profile.size() < 132 || !starts_with(profile, 16, "RGB ")) {
    return false;
  }
  const std::size_t tags = be32(profile, 128);
  for (std::size_t i = 0; i < tags && 132 + 12 * (i + 1) <= profile.size(); ++i) {
    const std::size_t entry = 132 + 12 * i;
    if (!starts_with(profile, entry, "desc")) {
      continue;
    }
    const std::size_t offset = be32(profile, entry + 4);
    const std::size_t size = be32(profile, entry + 8);
    if (offset > profile.size() || size > profile.size() - offset || size < 16) {
      return false;
    }
    const auto desc = profile.subspan(offset, size);
    if (starts_with(desc, 0, "desc")) {  // ICC v2 textDescriptionType: ASCII from byte 12
      return starts_with(desc, 12, "sRGB");
    }
    if (starts_with(desc, 0, "mluc") && size >= 28) {  // v4: the first record's UTF-16BE text
      const std::size_t text = be32(desc, 24);         // record: language, country, length, offset
      return starts_with(desc, text, {"\0s\0R\0G\0B", 8});
    }
    return false;
  }
  return false;
}

cv::Mat to_srgb(cv::Mat pixels, PixelLayout layout, std::span<const std::byte> profile,
                const std::string& subject, std::vector<std::string>& warnings) {
  const bool is_cmyk = layout == PixelLayout::cmyk || layout == PixelLayout::cmyk_inverted;
  if (!is_cmyk && (pixels.channels() == 2 || pixels.channels() == 4)) {
    pixels = pixels.depth() == CV_16U ? flatten_onto_white<std::uint16_t>(pixels)
                                      : flatten_onto_white<std::uint8_t>(pixels);
  }
  // An sRGB profile needs no transform: the common case costs only is_srgb_profile().
  if (!profile.empty() && !(layout == PixelLayout::bgr && is_srgb_profile(profile))) {
    auto converted = convert_with_lcms(pixels, layout, profile);
    if (converted) {
      return std::move(*converted);
    }
    warnings.push_back(subject + ": ICC profile ignored, " + converted.error());
  }
  return is_cmyk ? plain_cmyk(pixels, layout == PixelLayout::cmyk_inverted)
                 : plain_rgb(pixels, layout);
}

}  // namespace pressroom::thumbs
