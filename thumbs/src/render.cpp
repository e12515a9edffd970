#include "thumbs/render.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <memory>
#include <optional>
#include <string_view>

#include <opencv2/core.hpp>
#include <opencv2/core/utils/logger.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <turbojpeg.h>

#include "codecs.hpp"
#include "colour.hpp"
#include "encode.hpp"
#include "image_hash.hpp"
#include "resample.hpp"

namespace pressroom::thumbs {
namespace {

struct TjDestroy {
  void operator()(void* handle) const noexcept { tjDestroy(handle); }
};
using TjHandle = std::unique_ptr<void, TjDestroy>;

constexpr std::array k_reductions{8, 4, 2, 1};

// The DCT-scaled decode keeps at least this many times the largest rendition's long edge: a 1/8
// decode straight to about the target size shows its 8x8 blocks through any filter (SSIM 0.943
// against vips' 0.945 in bench/README.md, "Renditions"); from twice the size, Lanczos-3 gives
// 0.945.
constexpr int k_oversampling = 2;

struct Decoded {
  cv::Mat pixels;  // BGR, 8 bit
  int source_width = 0;
  int source_height = 0;
  int reduction = 1;
  std::vector<std::string> warnings;
};

int largest_edge(const RenderOptions& options) {
  return options.long_edges.empty()
             ? 0
             : *std::max_element(options.long_edges.begin(), options.long_edges.end());
}

// OpenCV decodes what TurboJPEG leaves to it: PNG, TIFF, WebP. IMREAD_UNCHANGED keeps 16 bits,
// grey and alpha for to_srgb(), and ignores the orientation: we apply it ourselves, the same way
// for every type.
Result<Decoded> decode_with_opencv(std::span<const std::byte> bytes, ImageType type,
                                   const std::string& subject) {
  Decoded decoded;
  const cv::Mat input(1, static_cast<int>(bytes.size()), CV_8UC1,
                      const_cast<std::byte*>(bytes.data()));  // NOLINT: imdecode only reads
  auto pixels = imdecode(input, cv::IMREAD_UNCHANGED);
  const std::string type_name(to_string(type));
  if (!pixels) {
    return fail(Errc::corrupt_data, subject, "cannot decode " + type_name + ": " + pixels.error());
  }
  if (pixels->empty()) {
    return fail(Errc::corrupt_data, subject,
                "cannot decode " + type_name + " (the decoder refused the data)");
  }
  decoded.source_width = pixels->cols;
  decoded.source_height = pixels->rows;
  if (pixels->depth() != CV_8U && pixels->depth() != CV_16U) {
    // Float TIFFs (0..1) and the rare signed or 32-bit integer ones: to 16 bits.
    const bool is_float = pixels->depth() == CV_32F || pixels->depth() == CV_64F;
    cv::Mat sixteen_bit;
    pixels->convertTo(sixteen_bit, CV_16U, is_float ? 65535.0 : 1.0);
    *pixels = sixteen_bit;
  }
  const ColourInfo colour = read_colour_info(bytes, type);
  if (!colour.warning.empty()) {
    decoded.warnings.push_back(subject + ": ICC profile ignored, " + colour.warning);
  }
  const PixelLayout layout = pixels->channels() <= 2 ? PixelLayout::grey : PixelLayout::bgr;
  decoded.pixels =
      to_srgb(std::move(*pixels), layout, colour.icc_profile, subject, decoded.warnings);
  return decoded;
}

Result<Decoded> decode_jpeg(std::span<const std::byte> bytes, const std::string& subject,
                            const RenderOptions& options) {
  const TjHandle handle(tjInitDecompress());
  if (!handle) {
    return fail(Errc::corrupt_data, subject, "cannot start the JPEG decoder");
  }
  auto* data = reinterpret_cast<unsigned char*>(const_cast<std::byte*>(bytes.data()));
  const auto size = static_cast<unsigned long>(bytes.size());
  int width = 0;
  int height = 0;
  int subsampling = 0;
  int colorspace = 0;
  std::vector<std::string> warnings;
  if (tjDecompressHeader3(handle.get(), data, size, &width, &height, &subsampling, &colorspace) !=
      0) {
    // TurboJPEG 2.1 fails the header read on a mere warning too ("6 extraneous bytes before
    // marker 0xfe", seen in real files that every viewer shows), and tjGetErrorCode() says
    // "warning" even for a fatal error that follows one. A header that gave a size is usable.
    const std::string reason = tjGetErrorStr2(handle.get());
    if (width < 1 || height < 1) {
      return fail(Errc::corrupt_data, subject, "not a readable JPEG: " + reason);
    }
    warnings.push_back(subject + ": JPEG decoder: " + reason);
  }
  if (auto checked = check_pixel_limit(width, height, options.max_pixels, subject); !checked) {
    return fail(checked.error());
  }
  const int reduction = reduction_for(width, height, k_oversampling * largest_edge(options));
  // The header segments only: an image without a profile, or with sRGB's, decodes straight to
  // BGR as before and to_srgb() leaves it as it is.
  const ColourInfo colour = read_colour_info(bytes, ImageType::jpeg);
  if (!colour.warning.empty()) {
    warnings.push_back(subject + ": ICC profile ignored, " + colour.warning);
  }
  // TurboJPEG converts YCCK to CMYK and keeps the DCT scaling for both; the colour conversion
  // runs on the reduced image. Grey decodes to BGR (equal channels) unless a grey profile must
  // be applied to the one channel.
  PixelLayout layout = PixelLayout::bgr;
  int pixel_format = TJPF_BGR;
  int mat_type = CV_8UC3;
  if (colorspace == TJCS_CMYK || colorspace == TJCS_YCCK) {
    // Photoshop writes CMYK and YCCK inverted, and marks its files with APP14 "Adobe"; libvips
    // inverts exactly when libjpeg saw that marker (saw_Adobe_marker), and so do we. libjpeg
    // also writes the marker for every CMYK file it makes, and ImageMagick, which writes
    // through it, stores CMYK inverted too.
    layout = colour.has_adobe_marker ? PixelLayout::cmyk_inverted : PixelLayout::cmyk;
    pixel_format = TJPF_CMYK;
    mat_type = CV_8UC4;
  } else if (colorspace == TJCS_GRAY && !colour.icc_profile.empty()) {
    layout = PixelLayout::grey;
    pixel_format = TJPF_GRAY;
    mat_type = CV_8UC1;
  }
  const tjscalingfactor factor{1, reduction};
  Decoded decoded;
  decoded.warnings = std::move(warnings);
  decoded.source_width = width;
  decoded.source_height = height;
  decoded.reduction = reduction;
  decoded.pixels.create(TJSCALED(height, factor), TJSCALED(width, factor), mat_type);
  const int result =
      tjDecompress2(handle.get(), data, size, decoded.pixels.data, decoded.pixels.cols,
                    static_cast<int>(decoded.pixels.step), decoded.pixels.rows, pixel_format, 0);
  if (result != 0) {
    const std::string reason = tjGetErrorStr2(handle.get());
    if (tjGetErrorCode(handle.get()) == TJERR_FATAL) {
      return fail(Errc::corrupt_data, subject, "cannot decode JPEG: " + reason);
    }
    // libjpeg's JWRN_JPEG_EOF: the data ended before the image did; the rest would be grey.
    // Other warnings (extraneous bytes, a bad restart marker) leave a usable image.
    if (reason.find("Premature end of JPEG file") != std::string::npos) {
      return fail(Errc::corrupt_data, subject, "truncated JPEG (" + reason + ")");
    }
    decoded.warnings.push_back(subject + ": JPEG decoder: " + reason);
  }
  if (layout != PixelLayout::bgr || !colour.icc_profile.empty()) {
    decoded.pixels =
        to_srgb(std::move(decoded.pixels), layout, colour.icc_profile, subject, decoded.warnings);
  }
  return decoded;
}

Result<Decoded> decode(std::span<const std::byte> bytes, ImageType type, const std::string& subject,
                       const RenderOptions& options) {
  if (type == ImageType::jpeg) {
    return decode_jpeg(bytes, subject, options);
  }
  auto decoded = decode_with_opencv(bytes, type, subject);
  if (decoded) {
    if (auto checked = check_pixel_limit(decoded->source_width, decoded->source_height,
                                         options.max_pixels, subject);
        !checked) {
      return fail(checked.error());
    }
  }
  return decoded;
}

// EXIF orientation: how the stored rows and columns must be turned to show the scene upright.
cv::Mat oriented(const cv::Mat& stored, int orientation) {
  cv::Mat shown;
  switch (orientation) {
    case 2:
      cv::flip(stored, shown, 1);
      break;
    case 3:
      cv::rotate(stored, shown, cv::ROTATE_180);
      break;
    case 4:
      cv::flip(stored, shown, 0);
      break;
    case 5:
      cv::transpose(stored, shown);
      break;
    case 6:
      cv::rotate(stored, shown, cv::ROTATE_90_CLOCKWISE);
      break;
    case 7: {
      cv::Mat turned;
      cv::rotate(stored, turned, cv::ROTATE_90_CLOCKWISE);
      cv::flip(turned, shown, 0);
      break;
    }
    case 8:
      cv::rotate(stored, shown, cv::ROTATE_90_COUNTERCLOCKWISE);
      break;
    default:
      shown = stored;
      break;
  }
  return shown;
}

// The size of a `long_edge` rendition, computed from the full stored size so that the aspect
// ratio does not depend on the DCT reduction's rounding.
cv::Size target_size(int source_width, int source_height, int long_edge) {
  const int longest = std::max(source_width, source_height);
  if (longest <= long_edge) {
    return {source_width, source_height};
  }
  const double scale = static_cast<double>(long_edge) / longest;
  return {std::max(1, static_cast<int>(std::lround(source_width * scale))),
          std::max(1, static_cast<int>(std::lround(source_height * scale)))};
}

}  // namespace

Result<void> check_pixel_limit(int width, int height, std::uint64_t max_pixels,
                               const std::string& subject) {
  const auto pixels = static_cast<std::uint64_t>(width) * static_cast<std::uint64_t>(height);
  if (pixels > max_pixels) {
    return fail(Errc::too_large, subject,
                std::to_string(width) + "x" + std::to_string(height) +
                    " pixels is over the limit of " + std::to_string(max_pixels / 1'000'000) +
                    " MP");
  }
  return {};
}

int reduction_for(int width, int height, int long_edge) {
  const int longest = std::max(width, height);
  for (const int reduction : k_reductions) {
    // TJSCALED rounds up: the reduced long edge is ceil(longest / reduction).
    if ((longest + reduction - 1) / reduction >= long_edge) {
      return reduction;
    }
  }
  return 1;
}

Result<RenderResult> render(std::span<const std::byte> bytes, ImageType type, int orientation,
                            const std::string& subject, const RenderOptions& options) {
  auto decoded = decode(bytes, type, subject, options);
  if (!decoded) {
    return fail(decoded.error());
  }
  RenderResult result;
  result.source_width = decoded->source_width;
  result.source_height = decoded->source_height;
  result.reduction = decoded->reduction;
  result.warnings = std::move(decoded->warnings);

  // Largest first, each made from the one before it: the thumbnail comes from the preview-sized
  // image, not from the full decode again (the preview is at least 2x the thumbnail's size, which
  // is all Lanczos-3 needs).
  std::vector<std::size_t> order(options.long_edges.size());
  for (std::size_t i = 0; i < order.size(); ++i) {
    order[i] = i;
  }
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return options.long_edges[a] > options.long_edges[b];
  });
  result.renditions.resize(options.long_edges.size());
  cv::Mat source = decoded->pixels;
  try {
    for (const std::size_t index : order) {
      const int long_edge = options.long_edges[index];
      const cv::Size size = target_size(result.source_width, result.source_height, long_edge);
      cv::Mat resized;
      if (size == source.size()) {
        resized = source;
      } else if (size.width <= source.cols && size.height <= source.rows) {
        resized = downscale_lanczos3(source, size);
      } else {
        // A DCT-reduced short edge a pixel below the size's rounding: stretch it.
        cv::resize(source, resized, size, 0, 0, cv::INTER_LINEAR);
      }
      const cv::Mat shown = oriented(resized, orientation);
      auto encoded = encode_jpeg(shown, {.quality = options.jpeg_quality,
                                         .progressive = long_edge >= options.progressive_from});
      if (!encoded) {
        return fail(Errc::corrupt_data, subject, "cannot encode the rendition: " + encoded.error());
      }
      Rendition& rendition = result.renditions[index];
      rendition.long_edge = long_edge;
      rendition.width = shown.cols;
      rendition.height = shown.rows;
      rendition.jpeg = std::move(*encoded);
      source = resized;
    }
    // After the loop `source` is the smallest rendition (or, with none asked for, the decode).
    result.perceptual_hash = perceptual_hash(oriented(source, orientation));
  } catch (const cv::Exception& error) {
    return fail(Errc::corrupt_data, subject, "cannot make renditions: " + error.msg);
  }
  return result;
}

void initialize_logging() {
  cv::utils::logging::setLogLevel(cv::utils::logging::LOG_LEVEL_SILENT);
}

}  // namespace pressroom::thumbs
