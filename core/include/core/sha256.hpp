#pragma once

#include <cstddef>
#include <memory>
#include <span>
#include <string>

namespace pressroom {

// The SHA-256 of `bytes` as 64 lowercase hex digits. Photos are named and found by it.
// Thread-safe.
std::string sha256_hex(std::span<const std::byte> bytes);

// The same digest over bytes that arrive in pieces, as a download's do: update() with each
// piece, hex_digest() at the end. reset() starts over (a download restarted from its first
// byte). One object per stream; not shared between threads.
class Sha256 {
 public:
  Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  Sha256(Sha256&&) noexcept;
  Sha256& operator=(Sha256&&) noexcept;
  ~Sha256();

  void update(std::span<const std::byte> bytes);
  void reset();
  // The digest of everything since construction or the last reset(); ends the stream (call
  // reset() before updating again).
  std::string hex_digest();

 private:
  struct State;
  std::unique_ptr<State> m_state;
};

}  // namespace pressroom
