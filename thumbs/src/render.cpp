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

#include "codecs.hpp"
#include "colour.hpp"
#include "encode.hpp"
#include "heif_decode.hpp"
#include "image_hash.hpp"
#include "jpeg_decode.hpp"
#include "resample.hpp"

namespace pressroom::thumbs {
namespace {

constexpr std::array k_reductions{8, 4, 2, 1};

// The DCT-scaled decode keeps at least this many times the largest rendition's long edge: a 1/8
// decode straight to about the target size shows its 8x8 blocks through any filter (SSIM 0.943
// against vips' 0.945 in bench/README.md, "Renditions"); from twice the size, Lanczos-3 gives
// 0.945.
constexpr int k_oversampling = 2;

struct Decoded {
  cv::Mat pixels;  // BGR, 8 bit; for a JPEG already at the largest rendition's size
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

// OpenCV decodes what libjpeg leaves to it: PNG, TIFF, WebP. IMREAD_UNCHANGED keeps 16 bits,
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

// libjpeg-turbo's messages as the decoder's warnings, naming the input.
void add_decoder_warnings(const JpegReader& reader, const std::string& subject,
                          std::vector<std::string>& warnings) {
  for (const std::string& warning : reader.warnings()) {
    std::string line = subject;
    line += ": JPEG decoder: ";
    line += warning;
    if (std::find(warnings.begin(), warnings.end(), line) == warnings.end()) {
      warnings.push_back(std::move(line));
    }
  }
}

// Why libjpeg-turbo stopped, as render()'s error: truncation named as such, anything else after
// `doing`.
Error decoder_error(const JpegReader& reader, const std::string& subject, std::string doing) {
  return Error{Errc::corrupt_data, subject,
               reader.truncated() ? "truncated JPEG (" + reader.error() + ")"
                                  : std::move(doing) + ": " + reader.error()};
}

// A JPEG decoded with DCT scaling and streamed row by row into the downscale to the largest
// rendition, so that neither the whole image nor its reduced decode is ever held: `pixels` is
// that rendition's size already (or the reduced decode when no rendition is asked for). Only a
// progressive JPEG's DCT coefficients, which libjpeg keeps whole, still cost memory in
// proportion to the photo. The colour conversion runs last, on the downscaled pixels.
Result<Decoded> decode_jpeg(std::span<const std::byte> bytes, const std::string& subject,
                            const RenderOptions& options) {
  JpegReader reader(bytes);
  std::vector<std::string> warnings;
  if (!reader.read_header()) {
    return fail(decoder_error(reader, subject, "not a readable JPEG"));
  }
  // Junk between segments ("6 extraneous bytes before marker 0xfe", seen in real files that
  // every viewer shows) is a warning: the image is there.
  add_decoder_warnings(reader, subject, warnings);
  const int width = reader.width();
  const int height = reader.height();
  if (auto checked = check_pixel_limit(width, height, options.max_pixels, subject); !checked) {
    return fail(checked.error());
  }
  const int reduction = reduction_for(width, height, k_oversampling * largest_edge(options));
  // The header segments only: an image without a profile, or with sRGB's, needs no conversion.
  const ColourInfo colour = read_colour_info(bytes, ImageType::jpeg);
  if (!colour.warning.empty()) {
    warnings.push_back(subject + ": ICC profile ignored, " + colour.warning);
  }
  PixelLayout layout = PixelLayout::bgr;
  JpegOutput output = JpegOutput::bgr;
  if (reader.is_cmyk()) {
    // libjpeg converts YCCK to CMYK. Photoshop writes CMYK and YCCK inverted, and marks its
    // files with APP14 "Adobe"; libvips inverts exactly when libjpeg saw that marker
    // (saw_Adobe_marker), and so do we. libjpeg also writes the marker for every CMYK file it
    // makes, and ImageMagick, which writes through it, stores CMYK inverted too.
    layout = colour.has_adobe_marker ? PixelLayout::cmyk_inverted : PixelLayout::cmyk;
    output = JpegOutput::cmyk;
  } else if (reader.is_grey()) {
    // Grey is downscaled as one channel, a third of the work, and made BGR after.
    layout = PixelLayout::grey;
    output = JpegOutput::grey;
  }
  if (!reader.start(reduction, output, options.compact_coefficients_from)) {
    return fail(decoder_error(reader, subject, "cannot decode JPEG"));
  }
  Decoded decoded;
  decoded.source_width = width;
  decoded.source_height = height;
  decoded.reduction = reduction;
  const cv::Size reduced(reader.output_width(), reader.output_height());
  const int type = CV_MAKETYPE(CV_8U, reader.output_channels());
  const cv::Size wanted =
      options.long_edges.empty() ? reduced : target_size(width, height, largest_edge(options));
  // A DCT-reduced edge a pixel below the size's rounding: downscaled to what it has, then
  // stretched below.
  const cv::Size streamed(std::min(wanted.width, reduced.width),
                          std::min(wanted.height, reduced.height));
  cv::Mat pixels;
  bool complete = true;
  if (streamed == reduced) {
    pixels.create(reduced, type);
    for (int y = 0; y < reduced.height && complete; ++y) {
      complete = reader.read_row(pixels.ptr<unsigned char>(y));
    }
  } else {
    pixels = downscale_lanczos3(reduced, type, streamed,
                                [&](unsigned char* row) { return reader.read_row(row); });
    complete = !pixels.empty();
  }
  if (!complete) {
    return fail(decoder_error(reader, subject, "cannot decode JPEG"));
  }
  add_decoder_warnings(reader, subject, warnings);
  if (streamed != wanted) {
    cv::Mat stretched;
    cv::resize(pixels, stretched, wanted, 0, 0, cv::INTER_LINEAR);
    pixels = stretched;
  }
  decoded.warnings = std::move(warnings);
  decoded.pixels =
      layout != PixelLayout::bgr || !colour.icc_profile.empty()
          ? to_srgb(std::move(pixels), layout, colour.icc_profile, subject, decoded.warnings)
          : pixels;
  return decoded;
}

// A HEIC through libheif, upright: the container's irot/imir are applied, and its EXIF
// orientation is not (HEIF, ISO/IEC 23008-12: the transformative properties decide). Without
// alpha the decode is downscaled to the largest rendition before the colour conversion, as for
// a JPEG; with alpha it is flattened onto white first, at full size.
Result<Decoded> decode_heic(std::span<const std::byte> bytes, const std::string& subject,
                            const RenderOptions& options) {
  auto reader = HeifReader::open(bytes, subject);
  if (!reader) {
    return fail(reader.error());
  }
  const int width = reader->width();
  const int height = reader->height();
  if (auto checked = check_pixel_limit(width, height, options.max_pixels, subject); !checked) {
    return fail(checked.error());
  }
  Decoded decoded;
  decoded.source_width = width;
  decoded.source_height = height;
  const std::vector<std::byte> profile = reader->icc_profile();
  if (const std::string warning = reader->colour_warning(); !warning.empty()) {
    decoded.warnings.push_back(subject + ": " + warning);
  }
  auto rgb = reader->decode_rgb(subject);
  if (!rgb) {
    return fail(rgb.error());
  }
  if (rgb->cols != width || rgb->rows != height) {
    return fail(Errc::corrupt_data, subject,
                "cannot decode HEIC: libheif announced " + std::to_string(width) + "x" +
                    std::to_string(height) + " pixels and decoded " + std::to_string(rgb->cols) +
                    "x" + std::to_string(rgb->rows));
  }
  cv::Mat bgr;
  if (rgb->channels() == 4) {
    cv::cvtColor(*rgb, bgr, cv::COLOR_RGBA2BGRA);
  } else {
    const cv::Size wanted = options.long_edges.empty()
                                ? rgb->size()
                                : target_size(width, height, largest_edge(options));
    const cv::Mat small = wanted == rgb->size() ? *rgb : downscale_lanczos3(*rgb, wanted);
    cv::cvtColor(small, bgr, cv::COLOR_RGB2BGR);
  }
  decoded.pixels = to_srgb(std::move(bgr), PixelLayout::bgr, profile, subject, decoded.warnings);
  return decoded;
}

Result<Decoded> decode(std::span<const std::byte> bytes, ImageType type, const std::string& subject,
                       const RenderOptions& options) {
  if (type == ImageType::jpeg) {
    return decode_jpeg(bytes, subject, options);
  }
  if (type == ImageType::heic) {
    try {
      return decode_heic(bytes, subject, options);
    } catch (const cv::Exception& error) {
      return fail(Errc::corrupt_data, subject, "cannot decode HEIC: " + error.msg);
    }
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
    // libjpeg rounds up: the reduced long edge is ceil(longest / reduction).
    if ((longest + reduction - 1) / reduction >= long_edge) {
      return reduction;
    }
  }
  return 1;
}

Result<RenderResult> render(std::span<const std::byte> bytes, ImageType type, int orientation,
                            const std::string& subject, const RenderOptions& options) {
  if (type == ImageType::heic) {
    orientation = 1;  // decode_heic() applied the container's transformations
  }
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
