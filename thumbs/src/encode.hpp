#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <opencv2/core.hpp>
#include <tl/expected.hpp>

namespace pressroom::thumbs {

struct JpegSettings {
  int quality = 85;
  // Progressive scans (a preview in a browser shows coarse-to-fine); baseline otherwise.
  bool progressive = false;
};

// `image` (8-bit BGR, or 8-bit grey) as a JPEG written by libjpeg-turbo: 4:2:0 chroma, optimised
// Huffman tables, a JFIF header and a 62-byte EXIF segment whose only entry (besides the EXIF
// version) is ColorSpace = sRGB, which marks the pixels as sRGB; no other metadata. Or why
// libjpeg refused (out of memory; a bad argument is a bug). Thread-safe.
tl::expected<std::vector<std::byte>, std::string> encode_jpeg(const cv::Mat& image,
                                                              const JpegSettings& settings);

}  // namespace pressroom::thumbs
