// Near-duplicate hashing (issue 7). bench/run-phash measures the distances between real photos
// and their near-duplicate copies; bench/README.md ("Near-duplicates") has the figures.
//
//   pressroom_phash_bench hash FILE...
//     Hashes every FILE as the importer does (EXIF orientation read, thumbs::render with the
//     256 px thumbnail) and prints "<hash>\t<thumbnail hash>\t<img_hash>\t<file>" per file:
//     render()'s hash, perceptual_hash_of_jpeg() of the encoded thumbnail (what `duplicates`
//     computes for photos imported before hashes were stored), and OpenCV img_hash's PHash
//     recomputed over cv::dct from the same thumbnail (grey, 32x32 INTER_LINEAR_EXACT, DCT,
//     8x8 low block incl. DC, > its mean) for comparison. "-" for a file that fails.
//
//   pressroom_phash_bench group N MAX_DISTANCE
//     Times thumbs::near_duplicate_groups over N random hashes (a fixed seed), best of 3.
//
// Exit code 0, also when some files fail; 2 for bad arguments.
#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <iostream>
#include <limits>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "core/embedded_metadata.hpp"
#include "core/file_io.hpp"
#include "core/image_type.hpp"
#include "core/text.hpp"
#include "thumbs/perceptual_hash.hpp"
#include "thumbs/render.hpp"

namespace {

constexpr std::uint64_t k_max_file_bytes = std::uint64_t{2} << 30U;

// OpenCV contrib's img_hash::PHash (4.6, phash.cpp) on the decoded thumbnail.
std::uint64_t img_hash_phash(const std::vector<std::byte>& jpeg) {
  const cv::Mat input(1, static_cast<int>(jpeg.size()), CV_8UC1,
                      const_cast<std::byte*>(jpeg.data()));  // NOLINT: imdecode only reads
  const cv::Mat image = cv::imdecode(input, cv::IMREAD_GRAYSCALE);
  cv::Mat small;
  cv::resize(image, small, cv::Size(32, 32), 0, 0, cv::INTER_LINEAR_EXACT);
  cv::Mat values;
  small.convertTo(values, CV_32F);
  cv::Mat frequencies;
  cv::dct(values, frequencies);
  const cv::Mat block = frequencies(cv::Rect(0, 0, 8, 8));
  const double mean = cv::mean(block)[0];
  std::uint64_t hash = 0;
  for (int row = 0; row < 8; ++row) {
    for (int column = 0; column < 8; ++column) {
      hash = (hash << 1U) | (block.at<float>(row, column) > mean ? 1U : 0U);
    }
  }
  return hash;
}

int hash_files(const std::vector<std::string_view>& files) {
  pressroom::initialize_metadata();
  pressroom::thumbs::initialize_logging();
  for (const std::string_view name : files) {
    const std::string file(name);
    const auto bytes = pressroom::read_file(file, k_max_file_bytes);
    const auto type = bytes ? pressroom::sniff_image_type(*bytes) : std::nullopt;
    if (!bytes || !type) {
      std::cout << "-\t-\t-\t" << file << '\n';
      continue;
    }
    const auto metadata = pressroom::read_embedded_metadata(*bytes, file);
    const int orientation = metadata ? metadata->orientation : 1;
    pressroom::thumbs::RenderOptions options;
    options.long_edges = {256};
    const auto rendered = pressroom::thumbs::render(*bytes, *type, orientation, file, options);
    if (!rendered) {
      std::cout << "-\t-\t-\t" << file << '\n';
      continue;
    }
    const auto& thumbnail = rendered->renditions.front().jpeg;
    const auto from_thumbnail = pressroom::thumbs::perceptual_hash_of_jpeg(thumbnail, file);
    std::cout << pressroom::to_hex16(rendered->perceptual_hash) << '\t'
              << (from_thumbnail ? pressroom::to_hex16(*from_thumbnail) : "-") << '\t'
              << pressroom::to_hex16(img_hash_phash(thumbnail)) << '\t' << file << '\n';
  }
  return 0;
}

int time_grouping(std::string_view count_text, std::string_view distance_text) {
  std::size_t count = 0;
  int distance = 0;
  if (std::from_chars(count_text.data(), count_text.data() + count_text.size(), count).ec !=
          std::errc{} ||
      std::from_chars(distance_text.data(), distance_text.data() + distance_text.size(), distance)
              .ec != std::errc{}) {
    return 2;
  }
  std::mt19937_64 generator(20261128);
  std::vector<std::uint64_t> hashes(count);
  for (auto& hash : hashes) {
    hash = generator();
  }
  double best = std::numeric_limits<double>::max();
  std::size_t groups = 0;
  for (int round = 0; round < 3; ++round) {
    const auto start = std::chrono::steady_clock::now();
    groups = pressroom::thumbs::near_duplicate_groups(hashes, distance).size();
    const std::chrono::duration<double> seconds = std::chrono::steady_clock::now() - start;
    best = std::min(best, seconds.count());
  }
  std::cout << "hashes=" << count << " max_distance=" << distance << " groups=" << groups
            << " pairs=" << count * (count - 1) / 2 << " seconds=" << best << '\n';
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string_view> args(argv + 1, argv + argc);
  if (args.size() >= 2 && args[0] == "hash") {
    return hash_files({args.begin() + 1, args.end()});
  }
  if (args.size() == 3 && args[0] == "group") {
    return time_grouping(args[1], args[2]);
  }
  std::cerr << "usage: pressroom_phash_bench hash FILE... | group N MAX_DISTANCE\n";
  return 2;
}
