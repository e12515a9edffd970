#pragma once

// Colour for renditions: the ICC profile embedded in an image, and the conversion of decoded
// pixels to 8-bit sRGB with lcms2. Private to thumbs (render.cpp's decode path).

#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "core/image_type.hpp"

namespace pressroom::thumbs {

// What the bytes of an image say about its colour, read from the headers only (no pixel data).
struct ColourInfo {
  std::vector<std::byte> icc_profile;  // empty: none embedded (or an unusable one, see warning)
  // JPEG only: an APP14 "Adobe" segment is there. Photoshop, which writes it, stores CMYK and
  // YCCK inverted (0 = full ink).
  bool has_adobe_marker = false;
  std::string warning;  // why an embedded profile could not be read (empty when it could)
};

// Finds the embedded ICC profile: JPEG APP2 "ICC_PROFILE" chunks (reassembled in sequence
// order), PNG iCCP (inflated), TIFF tag 34675 of the first IFD, WebP ICCP. Never fails: a
// malformed profile container gives an empty profile and a warning.
ColourInfo read_colour_info(std::span<const std::byte> bytes, ImageType type);

// True when `profile` is an sRGB profile by its header and description ("sRGB IEC61966-2.1" and
// its variants, as cameras and most press photos carry): such images need no conversion, and
// checking costs no lcms2 call.
bool is_srgb_profile(std::span<const std::byte> profile);

// How decoded pixels are laid out. The depth (CV_8U or CV_16U) is the cv::Mat's own.
enum class PixelLayout {
  bgr,            // 3 channels; 4 (BGRA) are flattened onto white first
  grey,           // 1 channel
  cmyk,           // 4 channels, 8 bit, 0 = no ink
  cmyk_inverted,  // 4 channels, 8 bit, 255 = no ink (Adobe/Photoshop)
};

// Converts `pixels` in `layout` to 8-bit BGR sRGB: through `profile` with lcms2 when there is
// one and it is not sRGB; otherwise sRGB is assumed for RGB and grey, and the plain formula
// R = 255 (1 - C)(1 - K) for CMYK. A profile lcms2 cannot read, or of another colour space than
// the pixels, is ignored and a warning naming `subject` and the reason is appended to
// `warnings`. `pixels` may be converted in place (its buffer reused); the result is what counts.
// Grey stays grey: a grey image comes out with three equal channels. Thread-safe.
cv::Mat to_srgb(cv::Mat pixels, PixelLayout layout, std::span<const std::byte> profile,
                const std::string& subject, std::vector<std::string>& warnings);

}  // namespace pressroom::thumbs
