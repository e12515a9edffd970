#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/error.hpp"

namespace pressroom::thumbs {

// A 64-bit perceptual hash of what a photo shows, upright: the luma at 32x32 (an area average),
// its 2-D DCT, and one bit for each of the 64 lowest-frequency AC coefficients (zig-zag order,
// DC left out) that is above their median. Near-identical pictures (a crop of a few percent, a
// re-encode, a resize, a small brightness change) differ in few bits, unrelated ones in about
// half (bench/README.md, "Near-duplicates", has the measured distances). render() computes it
// for every photo it renders (RenderResult::perceptual_hash). Written over cv::dct rather than
// taken from OpenCV contrib's img_hash: Debian's libopencv-contrib-dev pulls in highgui, viz,
// dnn and more, and img_hash's PHash (DC term kept, mean threshold) let unrelated photographs
// come within 3 bits of each other where this hash keeps them 20 or more apart (bench/README.md).

// The hash of a JPEG's pixels as they are stored (no EXIF orientation is applied: pass an
// upright image, such as a stored rendition, to compare it with render()'s hashes).
// `subject` names the input in errors. Errors: corrupt_data (not a decodable JPEG). Thread-safe.
Result<std::uint64_t> perceptual_hash_of_jpeg(std::span<const std::byte> jpeg,
                                              const std::string& subject);

// How many of the 64 bits differ: 0 for the same picture, about 32 for unrelated ones.
constexpr int hash_distance(std::uint64_t a, std::uint64_t b) {
  return std::popcount(a ^ b);
}

// As text (--json, the catalog): core/text.hpp's to_hex16() and from_hex16().

// Near-duplicate groups: hashes i and j are in one group when a chain of hashes, each within
// `max_distance` bits of the next, links them (single-linkage, so a series of shots that drifts
// a little from frame to frame stays one group). Returns the groups of two or more, each as
// indexes into `hashes` in increasing order, the groups ordered by their first index; hashes in
// no group are left out. Compares every pair: O(n^2) popcounts (20,000 hashes: bench/README.md).
std::vector<std::vector<std::size_t>> near_duplicate_groups(std::span<const std::uint64_t> hashes,
                                                            int max_distance);

}  // namespace pressroom::thumbs
