#include "core/sha256.hpp"

#include <array>
#include <string_view>

#include <openssl/sha.h>

namespace pressroom {

std::string sha256_hex(std::span<const std::byte> bytes) {
  std::array<unsigned char, SHA256_DIGEST_LENGTH> digest{};
  // SHA256() is the one-shot form; OpenSSL 3 keeps it (it is EVP underneath).
  SHA256(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), digest.data());
  static constexpr std::string_view k_hex = "0123456789abcdef";
  std::string hex;
  hex.reserve(digest.size() * 2);
  for (const unsigned char byte : digest) {
    hex.push_back(k_hex[byte >> 4U]);
    hex.push_back(k_hex[byte & 0x0FU]);
  }
  return hex;
}

}  // namespace pressroom
