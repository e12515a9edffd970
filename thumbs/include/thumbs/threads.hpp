#pragma once

namespace pressroom::thumbs {

// Turns off the thread pool OpenCV keeps for its own parallel loops (colour conversion,
// resizing, decoding), for the whole process. A batch renders one photo per worker thread on
// every core; OpenCV fanning each of those renders out over every core again would run
// cores × cores threads and make the batch slower, not faster. render() gives the same result
// either way. Call before the workers start; calling again does nothing. Thread-safe.
void disable_opencv_threads();

}  // namespace pressroom::thumbs
