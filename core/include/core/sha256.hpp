#pragma once

#include <cstddef>
#include <span>
#include <string>

namespace pressroom {

// The SHA-256 of `bytes` as 64 lowercase hex digits. Photos are named and found by it.
// Thread-safe.
std::string sha256_hex(std::span<const std::byte> bytes);

}  // namespace pressroom
