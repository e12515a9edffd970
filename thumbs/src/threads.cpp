#include "thumbs/threads.hpp"

#include <mutex>

#include <opencv2/core/utility.hpp>

namespace pressroom::thumbs {

void disable_opencv_threads() {
  static std::once_flag once;
  // 1, not 0: both make parallel_for_ run its body on the calling thread, but Debian's OpenCV
  // 4.6 is built on TBB, where 0 also drops OpenCV's task arena and leaves TBB's default, all
  // cores (cv::getNumThreads() then says 2 here); 1 says what it does.
  std::call_once(once, [] { cv::setNumThreads(1); });
}

}  // namespace pressroom::thumbs
