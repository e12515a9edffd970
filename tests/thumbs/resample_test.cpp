// The Lanczos-3 downscale, against vips' own Lanczos-3 (an independent implementation, the
// reference the renditions benchmark scores every tool against) and against what a filter must
// do: keep a flat colour exactly and average away detail finer than the output's pixels.
#include "resample.hpp"

#include <cstring>

#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "test_support.hpp"

namespace pressroom::thumbs {
namespace {

TEST(DownscaleLanczos3, KeepsAFlatColourExactly) {
  const cv::Mat flat(301, 457, CV_8UC3, cv::Scalar(12, 200, 97));
  const cv::Mat small = downscale_lanczos3(flat, {64, 42});
  ASSERT_EQ(small.size(), cv::Size(64, 42));
  EXPECT_EQ(cv::norm(small, cv::Mat(small.size(), CV_8UC3, cv::Scalar(12, 200, 97)), cv::NORM_INF),
            0);
}

TEST(DownscaleLanczos3, AveragesAwayDetailFinerThanItsPixels) {
  // One-pixel black and white stripes, a third the size: every output pixel is mid grey. Each
  // output pixel's centre falls on a source pixel, so a kernel not widened by the scale would
  // keep stripes of black and white.
  cv::Mat stripes(402, 402, CV_8UC1);
  for (int x = 0; x < stripes.cols; ++x) {
    stripes.col(x).setTo(x % 2 == 0 ? 0 : 255);
  }
  const cv::Mat small = downscale_lanczos3(stripes, {134, 134});
  double low = 0;
  double high = 0;
  // Inside: at the two outermost columns the kernel is cut by the image's edge.
  cv::minMaxLoc(small(cv::Rect(2, 0, 130, 134)), &low, &high);
  EXPECT_GE(low, 125.0);
  EXPECT_LE(high, 130.0);
}

TEST(DownscaleLanczos3, MatchesVipsLanczos3OnARealPhotograph) {
  const testing::TempDir dir;
  const auto photo = testing::fixture("large.jpg");  // 4352x2448
  const auto reference = dir / "vips.png";
  // The same 1280x720: pure Lanczos-3 (no box pre-shrink) in vips.
  const auto made = testing::run_process({"/usr/bin/vips", "resize", photo.string(),
                                          reference.string(), "0.2941176470588", "--vscale",
                                          "0.2941176470588", "--kernel", "lanczos3", "--gap", "0"});
  ASSERT_EQ(made.exit_code, 0) << made.err;
  const cv::Mat expected = cv::imread(reference.string(), cv::IMREAD_COLOR);
  ASSERT_EQ(expected.size(), cv::Size(1280, 720));
  const cv::Mat ours = downscale_lanczos3(testing::load_image(photo), {1280, 720});
  EXPECT_LT(testing::mean_abs_difference(ours, expected), 1.0);
  cv::Mat area;
  cv::resize(testing::load_image(photo), area, {1280, 720}, 0, 0, cv::INTER_AREA);
  // Closer to vips than OpenCV's area averaging is: the test can tell the filters apart.
  EXPECT_LT(testing::mean_abs_difference(ours, expected),
            testing::mean_abs_difference(area, expected));
}

// The row-by-row overload, which a JPEG decodes into, must give the whole-image overload's
// pixels exactly while holding only the filter's rows.
TEST(DownscaleLanczos3, RowByRowGivesTheSamePixelsAsTheWholeImage) {
  const cv::Mat photo = testing::load_image(testing::fixture("large.jpg"));  // 4352x2448
  for (const cv::Size size : {cv::Size(1280, 720), cv::Size(256, 144), cv::Size(4352, 2447)}) {
    int next = 0;
    const cv::Mat streamed =
        downscale_lanczos3(photo.size(), photo.type(), size, [&](unsigned char* row) {
          std::memcpy(row, photo.ptr(next), photo.cols * 3UL);
          ++next;
          return true;
        });
    ASSERT_EQ(streamed.size(), size);
    EXPECT_EQ(cv::norm(streamed, downscale_lanczos3(photo, size), cv::NORM_INF), 0) << size;
    // Rows are read once each, in order, and none past the last row the filter reaches.
    EXPECT_LE(next, photo.rows);
    EXPECT_GE(next, photo.rows - 3);
  }
}

TEST(DownscaleLanczos3, RowByRowStopsWhenTheReaderFails) {
  int calls = 0;
  const cv::Mat result = downscale_lanczos3({400, 300}, CV_8UC3, {40, 30}, [&](unsigned char* row) {
    std::memset(row, 100, 400UL * 3);
    return ++calls < 150;  // the source "ends" halfway
  });
  EXPECT_TRUE(result.empty());
  EXPECT_EQ(calls, 150);  // and is not asked again after it failed
}

TEST(DownscaleLanczos3, RefusesToEnlarge) {
  const cv::Mat image(10, 10, CV_8UC3, cv::Scalar::all(0));
  EXPECT_THROW(downscale_lanczos3(image, {11, 10}), std::invalid_argument);
}

}  // namespace
}  // namespace pressroom::thumbs
