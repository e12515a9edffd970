#pragma once

#include <opencv2/core.hpp>

namespace pressroom::thumbs {

// `source` (8 bits, 1 to 4 interleaved channels) made `size`, which is no larger than the
// source on either axis, with a Lanczos-3 filter widened by the scale factor: every source pixel
// under the output pixel counts, so fine detail averages out instead of aliasing. This is the
// downscale that thumbnail quality is measured against (bench/README.md, "Renditions").
// Vertical pass first, one output row at a time (contiguous rows, which the compiler
// vectorises), then the horizontal pass on that row only; one float row of working memory.
cv::Mat downscale_lanczos3(const cv::Mat& source, cv::Size size);

}  // namespace pressroom::thumbs
