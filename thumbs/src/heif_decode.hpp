#pragma once

// A HEIC's primary image decoded by libheif (HEVC through libde265). Private to thumbs
// (render.cpp).

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "core/error.hpp"

namespace pressroom::thumbs {

// A HEIC opened up to its primary image: the container's boxes are read, nothing is decoded.
class HeifReader {
 public:
  // `bytes` must outlive the reader. Fails with the reason when libheif cannot read the
  // container or it has no primary image.
  static Result<HeifReader> open(std::span<const std::byte> bytes, const std::string& subject);
  ~HeifReader();
  HeifReader(const HeifReader&) = delete;
  HeifReader& operator=(const HeifReader&) = delete;
  HeifReader(HeifReader&&) noexcept;
  HeifReader& operator=(HeifReader&&) noexcept;

  // The size as shown: after the container's rotation (irot), mirroring (imir) and crop (clap).
  int width() const;
  int height() const;
  bool has_alpha() const;
  // The ICC profile of the image's `colr` box (prof or rICC); empty when there is none.
  std::vector<std::byte> icc_profile() const;
  // Why the colours cannot be taken as sRGB when the image has no ICC profile but an nclx
  // `colr` box with other primaries than BT.709/sRGB; empty otherwise.
  std::string colour_warning() const;

  // Decodes the primary image with its transformations applied, as 8-bit interleaved RGB (RGBA
  // with alpha): the picture upright, as HEIF says to show it. More than 8 bits are reduced to
  // 8. The pixels stay libheif's (no copy): the Mat is valid while the reader lives. The decode
  // runs on the calling thread only (renditions run one photo per worker).
  Result<cv::Mat> decode_rgb(const std::string& subject);

 private:
  struct State;
  explicit HeifReader(std::unique_ptr<State> state);
  std::unique_ptr<State> m_state;
};

}  // namespace pressroom::thumbs
