#include "thumbs/threads.hpp"

#include <gtest/gtest.h>
#include <opencv2/core/utility.hpp>

namespace pressroom::thumbs {
namespace {

TEST(Threads, DisableOpenCvThreadsLeavesOpenCvOneThread) {
  disable_opencv_threads();
  EXPECT_EQ(cv::getNumThreads(), 1);
  disable_opencv_threads();  // again: nothing changes
  EXPECT_EQ(cv::getNumThreads(), 1);
}

}  // namespace
}  // namespace pressroom::thumbs
