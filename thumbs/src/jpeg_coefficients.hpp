#pragma once

// A compact store for the DCT coefficients of a progressive JPEG. libjpeg keeps every
// coefficient of such an image from the first scan to the last (64 two-byte values per 8x8
// block and component: 96 MB for a 24 MP 4:2:2 photo, 144 MB at 4:4:4), although most are zero
// and the file holds them in a few MB. This store takes over libjpeg's block arrays through
// its memory manager's methods (jpeglib.h, struct jpeg_memory_mgr) and keeps each row of blocks
// packed: a 64-bit mask of the non-zero coefficients, then those values. Only the rows libjpeg
// is working on are unpacked, in a window of the size it asked for. Lossless: the decode is
// the same to the bit. Private to thumbs (jpeg_decode.cpp).

#include <cstddef>
#include <memory>
#include <vector>

#include "jpeg_errors.hpp"

namespace pressroom::thumbs {

class CompactCoefficients {
 public:
  // Takes over the block arrays `info` requests from now on: install after jpeg_read_header(),
  // before jpeg_start_decompress(), and destroy the decompressor (jpeg_destroy_decompress)
  // before the store. Uses `info.client_data`.
  explicit CompactCoefficients(jpeg_decompress_struct& info);
  ~CompactCoefficients();
  CompactCoefficients(const CompactCoefficients&) = delete;
  CompactCoefficients& operator=(const CompactCoefficients&) = delete;
  CompactCoefficients(CompactCoefficients&&) = delete;
  CompactCoefficients& operator=(CompactCoefficients&&) = delete;

  // The bytes the packed rows take now (for the tests and the benchmark).
  std::size_t packed_bytes() const;

  struct BlockArray;

 private:
  friend struct Callbacks;
  std::vector<std::unique_ptr<BlockArray>> m_arrays;
  void (*m_realize)(j_common_ptr) = nullptr;  // libjpeg's own, for its other arrays
};

// The bytes libjpeg's own store would take for the image `info` has read the header of.
std::size_t coefficient_bytes(const jpeg_decompress_struct& info);

}  // namespace pressroom::thumbs
