#pragma once

// A JPEG decoded by libjpeg-turbo one row at a time, so that the rows can go straight into the
// downscale (resample.hpp) and the whole decoded image never has to be held. Private to thumbs
// (render.cpp).

#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace pressroom::thumbs {

// The colour model the rows are decoded to.
enum class JpegOutput {
  bgr,   // 3 bytes a pixel, from YCbCr or RGB
  grey,  // 1 byte, from a greyscale JPEG
  cmyk,  // 4 bytes, from CMYK or YCCK, as stored (Photoshop's are inverted)
};

class JpegReader {
 public:
  // Reads nothing yet; `bytes` must outlive the reader.
  explicit JpegReader(std::span<const std::byte> bytes);
  ~JpegReader();
  JpegReader(const JpegReader&) = delete;
  JpegReader& operator=(const JpegReader&) = delete;
  JpegReader(JpegReader&&) noexcept;
  JpegReader& operator=(JpegReader&&) noexcept;

  // Reads the header up to the first scan. False when it is unreadable (error() says why).
  [[nodiscard]] bool read_header();
  int width() const;  // the stored size, after read_header()
  int height() const;
  bool is_cmyk() const;  // CMYK or YCCK
  bool is_grey() const;

  // Starts decoding at 1/`reduction` of the size (1, 2, 4 or 8: libjpeg-turbo's DCT scaling),
  // to `output`. A progressive JPEG is read whole here: every DCT coefficient of it is kept
  // until the last scan, packed (jpeg_coefficients.hpp) when libjpeg's own store would take more
  // than `compact_from` bytes. False when that fails (error() and truncated() say why).
  [[nodiscard]] bool start(int reduction, JpegOutput output, std::size_t compact_from);
  int output_width() const;  // the reduced size, after start()
  int output_height() const;
  int output_channels() const;

  // Decodes the next row into `row` (output_width() * output_channels() bytes). False on an
  // error; also when the data has ended and the decoder needs more of it (libjpeg would fill
  // the rest with grey). Data that ends where only the EOI marker is missing is a warning.
  [[nodiscard]] bool read_row(unsigned char* row);

  // Why the last call failed: libjpeg's own message ("Bogus marker length", "Premature end of
  // JPEG file", ...).
  std::string error() const;
  // The last failure came after the data had ended: the file is cut short.
  bool truncated() const;
  // Warnings libjpeg decoded around (junk between segments, a corrupt restart interval), at
  // most a few distinct ones.
  const std::vector<std::string>& warnings() const;

 private:
  struct State;
  std::unique_ptr<State> m_state;
};

}  // namespace pressroom::thumbs
