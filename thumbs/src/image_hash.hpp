#pragma once

#include <cstdint>

#include <opencv2/core.hpp>

namespace pressroom::thumbs {

// perceptual_hash.hpp's hash of an 8-bit BGR (or single-channel grey) image as it is, no
// orientation applied. Best from an image already small (a rendition): the 32x32 area average
// then reads few pixels. Throws cv::Exception only on an empty image.
std::uint64_t perceptual_hash(const cv::Mat& image);

}  // namespace pressroom::thumbs
