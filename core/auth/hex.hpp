// Lowercase hex encoding shared by the digest code: RFC 2617 §3.1.3 / RFC 7616
// §3.4.1 define the hash output as lowercase hex ("LHEX"), and the server
// compares `response` as a string, so case matters.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>

namespace wwp::auth {

/// Returns `n` bytes at `p` as 2*n lowercase hex characters.
inline std::string to_hex_lower(const std::uint8_t* p, std::size_t n) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(n * 2, '0');
  for (std::size_t i = 0; i < n; ++i) {
    out[2 * i] = kHex[p[i] >> 4];
    out[2 * i + 1] = kHex[p[i] & 0x0F];
  }
  return out;
}

}  // namespace wwp::auth
