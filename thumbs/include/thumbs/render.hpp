#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/image_type.hpp"

namespace pressroom::thumbs {

struct RenderOptions {
  // Long edge in pixels of each rendition to make. A photo smaller than a size is not enlarged.
  std::vector<int> long_edges{256, 1280};
  int jpeg_quality = 85;
  // Renditions with a long edge at or above this are encoded progressive (previews load
  // coarse-to-fine in a browser); smaller ones baseline, which decodes faster.
  int progressive_from = 1000;
  // Images with more pixels than this are refused (decompression bombs): JPEGs from their
  // header, before decoding; other types only once OpenCV has decoded them, so callers that
  // know the size beforehand check it with check_pixel_limit() first.
  std::uint64_t max_pixels = 250'000'000;
  // A progressive JPEG's DCT coefficients are all held until its last scan: 64 two-byte values
  // per 8x8 block and component, 96 MB for a 24 MP 4:2:2 photo, 144 MB at 4:4:4. Above this
  // many bytes they are kept packed (only the non-zero ones, which the file itself holds in a
  // few MB), which takes about 1.5x the decode time; the pixels are the same.
  std::size_t compact_coefficients_from = std::size_t{48} << 20U;
};

struct Rendition {
  int long_edge = 0;  // the size asked for (RenderOptions::long_edges)
  int width = 0;      // the pixel size made, orientation applied
  int height = 0;
  std::vector<std::byte> jpeg;  // a JPEG whose only metadata is its sRGB mark
};

struct RenderResult {
  int source_width = 0;  // the stored pixel size of the input, before orientation (HEIC: upright)
  int source_height = 0;
  int reduction = 1;                  // the JPEG DCT scaling used for the decode: 1, 2, 4 or 8
  std::vector<Rendition> renditions;  // in the order of RenderOptions::long_edges
  std::vector<std::string> warnings;  // decoder warnings that did not stop the decode
  // perceptual_hash.hpp's hash of the picture upright, from the smallest rendition's pixels
  // before encoding (perceptual_hash_of_jpeg() of that rendition differs by a bit or two).
  std::uint64_t perceptual_hash = 0;
};

// Errors: too_large, naming `subject` and the size, when `width` x `height` is over
// `max_pixels`; success otherwise.
Result<void> check_pixel_limit(int width, int height, std::uint64_t max_pixels,
                               const std::string& subject);

// The largest libjpeg-turbo DCT reduction (1, 2, 4 or 8) at which an image of `width` x
// `height` still has a long edge of at least `long_edge` pixels; 1 when it is smaller already.
int reduction_for(int width, int height, int long_edge);

// Decodes `bytes` once and makes every rendition of `options` from it: downscaled with an
// antialiased Lanczos-3, the EXIF `orientation` (1..8; anything else is taken as 1) applied,
// encoded by libjpeg-turbo (4:2:0, optimised Huffman tables, progressive from
// options.progressive_from, marked sRGB by EXIF ColorSpace and carrying no other metadata).
// JPEGs decode with libjpeg-turbo's DCT scaling at reduction_for() twice the largest size
// (CMYK and YCCK too), row by row straight into the downscale to the largest size, so that only
// a progressive JPEG's DCT coefficients (which libjpeg keeps whole) grow with the photo. HEICs
// decode whole through libheif, upright: the container's rotation and mirroring (irot, imir)
// are applied and `orientation` is ignored (HEIF's rule; the EXIF tag inside a HEIC does not
// decide), and source_width/height are the upright size. Other types decode whole through
// OpenCV. The result is sRGB: an embedded ICC profile
// (JPEG, PNG, TIFF, WebP, HEIC) is converted with lcms2, CMYK without one by the plain formula,
// grey stays grey, 16 bits become 8 and alpha is flattened onto white; a profile that cannot be
// used is ignored with a warning. `subject` names the input in errors and warnings. Errors:
// too_large (over options.max_pixels), corrupt_data (truncated or undecodable), unsupported_format
// (a type this build cannot decode). Thread-safe.
Result<RenderResult> render(std::span<const std::byte> bytes, ImageType type, int orientation,
                            const std::string& subject, const RenderOptions& options = {});

// Silences OpenCV's own logging, whose messages would otherwise interleave with the
// command's output. Call once from main().
void initialize_logging();

}  // namespace pressroom::thumbs
