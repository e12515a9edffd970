// The OpenCV image codecs as a module that thumbs loads on first use (codecs.cpp).
// libopencv_imgcodecs brings GDAL, poppler, HDF5 and about 130 more libraries whose loading
// costs 36 MB of memory at every start; commands that never decode or encode an image
// (fetch, release parse, list) should not pay it. Only these two functions cross the module
// boundary; OpenCV's exceptions stay inside it.
#include <cstddef>
#include <cstring>
#include <string>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

namespace {

void copy_message(const std::string& message, char* error, std::size_t error_size) {
  if (error_size > 0) {
    const std::size_t length = std::min(message.size(), error_size - 1);
    std::memcpy(error, message.data(), length);
    error[length] = '\0';
  }
}

}  // namespace

extern "C" {

// cv::imdecode(*input, flags) into *output: 0 when it ran (an empty *output means the decoder
// refused the data), 1 when OpenCV threw (the reason in `error`).
__attribute__((visibility("default"))) int pressroom_codecs_decode(const cv::Mat* input, int flags,
                                                                   cv::Mat* output, char* error,
                                                                   std::size_t error_size) {
  try {
    *output = cv::imdecode(*input, flags);
    return 0;
  } catch (const cv::Exception& exception) {
    copy_message(exception.msg, error, error_size);
    return 1;
  }
}

// cv::imencode(extension, *image, *output, parameters): 0 when encoded, 1 when not (the reason
// in `error`).
__attribute__((visibility("default"))) int pressroom_codecs_encode(
    const char* extension, const cv::Mat* image, const std::vector<int>* parameters,
    std::vector<unsigned char>* output, char* error, std::size_t error_size) {
  try {
    if (cv::imencode(extension, *image, *output, *parameters)) {
      return 0;
    }
    copy_message("the encoder refused the image", error, error_size);
  } catch (const cv::Exception& exception) {
    copy_message(exception.msg, error, error_size);
  }
  return 1;
}

}  // extern "C"
