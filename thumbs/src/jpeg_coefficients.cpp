#include "jpeg_coefficients.hpp"

#include <bit>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>

// jerror.h: libjpeg's message codes.
#include <jerror.h>

namespace pressroom::thumbs {

struct CompactCoefficients::BlockArray {
  JDIMENSION blocks_per_row = 0;
  JDIMENSION rows = 0;
  JDIMENSION max_access = 0;  // rows libjpeg may ask for at once
  // Per row of blocks: for each block a 64-bit mask of its non-zero coefficients, then their
  // values. Empty: all zero (libjpeg asks for the arrays pre-zeroed).
  std::vector<std::vector<std::uint8_t>> packed;
  std::vector<JCOEF> window;  // max_access rows, unpacked
  std::vector<JBLOCKROW> window_rows;
  JDIMENSION window_start = 0;
  JDIMENSION window_count = 0;  // rows unpacked in the window (0: none yet)
  bool dirty = false;           // the window was handed out writable

  JCOEF* window_row(JDIMENSION index) {
    return window.data() + static_cast<std::size_t>(index) * blocks_per_row * DCTSIZE2;
  }

  void pack(JDIMENSION row, const JCOEF* blocks) {
    std::size_t values = 0;
    for (JDIMENSION b = 0; b < blocks_per_row; ++b) {
      const JCOEF* block = blocks + static_cast<std::size_t>(b) * DCTSIZE2;
      for (int k = 0; k < DCTSIZE2; ++k) {
        values += block[k] != 0 ? 1U : 0U;
      }
    }
    std::vector<std::uint8_t>& out = packed[row];
    if (values == 0) {
      out = {};  // gives the memory back
      return;
    }
    out.resize(blocks_per_row * sizeof(std::uint64_t) + values * sizeof(JCOEF));
    std::uint8_t* at = out.data();
    for (JDIMENSION b = 0; b < blocks_per_row; ++b) {
      const JCOEF* block = blocks + static_cast<std::size_t>(b) * DCTSIZE2;
      std::uint64_t mask = 0;
      for (int k = 0; k < DCTSIZE2; ++k) {
        mask |= static_cast<std::uint64_t>(block[k] != 0 ? 1U : 0U) << static_cast<unsigned>(k);
      }
      std::memcpy(at, &mask, sizeof mask);
      at += sizeof mask;
      for (std::uint64_t bits = mask; bits != 0; bits &= bits - 1) {
        std::memcpy(at, &block[std::countr_zero(bits)], sizeof(JCOEF));
        at += sizeof(JCOEF);
      }
    }
  }

  void unpack(JDIMENSION row, JCOEF* blocks) const {
    std::memset(blocks, 0, static_cast<std::size_t>(blocks_per_row) * DCTSIZE2 * sizeof(JCOEF));
    const std::vector<std::uint8_t>& in = packed[row];
    if (in.empty()) {
      return;
    }
    const std::uint8_t* at = in.data();
    for (JDIMENSION b = 0; b < blocks_per_row; ++b) {
      JCOEF* block = blocks + static_cast<std::size_t>(b) * DCTSIZE2;
      std::uint64_t mask = 0;
      std::memcpy(&mask, at, sizeof mask);
      at += sizeof mask;
      for (; mask != 0; mask &= mask - 1) {
        std::memcpy(&block[std::countr_zero(mask)], at, sizeof(JCOEF));
        at += sizeof(JCOEF);
      }
    }
  }

