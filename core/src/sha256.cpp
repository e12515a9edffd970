#include "core/sha256.hpp"

#include <array>
#include <stdexcept>
#include <string_view>

#include <openssl/evp.h>
#include <openssl/sha.h>

namespace pressroom {
namespace {

std::string to_hex(std::span<const unsigned char> digest) {
  static constexpr std::string_view k_hex = "0123456789abcdef";
  std::string hex;
  hex.reserve(digest.size() * 2);
  for (const unsigned char byte : digest) {
    hex.push_back(k_hex[byte >> 4U]);
    hex.push_back(k_hex[byte & 0x0FU]);
  }
  return hex;
}

}  // namespace

std::string sha256_hex(std::span<const std::byte> bytes) {
  std::array<unsigned char, SHA256_DIGEST_LENGTH> digest{};
  // SHA256() is the one-shot form; OpenSSL 3 keeps it (it is EVP underneath).
  SHA256(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), digest.data());
  return to_hex(digest);
}

struct Sha256::State {
  struct Free {
    void operator()(EVP_MD_CTX* handle) const noexcept { EVP_MD_CTX_free(handle); }
  };
  std::unique_ptr<EVP_MD_CTX, Free> context{EVP_MD_CTX_new()};
};

Sha256::Sha256() : m_state(std::make_unique<State>()) {
  // Only an allocation failure makes these fail; that is a bug-class event, not an input error.
  if (!m_state->context) {
    throw std::bad_alloc();
  }
  reset();
}

Sha256::Sha256(Sha256&&) noexcept = default;
Sha256& Sha256::operator=(Sha256&&) noexcept = default;
Sha256::~Sha256() = default;

void Sha256::update(std::span<const std::byte> bytes) {
  EVP_DigestUpdate(m_state->context.get(), bytes.data(), bytes.size());
}

void Sha256::reset() {
  if (EVP_DigestInit_ex(m_state->context.get(), EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("OpenSSL could not start a SHA-256 digest");
  }
}

std::string Sha256::hex_digest() {
  std::array<unsigned char, SHA256_DIGEST_LENGTH> digest{};
  unsigned int length = 0;
  EVP_DigestFinal_ex(m_state->context.get(), digest.data(), &length);
  return to_hex(std::span(digest).first(length));
}

}  // namespace pressroom
