#include "jpeg_decode.hpp"

#include <csetjmp>

#include "jpeg_errors.hpp"

namespace pressroom::thumbs {

// Not movable once libjpeg has it: `info.err` points into `errors`, so the reader owns it by
// pointer.
struct JpegReader::State {
  jpeg_decompress_struct info{};
  JpegErrors errors;
  std::span<const std::byte> bytes;
  bool created = false;  // jpeg_create_decompress can fail (out of memory)

  explicit State(std::span<const std::byte> input) : bytes(input) {
    info.err = use_jpeg_errors(errors);
    if (setjmp(errors.jump) != 0) {  // NOLINT(cert-err52-cpp): jpeg_errors.hpp
      return;
    }
    jpeg_create_decompress(&info);
    created = true;
  }
  ~State() {
    if (created) {
      jpeg_destroy_decompress(&info);
    }
  }
  State(const State&) = delete;
  State& operator=(const State&) = delete;
  State(State&&) = delete;
  State& operator=(State&&) = delete;
};

JpegReader::JpegReader(std::span<const std::byte> bytes)
    : m_state(std::make_unique<State>(bytes)) {}
JpegReader::~JpegReader() = default;
JpegReader::JpegReader(JpegReader&&) noexcept = default;
JpegReader& JpegReader::operator=(JpegReader&&) noexcept = default;

// Each libjpeg call below runs in a function that sets the error jump itself and holds nothing
// with a destructor (jpeg_errors.hpp).

bool JpegReader::read_header() {
  if (!m_state->created) {
    return false;  // with the message of jpeg_create_decompress's failure
  }
  jpeg_decompress_struct& info = m_state->info;
  if (setjmp(m_state->errors.jump) != 0) {  // NOLINT(cert-err52-cpp)
    return false;
  }
  jpeg_mem_src(&info, reinterpret_cast<const unsigned char*>(m_state->bytes.data()),
               static_cast<unsigned long>(m_state->bytes.size()));
  jpeg_read_header(&info, TRUE);
  return true;
}

int JpegReader::width() const {
  return static_cast<int>(m_state->info.image_width);
}
int JpegReader::height() const {
  return static_cast<int>(m_state->info.image_height);
}
bool JpegReader::is_cmyk() const {
  return m_state->info.jpeg_color_space == JCS_CMYK || m_state->info.jpeg_color_space == JCS_YCCK;
}
bool JpegReader::is_grey() const {
  return m_state->info.jpeg_color_space == JCS_GRAYSCALE;
}

bool JpegReader::start(int reduction, JpegOutput output) {
  jpeg_decompress_struct& info = m_state->info;
  if (setjmp(m_state->errors.jump) != 0) {  // NOLINT(cert-err52-cpp)
    return false;
  }
  // libjpeg's defaults are TurboJPEG's: the accurate integer DCT and smooth chroma upsampling.
  info.scale_num = 1;
  info.scale_denom = static_cast<unsigned int>(reduction);
  switch (output) {
    case JpegOutput::bgr:
      info.out_color_space = JCS_EXT_BGR;
      break;
    case JpegOutput::grey:
      info.out_color_space = JCS_GRAYSCALE;
      break;
    case JpegOutput::cmyk:
      info.out_color_space = JCS_CMYK;
      break;
  }
  jpeg_start_decompress(&info);
  // A progressive JPEG is read whole by now. If its data ended between two scans, the scans
  // after are missing: some coefficients are not known to their last bit (coef_bits is the bit
  // each is known down to, -1 for none yet). Otherwise only the EOI was.
  if (m_state->errors.data_ended && info.progressive_mode != 0 && info.coef_bits != nullptr) {
    for (int component = 0; component < info.num_components; ++component) {
      for (int k = 0; k < DCTSIZE2; ++k) {
        if (info.coef_bits[component][k] != 0) {
          m_state->errors.truncated = true;
          return false;
        }
      }
    }
  }
  return true;
}

int JpegReader::output_width() const {
  return static_cast<int>(m_state->info.output_width);
}
int JpegReader::output_height() const {
  return static_cast<int>(m_state->info.output_height);
}
int JpegReader::output_channels() const {
  return m_state->info.output_components;
}

bool JpegReader::read_row(unsigned char* row) {
  jpeg_decompress_struct& info = m_state->info;
  if (setjmp(m_state->errors.jump) != 0) {  // NOLINT(cert-err52-cpp)
    return false;
  }
  JSAMPROW rows = row;
  // The memory source never suspends: every call delivers its row.
  return jpeg_read_scanlines(&info, &rows, 1) == 1;
}

// After the data ended, whatever failed failed for that.
std::string JpegReader::error() const {
  return truncated() ? m_state->errors.end_message : std::string(m_state->errors.message.data());
}
bool JpegReader::truncated() const {
  return m_state->errors.truncated || m_state->errors.data_ended;
}
const std::vector<std::string>& JpegReader::warnings() const {
  return m_state->errors.warnings;
}

}  // namespace pressroom::thumbs
