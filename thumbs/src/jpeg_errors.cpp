#include "jpeg_errors.hpp"

#include <algorithm>

// jerror.h: libjpeg's message codes (JWRN_JPEG_EOF, JWRN_HIT_MARKER).
#include <jerror.h>

namespace pressroom::thumbs {
namespace {

constexpr std::size_t k_max_warnings = 3;

JpegErrors& errors_of(j_common_ptr info) {
  return *reinterpret_cast<JpegErrors*>(info->err);  // `base` is JpegErrors' first member
}

[[noreturn]] void on_error(j_common_ptr info) {
  JpegErrors& errors = errors_of(info);
  (*info->err->format_message)(info, errors.message.data());
  std::longjmp(errors.jump, 1);  // NOLINT(cert-err52-cpp): libjpeg's documented recovery
}

// Level -1 is a warning; 0 and up are trace messages, which we do not ask for.
void on_message(j_common_ptr info, int level) {
  if (level >= 0) {
    return;
  }
  JpegErrors& errors = errors_of(info);
  const int code = info->err->msg_code;
  (*info->err->format_message)(info, errors.message.data());
  if (code == JWRN_JPEG_EOF && !errors.data_ended) {
    errors.data_ended = true;
    errors.end_message = errors.message.data();
  }
  errors.ran_short = errors.ran_short || code == JWRN_HIT_MARKER;
  if (errors.data_ended && errors.ran_short) {
    errors.truncated = true;
    std::longjmp(errors.jump, 1);  // NOLINT(cert-err52-cpp)
  }
  std::string warning(errors.message.data());
  if (errors.warnings.size() < k_max_warnings &&
      std::find(errors.warnings.begin(), errors.warnings.end(), warning) == errors.warnings.end()) {
    errors.warnings.push_back(std::move(warning));
  }
}

}  // namespace

jpeg_error_mgr* use_jpeg_errors(JpegErrors& errors) {
  jpeg_error_mgr* manager = jpeg_std_error(&errors.base);
  manager->error_exit = on_error;
  manager->emit_message = on_message;
  return manager;
}

}  // namespace pressroom::thumbs