  // Packs the window back if it was written to.
  void flush() {
    if (dirty) {
      for (JDIMENSION i = 0; i < window_count; ++i) {
        pack(window_start + i, window_row(i));
      }
      dirty = false;
    }
  }
};

namespace {

CompactCoefficients& store_of(j_common_ptr info) {
  return *static_cast<CompactCoefficients*>(info->client_data);
}

[[noreturn]] void fail_with(j_common_ptr info, int code) {
  info->err->msg_code = code;
  (*info->err->error_exit)(info);
  std::abort();  // error_exit does not return
}

}  // namespace

// libjpeg's memory manager methods for block arrays. libjpeg is C: nothing may throw through
// it, so allocation failures become its own "Insufficient memory" error.
struct Callbacks {
  static jvirt_barray_ptr request(j_common_ptr info, int /*pool_id*/, boolean /*pre_zero*/,
                                  JDIMENSION blocks_per_row, JDIMENSION rows,
                                  JDIMENSION max_access) {
    CompactCoefficients::BlockArray* array = nullptr;
    try {
      auto made = std::make_unique<CompactCoefficients::BlockArray>();
      made->blocks_per_row = blocks_per_row;
      made->rows = rows;
      made->max_access = max_access;
      made->packed.resize(rows);
      array = made.get();
      store_of(info).m_arrays.push_back(std::move(made));
    } catch (const std::bad_alloc&) {
      array = nullptr;
    }
    if (array == nullptr) {
      fail_with(info, JERR_OUT_OF_MEMORY);
    }
    // Opaque to libjpeg: it only hands the pointer back to access().
    return reinterpret_cast<jvirt_barray_ptr>(array);
  }

  static void realize(j_common_ptr info) {
    CompactCoefficients& store = store_of(info);
    bool done = true;
    try {
      for (const auto& array : store.m_arrays) {
        if (array->window.empty()) {
          const JDIMENSION rows = array->max_access < array->rows ? array->max_access : array->rows;
          array->window.resize(static_cast<std::size_t>(rows) * array->blocks_per_row * DCTSIZE2);
          array->window_rows.resize(rows);
        }
      }
    } catch (const std::bad_alloc&) {
      done = false;
    }
    if (!done) {
      fail_with(info, JERR_OUT_OF_MEMORY);
    }
    store.m_realize(info);
  }

  static JBLOCKARRAY access(j_common_ptr info, jvirt_barray_ptr handle, JDIMENSION start_row,
                            JDIMENSION num_rows, boolean writable) {
    auto* array = reinterpret_cast<CompactCoefficients::BlockArray*>(handle);
    const auto window_rows = static_cast<JDIMENSION>(array->window_rows.size());
    if (num_rows > window_rows || start_row + num_rows > array->rows) {
      fail_with(info, JERR_BAD_VIRTUAL_ACCESS);
    }
    if (start_row < array->window_start ||
        start_row + num_rows > array->window_start + array->window_count) {
      bool done = true;
      try {
        array->flush();
      } catch (const std::bad_alloc&) {
        done = false;
      }
      if (!done) {
        fail_with(info, JERR_OUT_OF_MEMORY);
      }
      // Like libjpeg's own: the window starts at the first row asked for, or ends at the
      // array's last row.
      array->window_start =
          start_row + window_rows <= array->rows ? start_row : array->rows - window_rows;
      array->window_count = window_rows;
      for (JDIMENSION i = 0; i < window_rows; ++i) {
        array->unpack(array->window_start + i, array->window_row(i));
        array->window_rows[i] = reinterpret_cast<JBLOCKROW>(array->window_row(i));
      }
    }
    array->dirty = array->dirty || writable != 0;
    return array->window_rows.data() + (start_row - array->window_start);
  }
};

CompactCoefficients::CompactCoefficients(jpeg_decompress_struct& info) {
  info.client_data = this;
  m_realize = info.mem->realize_virt_arrays;
  info.mem->request_virt_barray = Callbacks::request;
  info.mem->realize_virt_arrays = Callbacks::realize;
  info.mem->access_virt_barray = Callbacks::access;
}

CompactCoefficients::~CompactCoefficients() = default;

std::size_t CompactCoefficients::packed_bytes() const {
  std::size_t bytes = 0;
  for (const auto& array : m_arrays) {
    for (const auto& row : array->packed) {
      bytes += row.size();
    }
  }
  return bytes;
}

std::size_t coefficient_bytes(const jpeg_decompress_struct& info) {
  std::size_t bytes = 0;
  for (int component = 0; component < info.num_components; ++component) {
    const jpeg_component_info& c = info.comp_info[component];
    bytes += static_cast<std::size_t>(c.width_in_blocks) * c.height_in_blocks * sizeof(JBLOCK);
  }
  return bytes;
}

}  // namespace pressroom::thumbs
