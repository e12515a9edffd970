#pragma once

#include <functional>

#include <opencv2/core.hpp>

namespace pressroom::thumbs {

// `source` (8 bits, 1 to 4 interleaved channels) made `size`, which is no larger than the
// source on either axis, with a Lanczos-3 filter widened by the scale factor: every source pixel
// under the output pixel counts, so fine detail averages out instead of aliasing. This is the
// downscale that thumbnail quality is measured against (bench/README.md, "Renditions").
// Vertical pass first, one output row at a time (contiguous rows, which the compiler
// vectorises), then the horizontal pass on that row only; one float row of working memory.
cv::Mat downscale_lanczos3(const cv::Mat& source, cv::Size size);

// Writes the source's next row (row 0 on the first call, then 1, 2, ...) into `row`; false
// stops the downscale.
using RowReader = std::function<bool(unsigned char* row)>;

// The same downscale of a `source_size` image of `type` (CV_8UC1 to CV_8UC4) that `read`
// delivers one row at a time, top down. Only the rows one output row's filter spans are held (a
// few dozen; for a 3000 px wide source about 150 KB), not the whole source: a JPEG decoded into
// it never exists whole in memory. Rows below the last one the filter reaches are not read.
// Returns an empty image when `read` returned false. The result is identical to the whole-image
// overload's.
cv::Mat downscale_lanczos3(cv::Size source_size, int type, cv::Size size, const RowReader& read);

}  // namespace pressroom::thumbs
