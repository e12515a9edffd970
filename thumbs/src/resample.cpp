#include "resample.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstring>
#include <numbers>
#include <stdexcept>
#include <vector>

#include <immintrin.h>

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

// One output row of the vertical pass: acc[i] = sum over k of weights[k] * rows[k][i].
void vertical_generic(const unsigned char* const* rows, const float* weights, int count,
                      std::size_t length, float* acc) {
  std::fill(acc, acc + length, 0.F);
  for (int k = 0; k < count; ++k) {
    const unsigned char* in = rows[k];
    const float weight = weights[k];
    for (std::size_t i = 0; i < length; ++i) {
      acc[i] += weight * static_cast<float>(in[i]);
    }
  }
}

// The same, sixteen samples at a time summed over every tap in registers before they are
// stored: the row of sums (46 KB for a 3840 px row, more than L1 holds) is written once, not
// once per tap. Twice as fast as vertical_generic on a 3840 px row.
__attribute__((target("avx2,fma"))) void vertical_avx2(const unsigned char* const* rows,
                                                       const float* weights, int count,
                                                       std::size_t length, float* acc) {
  std::size_t i = 0;
  // Four independent sums: a tap's multiply-add waits for none of the others' results.
  for (; i + 32 <= length; i += 32) {
    __m256 sum0 = _mm256_setzero_ps();
    __m256 sum1 = _mm256_setzero_ps();
    __m256 sum2 = _mm256_setzero_ps();
    __m256 sum3 = _mm256_setzero_ps();
    for (int k = 0; k < count; ++k) {
      const __m256 weight = _mm256_set1_ps(weights[k]);
      const auto* in = reinterpret_cast<const __m128i*>(rows[k] + i);
      const __m128i first = _mm_loadu_si128(in);
      const __m128i second = _mm_loadu_si128(in + 1);
      sum0 = _mm256_fmadd_ps(weight, _mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(first)), sum0);
      sum1 = _mm256_fmadd_ps(
          weight, _mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(_mm_srli_si128(first, 8))), sum1);
      sum2 = _mm256_fmadd_ps(weight, _mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(second)), sum2);
      sum3 = _mm256_fmadd_ps(
          weight, _mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(_mm_srli_si128(second, 8))), sum3);
    }
    _mm256_storeu_ps(acc + i, sum0);
    _mm256_storeu_ps(acc + i + 8, sum1);
    _mm256_storeu_ps(acc + i + 16, sum2);
    _mm256_storeu_ps(acc + i + 24, sum3);
  }
  for (; i < length; ++i) {
    float sum = 0.F;
    for (int k = 0; k < count; ++k) {
      sum += weights[k] * static_cast<float>(rows[k][i]);
    }
    acc[i] = sum;
  }
}

using VerticalPass = void (*)(const unsigned char* const*, const float*, int, std::size_t, float*);

// Chosen once, on first use, by what the CPU has. A plain check instead of GCC's target_clones:
// an ifunc resolver runs while the dynamic loader relocates, before ThreadSanitizer's runtime
// is up, and the instrumented resolver crashed the sanitizer build at start-up.
VerticalPass vertical_pass() {
  static const VerticalPass chosen = [] {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") ? vertical_avx2
                                                                           : vertical_generic;
  }();
  return chosen;
}

// The source rows a downscale reads, as they arrive from a RowReader: a ring of as many rows as
// one output row's filter spans. The taps' first rows never decrease, so when output row y needs
// rows first..first+count-1, every row before `first` is done with.
class RowWindow {
 public:
  RowWindow(std::size_t row_bytes, int capacity, const RowReader& read)
      : m_storage(row_bytes * static_cast<std::size_t>(capacity)),
        m_row_bytes(row_bytes),
        m_capacity(capacity),
        m_read(read) {}

  // Source row y, reading up to it first; nullptr when the reader failed.
  const unsigned char* row(int y) {
    for (; m_next <= y; ++m_next) {
      if (!m_read(slot(m_next))) {
        return nullptr;
      }
    }
    return slot(y);
  }

 private:
  unsigned char* slot(int y) {
    return m_storage.data() + static_cast<std::size_t>(y % m_capacity) * m_row_bytes;
  }

  std::vector<unsigned char> m_storage;
  std::size_t m_row_bytes;
  int m_capacity;
  const RowReader& m_read;
  int m_next = 0;  // the next row the reader delivers
};

