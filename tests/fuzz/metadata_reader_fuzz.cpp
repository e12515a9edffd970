// libFuzzer target: the embedded metadata reader (Exiv2 behind read_embedded_metadata) must take
// any bytes without crashing or hanging, and return either what it read, with values in their
// documented ranges, or an error that names the input and a reason (issue #6).
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "core/embedded_metadata.hpp"

namespace {

void check(bool condition) {
  if (!condition) {
    __builtin_trap();
  }
}

const std::string k_subject = "fuzz.jpg";

}  // namespace

// NOLINTNEXTLINE(readability-identifier-naming): the names libFuzzer calls
extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  pressroom::initialize_metadata();
  return 0;
}

// NOLINTNEXTLINE(readability-identifier-naming): the names libFuzzer calls
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto bytes = std::as_bytes(std::span(data, size));
  const auto metadata = pressroom::read_embedded_metadata(bytes, k_subject);
  if (metadata) {
    check(metadata->orientation >= 1 && metadata->orientation <= 8);
    check(metadata->width >= 0 && metadata->height >= 0);
    for (const std::string& warning : metadata->warnings) {
      check(warning.starts_with(k_subject + ": "));
    }
  } else {
    const pressroom::Error& error = metadata.error();
    check(error.code == pressroom::Errc::unsupported_format ||
          error.code == pressroom::Errc::corrupt_data);
    check(error.subject == k_subject);
    check(!error.message.empty());
  }
  return 0;
}
