#pragma once

// cv::imdecode and cv::imencode, from the codecs module (codecs_module.cpp) loaded on the first
// call, so that loading OpenCV's codecs and their dependencies is paid only by commands that
// decode or encode images. Thread-safe.

#include <string>
#include <vector>

#include <opencv2/core.hpp>
#include <tl/expected.hpp>

namespace pressroom::thumbs {

// The decoded image (empty when the decoder refused the data), or why it failed: OpenCV's
// exception text, or that the module could not be loaded (its path and the loader's reason).
tl::expected<cv::Mat, std::string> imdecode(const cv::Mat& input, int flags);
// The encoded bytes, or why there are none.
tl::expected<std::vector<unsigned char>, std::string> imencode(const char* extension,
                                                               const cv::Mat& image,
                                                               const std::vector<int>& parameters);

}  // namespace pressroom::thumbs