// `source_row(y)` gives source row y (nullptr: stop); returns false when it stopped.
template <int Channels, typename SourceRow>
__attribute__((always_inline)) inline bool downscale(int source_width, SourceRow&& source_row,
                                                     cv::Mat& result, const Taps& vertical,
                                                     const Taps& horizontal) {
  const auto row_length = static_cast<std::size_t>(source_width) * Channels;
  // Three floats of padding: the horizontal pass reads four floats from a pixel's first, which
  // for the last pixel of a one-channel row reaches three past the row (the extra lanes are
  // not used).
  std::vector<float> row(row_length + 3);
  std::vector<const unsigned char*> rows(static_cast<std::size_t>(vertical.stride));
  const VerticalPass pass = vertical_pass();
  for (int y = 0; y < result.rows; ++y) {
    const auto yi = static_cast<std::size_t>(y);
    float* __restrict acc = row.data();
    const float* weights = &vertical.weights[yi * static_cast<std::size_t>(vertical.stride)];
    const int count = vertical.count[yi];
    const int first = vertical.first[yi];
    for (int k = 0; k < count; ++k) {
      const unsigned char* source = source_row(first + k);
      if (source == nullptr) {
        return false;
      }
      rows[static_cast<std::size_t>(k)] = source;
    }
    pass(rows.data(), weights, count, row_length, acc);
    auto* out = result.ptr<unsigned char>(y);
    for (int x = 0; x < result.cols; ++x) {
      const auto xi = static_cast<std::size_t>(x);
      const float* taps = &horizontal.weights[xi * static_cast<std::size_t>(horizontal.stride)];
      const float* in = acc + static_cast<std::size_t>(horizontal.first[xi]) * Channels;
      // Four lanes at once, whatever the channel count (the lanes past it are not used).
      using Lanes = float __attribute__((vector_size(16)));
      // Even and odd taps in two sums, so that each multiply-add waits on only half of them.
      Lanes even{};
      Lanes odd{};
      const int tap_count = horizontal.count[xi];
      int k = 0;
      for (; k + 2 <= tap_count; k += 2) {
        Lanes pixel;
        Lanes next;
        std::memcpy(&pixel, in + static_cast<std::size_t>(k) * Channels, sizeof pixel);
        std::memcpy(&next, in + static_cast<std::size_t>(k + 1) * Channels, sizeof next);
        even += taps[k] * pixel;
        odd += taps[k + 1] * next;
      }
      if (k < tap_count) {
        Lanes pixel;
        std::memcpy(&pixel, in + static_cast<std::size_t>(k) * Channels, sizeof pixel);
        even += taps[k] * pixel;
      }
      const Lanes sums = even + odd;
      for (int c = 0; c < Channels; ++c) {
        out[xi * Channels + c] = cv::saturate_cast<unsigned char>(sums[c]);
      }
    }
  }
  return true;
}

template <typename SourceRow>
bool downscale_channels(int channels, int source_width, SourceRow&& source_row, cv::Mat& result,
                        const Taps& vertical, const Taps& horizontal) {
  switch (channels) {
    case 1:
      return downscale<1>(source_width, source_row, result, vertical, horizontal);
    case 2:
      return downscale<2>(source_width, source_row, result, vertical, horizontal);
    case 3:
      return downscale<3>(source_width, source_row, result, vertical, horizontal);
    default:
      return downscale<4>(source_width, source_row, result, vertical, horizontal);
  }
}

bool is_valid_downscale(int type, cv::Size source_size, cv::Size size) {
  return CV_MAT_DEPTH(type) == CV_8U && CV_MAT_CN(type) >= 1 && CV_MAT_CN(type) <= 4 &&
         size.width >= 1 && size.height >= 1 && size.width <= source_size.width &&
         size.height <= source_size.height;
}

}  // namespace

cv::Mat downscale_lanczos3(const cv::Mat& source, cv::Size size) {
  if (!is_valid_downscale(source.type(), source.size(), size)) {
    throw std::invalid_argument("downscale_lanczos3: an 8-bit image and a smaller size");
  }
  cv::Mat result(size, source.type());
  const Taps vertical = taps_for(source.rows, size.height);
  const Taps horizontal = taps_for(source.cols, size.width);
  downscale_channels(
      source.channels(), source.cols, [&](int y) { return source.ptr<unsigned char>(y); }, result,
      vertical, horizontal);
  return result;
}

cv::Mat downscale_lanczos3(cv::Size source_size, int type, cv::Size size, const RowReader& read) {
  if (!is_valid_downscale(type, source_size, size)) {
    throw std::invalid_argument("downscale_lanczos3: an 8-bit image and a smaller size");
  }
  cv::Mat result(size, type);
  const Taps vertical = taps_for(source_size.height, size.height);
  const Taps horizontal = taps_for(source_size.width, size.width);
  RowWindow window(static_cast<std::size_t>(source_size.width) * CV_MAT_CN(type),
                   *std::max_element(vertical.count.begin(), vertical.count.end()), read);
  if (!downscale_channels(
          CV_MAT_CN(type), source_size.width, [&](int y) { return window.row(y); }, result,
          vertical, horizontal)) {
    return {};
  }
  return result;
}

}  // namespace pressroom::thumbs
