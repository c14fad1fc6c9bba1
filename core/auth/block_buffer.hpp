// The 64-byte block buffering shared by MD5 (RFC 1321 §3.4) and SHA-256
// (FIPS 180-4 §6.2): whole blocks go straight to `transform`, a partial
// block waits in `buffer` until the next update() completes it.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace wwp::auth {

template <class Transform>
void feed_blocks(std::array<std::uint8_t, 64>& buffer, std::uint64_t& total_len, const std::uint8_t* data,
                 std::size_t len, Transform&& transform) {
  if (len == 0) return;
  std::size_t used = static_cast<std::size_t>(total_len % 64);
  total_len += static_cast<std::uint64_t>(len);
  if (used != 0) {
    const std::size_t take = (len < 64 - used) ? len : 64 - used;
    std::memcpy(buffer.data() + used, data, take);
    data += take;
    len -= take;
    used += take;
    if (used < 64) return;
    transform(buffer.data());
  }
  for (; len >= 64; data += 64, len -= 64) transform(data);
  if (len != 0) std::memcpy(buffer.data(), data, len);
}

}  // namespace wwp::auth
