#include "encode.hpp"

#include <array>
#include <csetjmp>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "jpeg_errors.hpp"

namespace pressroom::thumbs {
namespace {

// APP1 "Exif": a little-endian TIFF structure with IFD0 holding only the pointer to the EXIF
// IFD, and that IFD holding ExifVersion 0232 (mandatory in every EXIF IFD) and ColorSpace 1
// (sRGB), the mark Exif 2.32 §4.6.5 gives an sRGB image. Written as constant bytes: building it
// with Exiv2 per rendition would cost more than encoding a thumbnail, and thumbs does not link
// Exiv2 (STYLE.md §1). tests/thumbs/render_test.cpp reads it back with exiftool.
constexpr std::array<unsigned char, 62> k_srgb_exif{
    'E',  'x',  'i', 'f', 0, 0,        // APP1 identifier
    'I',  'I',  42,  0,   8, 0, 0, 0,  // TIFF header: little-endian, IFD0 at offset 8
    1,    0,                           // IFD0: one entry
    0x69, 0x87, 4,   0,   1, 0, 0, 0, 26,  0,   0,   0,    // ExifIFDPointer (LONG) = 26
    0,    0,    0,   0,                                    // no IFD1
    2,    0,                                               // EXIF IFD at 26: two entries
    0x00, 0x90, 7,   0,   4, 0, 0, 0, '0', '2', '3', '2',  // ExifVersion (UNDEFINED[4]) = "0232"
    0x01, 0xA0, 3,   0,   1, 0, 0, 0, 1,   0,   0,   0,    // ColorSpace (SHORT) = 1, sRGB
    0,    0,    0,   0,                                    // no next IFD
};

// The previews' progression: every component's DC first (a whole 1/8-resolution picture, what
// "progressive" buys a reader on a slow line), then each component's AC coefficients in one
// scan. jpeg_simple_progression()'s ten scans with successive approximation make files 3%
// smaller but take 1.5x as long to write (cjpeg on a 1280 px photograph: 133 against 91 ms),
// and the preview's encode is a fifth of the import's rendition time.
constexpr std::array<jpeg_scan_info, 4> k_colour_scans{{
    {3, {0, 1, 2, 0}, 0, 0, 0, 0},
    {1, {0, 0, 0, 0}, 1, 63, 0, 0},
    {1, {1, 0, 0, 0}, 1, 63, 0, 0},
    {1, {2, 0, 0, 0}, 1, 63, 0, 0},
}};
constexpr std::array<jpeg_scan_info, 2> k_grey_scans{{
    {1, {0, 0, 0, 0}, 0, 0, 0, 0},
    {1, {0, 0, 0, 0}, 1, 63, 0, 0},
}};

struct FreeBuffer {
  void operator()(unsigned char* buffer) const noexcept { std::free(buffer); }  // NOLINT
};

// The libjpeg calls, kept free of C++ objects with destructors: longjmp must not skip any.
// Returns false with `errors.message` set when libjpeg failed.
bool compress(const cv::Mat& image, const JpegSettings& settings, JpegErrors& errors,
              unsigned char** buffer, unsigned long* size) {
  jpeg_compress_struct info{};
  info.err = use_jpeg_errors(errors);
  if (setjmp(errors.jump) != 0) {  // NOLINT(cert-err52-cpp)
    jpeg_destroy_compress(&info);
    return false;
  }
  jpeg_create_compress(&info);
  jpeg_mem_dest(&info, buffer, size);
  info.image_width = static_cast<JDIMENSION>(image.cols);
  info.image_height = static_cast<JDIMENSION>(image.rows);
  const bool grey = image.channels() == 1;
  info.input_components = grey ? 1 : 3;
  info.in_color_space = grey ? JCS_GRAYSCALE : JCS_EXT_BGR;
  jpeg_set_defaults(&info);  // JFIF header, 4:2:0 for colour
  jpeg_set_quality(&info, settings.quality, TRUE);
  info.optimize_coding = TRUE;
  if (settings.progressive) {
    info.scan_info = grey ? k_grey_scans.data() : k_colour_scans.data();
    info.num_scans =
        grey ? static_cast<int>(k_grey_scans.size()) : static_cast<int>(k_colour_scans.size());
  }
  jpeg_start_compress(&info, TRUE);
  jpeg_write_marker(&info, JPEG_APP0 + 1, k_srgb_exif.data(),
                    static_cast<unsigned int>(k_srgb_exif.size()));
  while (info.next_scanline < info.image_height) {
    // libjpeg's API takes rows as non-const pointers but only reads them.
    auto* row =
        const_cast<JSAMPROW>(image.ptr<unsigned char>(static_cast<int>(info.next_scanline)));
    jpeg_write_scanlines(&info, &row, 1);
  }
  jpeg_finish_compress(&info);
  jpeg_destroy_compress(&info);
  return true;
}

}  // namespace

tl::expected<std::vector<std::byte>, std::string> encode_jpeg(const cv::Mat& image,
                                                              const JpegSettings& settings) {
  if (image.depth() != CV_8U || (image.channels() != 1 && image.channels() != 3) || image.empty()) {
    return tl::unexpected(std::string("only 8-bit BGR or grey images are encoded"));
  }
  JpegErrors errors;
  unsigned char* raw = nullptr;
  unsigned long size = 0;
  const bool done = compress(image, settings, errors, &raw, &size);
  const std::unique_ptr<unsigned char, FreeBuffer> buffer(raw);
  if (!done) {
    return tl::unexpected("libjpeg: " + std::string(errors.message.data()));
  }
  std::vector<std::byte> jpeg(size);
  std::memcpy(jpeg.data(), buffer.get(), size);
  return jpeg;
}

}  // namespace pressroom::thumbs
