#pragma once

// libjpeg's error handling, shared by thumbs' encoder (encode.cpp) and decoder
// (jpeg_decode.cpp). libjpeg reports a fatal error by calling error_exit, which must not
// return: ours formats the message and longjmps to `jump`. Every function that calls libjpeg
// sets `jump` with setjmp itself and holds no object with a destructor, so the jump skips only
// libjpeg's C frames.

#include <array>
#include <csetjmp>
#include <cstdio>
#include <string>
#include <vector>

// jpeglib.h needs FILE and size_t declared before it.
#include <jpeglib.h>

namespace pressroom::thumbs {

struct JpegErrors {
  jpeg_error_mgr base{};  // first: libjpeg's `err` pointer is cast back to JpegErrors
  std::jmp_buf jump{};
  std::array<char, JMSG_LENGTH_MAX> message{};  // the fatal error, formatted
  // Distinct warnings (corrupt data that libjpeg decoded around), at most a few.
  std::vector<std::string> warnings;
  // The data ended (JWRN_JPEG_EOF): libjpeg then acts as if an EOI marker followed. That alone
  // is harmless when only the EOI itself is missing, as in files cut two bytes short.
  bool data_ended = false;
  std::string end_message;  // libjpeg's words for it ("Premature end of JPEG file")
  // The entropy decoder needed bits that were not there (JWRN_HIT_MARKER, "premature end of
  // data segment") and made them zeros.
  bool ran_short = false;
  // Both: the data ended and the decoder was short of it, before or after. Part of the picture
  // is missing, which libjpeg would fill with grey; we stop there, as for an error.
  bool truncated = false;
};

// Sets `errors` up as `info.err`'s error manager.
jpeg_error_mgr* use_jpeg_errors(JpegErrors& errors);

}  // namespace pressroom::thumbs
