#include "resample.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstring>
#include <numbers>
#include <stdexcept>
#include <vector>

namespace pressroom::thumbs {
namespace {

constexpr double k_lobes = 3.0;

double lanczos3(double x) {
  if (x == 0.0) {
    return 1.0;
  }
  if (std::abs(x) >= k_lobes) {
    return 0.0;
  }
  const double px = std::numbers::pi * x;
  return k_lobes * std::sin(px) * std::sin(px / k_lobes) / (px * px);
}

// For each output position along one axis: the first source position it reads and its
// weights (summing to 1), `stride` floats apart.
struct Taps {
  std::vector<int> first;
  std::vector<int> count;
  std::vector<float> weights;
  int stride = 0;
};

Taps taps_for(int in, int out) {
  const double scale = static_cast<double>(in) / out;  // >= 1: a downscale
  const double support = k_lobes * scale;
  Taps taps;
  taps.stride = static_cast<int>(std::ceil(support)) * 2 + 1;
  taps.first.resize(static_cast<std::size_t>(out));
  taps.count.resize(static_cast<std::size_t>(out));
  taps.weights.assign(static_cast<std::size_t>(out) * static_cast<std::size_t>(taps.stride), 0.F);
  std::vector<double> weights;
  for (int o = 0; o < out; ++o) {
    // Pixel centres: output pixel o covers source [o * scale, (o + 1) * scale).
    const double centre = (o + 0.5) * scale - 0.5;
    const int first = std::max(0, static_cast<int>(std::ceil(centre - support)));
    const int last = std::min(in - 1, static_cast<int>(std::floor(centre + support)));
    weights.clear();
    double sum = 0;
    for (int i = first; i <= last; ++i) {
      weights.push_back(lanczos3((i - centre) / scale));
      sum += weights.back();
    }
    const auto index = static_cast<std::size_t>(o);
    taps.first[index] = first;
    taps.count[index] = static_cast<int>(weights.size());
    for (std::size_t k = 0; k < weights.size(); ++k) {
      taps.weights[index * static_cast<std::size_t>(taps.stride) + k] =
          static_cast<float>(weights[k] / sum);
    }
  }
  return taps;
}

template <int Channels>
__attribute__((always_inline)) inline void downscale(const cv::Mat& source, cv::Mat& result,
                                                     const Taps& vertical, const Taps& horizontal) {
  const auto row_length = static_cast<std::size_t>(source.cols) * Channels;
  // One float of padding: the horizontal pass reads the four floats from a pixel's first.
  std::vector<float> row(row_length + 1);
  for (int y = 0; y < result.rows; ++y) {
    const auto yi = static_cast<std::size_t>(y);
    float* __restrict acc = row.data();
    std::fill(row.begin(), row.begin() + static_cast<std::ptrdiff_t>(row_length), 0.F);
    const float* weights = &vertical.weights[yi * static_cast<std::size_t>(vertical.stride)];
    for (int k = 0; k < vertical.count[yi]; ++k) {
      const auto* __restrict in = source.ptr<unsigned char>(vertical.first[yi] + k);
      const float weight = weights[k];
      for (std::size_t i = 0; i < row_length; ++i) {
        acc[i] += weight * static_cast<float>(in[i]);
      }
    }
    auto* out = result.ptr<unsigned char>(y);
    for (int x = 0; x < result.cols; ++x) {
      const auto xi = static_cast<std::size_t>(x);
      const float* taps = &horizontal.weights[xi * static_cast<std::size_t>(horizontal.stride)];
      const float* in = acc + static_cast<std::size_t>(horizontal.first[xi]) * Channels;
      // Four lanes at once, whatever the channel count (the lanes past it are not used).
      using Lanes = float __attribute__((vector_size(16)));
      Lanes sums{};
      for (int k = 0; k < horizontal.count[xi]; ++k) {
        Lanes pixel;
        std::memcpy(&pixel, in + static_cast<std::size_t>(k) * Channels, sizeof pixel);
        sums += taps[k] * pixel;
      }
      for (int c = 0; c < Channels; ++c) {
        out[xi * Channels + c] = cv::saturate_cast<unsigned char>(sums[c]);
      }
    }
  }
}

}  // namespace

__attribute__((target_clones("avx2", "default"))) cv::Mat downscale_lanczos3(const cv::Mat& source,
                                                                             cv::Size size) {
  if (source.depth() != CV_8U || source.channels() < 1 || source.channels() > 4 || size.width < 1 ||
      size.height < 1 || size.width > source.cols || size.height > source.rows) {
    throw std::invalid_argument("downscale_lanczos3: an 8-bit image and a smaller size");
  }
  cv::Mat result(size, source.type());
  const Taps vertical = taps_for(source.rows, size.height);
  const Taps horizontal = taps_for(source.cols, size.width);
  switch (source.channels()) {
    case 1:
      downscale<1>(source, result, vertical, horizontal);
      break;
    case 2:
      downscale<2>(source, result, vertical, horizontal);
      break;
    case 3:
      downscale<3>(source, result, vertical, horizontal);
      break;
    default:
      downscale<4>(source, result, vertical, horizontal);
      break;
  }
  return result;
}

}  // namespace pressroom::thumbs
