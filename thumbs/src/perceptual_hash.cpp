#include "thumbs/perceptual_hash.hpp"

#include <algorithm>
#include <array>
#include <limits>
#include <numeric>

#include <opencv2/imgproc.hpp>

#include "image_hash.hpp"
#include "jpeg_decode.hpp"

namespace pressroom::thumbs {
namespace {

constexpr int k_side = 32;  // the DCT's size, as in pHash and OpenCV's img_hash
constexpr int k_bits = 64;

struct Position {
  int row;
  int column;
};

// The first 64 AC positions of the zig-zag scan (JPEG's order): the lowest spatial frequencies,
// all diagonals u + v = 1..10 but the last position of the tenth. The DC term is left out: it is
// the mean brightness, which a brightness change moves and which says nothing of the picture's
// layout. OpenCV's img_hash keeps it in an 8x8 block and thresholds at the block's mean, which
// the DC term dominates, so its DC bit is always 1 and its other bits lean to 0; the median of
// AC terms alone gives 32 ones, as much information per bit as a bit can carry.
constexpr std::array<Position, k_bits> zigzag_positions() {
  std::array<Position, k_bits> positions{};
  int count = 0;
  for (int diagonal = 1; count < k_bits; ++diagonal) {
    for (int step = 0; step <= diagonal && count < k_bits; ++step) {
      // Alternate direction per diagonal, as JPEG does; any fixed order would do.
      const int row = diagonal % 2 == 0 ? diagonal - step : step;
      if (row < k_side && diagonal - row < k_side) {
        positions[static_cast<std::size_t>(count++)] = {row, diagonal - row};
      }
    }
  }
  return positions;
}
constexpr std::array<Position, k_bits> k_positions = zigzag_positions();

// The root of i's set; each set's root is its smallest index.
std::size_t root_of(std::vector<std::size_t>& parent, std::size_t i) {
  while (parent[i] != i) {
    parent[i] = parent[parent[i]];  // path halving
    i = parent[i];
  }
  return i;
}

// Joins the sets of every pair (i < j) within `max_distance` bits, comparing all of them:
// n^2 / 2 popcounts, nothing held per pair.
__attribute__((always_inline)) inline void join_pairs(std::span<const std::uint64_t> hashes,
                                                      int max_distance,
                                                      std::vector<std::size_t>& parent) {
  for (std::size_t i = 0; i < hashes.size(); ++i) {
    const std::uint64_t hash = hashes[i];
    for (std::size_t j = i + 1; j < hashes.size(); ++j) {
      if (std::popcount(hash ^ hashes[j]) <= max_distance) {
        const std::size_t a = root_of(parent, i);
        const std::size_t b = root_of(parent, j);
        if (a != b) {
          parent[std::max(a, b)] = std::min(a, b);
        }
      }
    }
  }
}

// The same compiled for the popcnt instruction, which makes a comparison a few instructions
// (x86-64's baseline has none; bench/README.md has the times).
__attribute__((target("popcnt"))) void join_pairs_popcnt(std::span<const std::uint64_t> hashes,
                                                         int max_distance,
                                                         std::vector<std::size_t>& parent) {
  join_pairs(hashes, max_distance, parent);
}

void join_pairs_generic(std::span<const std::uint64_t> hashes, int max_distance,
                        std::vector<std::size_t>& parent) {
  join_pairs(hashes, max_distance, parent);
}

// Chosen by a plain CPU check rather than GCC's target_clones: an ifunc resolver runs while the
// dynamic loader relocates, before ThreadSanitizer's runtime is up, and crashed the sanitizer
// build at start-up.
void join_close_pairs(std::span<const std::uint64_t> hashes, int max_distance,
                      std::vector<std::size_t>& parent) {
  static const bool has_popcnt = [] {
    __builtin_cpu_init();
    return static_cast<bool>(__builtin_cpu_supports("popcnt"));
  }();
  if (has_popcnt) {
    join_pairs_popcnt(hashes, max_distance, parent);
  } else {
    join_pairs_generic(hashes, max_distance, parent);
  }
}

}  // namespace

std::uint64_t perceptual_hash(const cv::Mat& image) {
  cv::Mat grey;
  if (image.channels() == 3) {
    cv::cvtColor(image, grey, cv::COLOR_BGR2GRAY);
  } else {
    grey = image;
  }
  cv::Mat small;
  // INTER_AREA averages every source pixel into the 32x32 grid: no aliasing from the
  // photo's fine texture, which a crop or re-encode would shift.
  cv::resize(grey, small, cv::Size(k_side, k_side), 0, 0, cv::INTER_AREA);
  cv::Mat values;
  small.convertTo(values, CV_32F);
  cv::Mat frequencies;
  cv::dct(values, frequencies);
  std::array<float, k_bits> coefficients{};
  std::transform(k_positions.begin(), k_positions.end(), coefficients.begin(),
                 [&](Position at) { return frequencies.at<float>(at.row, at.column); });
  // The median of 64 values: halfway between the 32nd and the 33rd, so that 32 are above it.
  std::array<float, k_bits> sorted = coefficients;
  auto* const middle = sorted.begin() + k_bits / 2;
  std::nth_element(sorted.begin(), middle, sorted.end());
  const float median = (*std::max_element(sorted.begin(), middle) + *middle) / 2;
  std::uint64_t hash = 0;
  for (const float coefficient : coefficients) {
    hash = (hash << 1U) | (coefficient > median ? 1U : 0U);
  }
  return hash;
}

Result<std::uint64_t> perceptual_hash_of_jpeg(std::span<const std::byte> jpeg,
                                              const std::string& subject) {
  JpegReader reader(jpeg);
  // The grey plane is the JPEG's luma, the same BT.601 weights cvtColor uses for render()'s hash.
  bool complete = reader.read_header() &&
                  reader.start(1, JpegOutput::grey, std::numeric_limits<std::size_t>::max());
  cv::Mat grey;
  if (complete) {
    grey.create(reader.output_height(), reader.output_width(), CV_8UC1);
    for (int y = 0; y < grey.rows && complete; ++y) {
      complete = reader.read_row(grey.ptr<unsigned char>(y));
    }
  }
  if (!complete) {
    return fail(Errc::corrupt_data, subject, "cannot decode JPEG: " + reader.error());
  }
  try {
    return perceptual_hash(grey);
  } catch (const cv::Exception& error) {
    return fail(Errc::corrupt_data, subject, "cannot hash the image: " + error.msg);
  }
}

std::vector<std::vector<std::size_t>> near_duplicate_groups(std::span<const std::uint64_t> hashes,
                                                            int max_distance) {
  // Union-find: each group's root is its first member.
  std::vector<std::size_t> parent(hashes.size());
  std::iota(parent.begin(), parent.end(), std::size_t{0});
  join_close_pairs(hashes, max_distance, parent);
  std::vector<std::vector<std::size_t>> by_root(hashes.size());
  for (std::size_t i = 0; i < hashes.size(); ++i) {
    by_root[root_of(parent, i)].push_back(i);
  }
  std::vector<std::vector<std::size_t>> groups;
  for (auto& members : by_root) {
    if (members.size() >= 2) {
      groups.push_back(std::move(members));
    }
  }
  return groups;
}

}  // namespace pressroom::thumbs
