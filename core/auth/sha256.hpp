// SHA-256 (FIPS 180-4 §6.2), for the SIP Digest "SHA-256" and
// "SHA-256-sess" algorithms (RFC 8760, RFC 7616 §3.2).
//
// Contract (same shape as Md5):
//   - Portable: fixed-width arithmetic only, identical on 32-bit wasm and
//     64-bit hosts. No allocation in update()/final().
//   - Incremental: update() any number of times, then final() once. final()
//     returns the digest and resets the object, so it can be reused.
//   - Never fails, never throws.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace wwp::auth {

class Sha256 {
 public:
  static constexpr std::size_t kDigestSize = 32;  // 256 bits
  using Digest = std::array<std::uint8_t, kDigestSize>;

  Sha256() { reset(); }

  /// Appends `len` bytes to the message. `data` may be null when `len` is 0.
  void update(const std::uint8_t* data, std::size_t len);
  void update(std::string_view data) {
    update(reinterpret_cast<const std::uint8_t*>(data.data()), data.size());
  }

  /// Pads (FIPS 180-4 §5.1.1), returns the 32-byte digest and resets.
  Digest final();

  /// Back to H(0) (FIPS 180-4 §5.3.3), dropping buffered input.
  void reset();

 private:
  void transform(const std::uint8_t block[64]);

  std::array<std::uint32_t, 8> state_{};
  std::array<std::uint8_t, 64> buffer_{};
  std::uint64_t total_len_ = 0;  // bytes so far
};

/// SHA-256 of `data` as 64 lowercase hex characters.
std::string sha256_hex(std::string_view data);

}  // namespace wwp::auth
