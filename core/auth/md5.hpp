// MD5 message digest (RFC 1321), needed by SIP Digest authentication
// (RFC 3261 §22.4, RFC 2617). MD5 is broken for collision resistance; it is
// here only because SIP registrars (RingCentral included) still require it.
// Prefer SHA-256 whenever the server offers it (RFC 8760).
//
// Contract:
//   - Portable: fixed-width arithmetic only, identical on 32-bit wasm and
//     64-bit hosts. No allocation in update()/final().
//   - Incremental: call update() any number of times, then final() once.
//     final() returns the digest and resets the object to its initial state,
//     so it can be reused for a new message.
//   - Never fails, never throws.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace wwp::auth {

class Md5 {
 public:
  static constexpr std::size_t kDigestSize = 16;  // 128 bits (RFC 1321 §3.5)
  using Digest = std::array<std::uint8_t, kDigestSize>;

  Md5() { reset(); }

  /// Appends `len` bytes to the message. `data` may be null when `len` is 0.
  void update(const std::uint8_t* data, std::size_t len);
  void update(std::string_view data) {
    update(reinterpret_cast<const std::uint8_t*>(data.data()), data.size());
  }

  /// Pads (RFC 1321 §3.1-3.2), returns the 16-byte digest and resets.
  Digest final();

  /// Back to the initial state (RFC 1321 §3.3), dropping buffered input.
  void reset();

 private:
  void transform(const std::uint8_t block[64]);

  std::array<std::uint32_t, 4> state_{};
  std::array<std::uint8_t, 64> buffer_{};
  std::uint64_t total_len_ = 0;  // bytes so far; wraps modulo 2^64 per §3.2
};

/// MD5 of `data` as 32 lowercase hex characters (RFC 2617 §3.1.3 "LHEX").
std::string md5_hex(std::string_view data);

}  // namespace wwp::auth
