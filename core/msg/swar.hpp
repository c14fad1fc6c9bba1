// Internal to core/msg: "SIMD within a register" helpers for the view parser.
// Eight bytes are loaded into one std::uint64_t (memcpy, so unaligned loads
// are fine) and tested at once. wasm has native 64-bit integers even on
// wasm32, and its memory is little-endian; on a big-endian host the load
// byte-swaps, so byte k of the input is always bits 8k..8k+7 and "first
// match" is always the lowest flagged byte (count trailing zeros).
//
// Every test below is exact per byte: no carry or borrow crosses a byte
// boundary, so a flagged byte is a true match and any byte may be flagged
// (unlike the classic `(x - 0x01..) & ~x & 0x80..` zero test, which can give
// false positives above the first true zero).
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace wwp::msg::swar {

inline constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
inline constexpr std::uint64_t kHigh = 0x8080808080808080ULL;
inline constexpr std::uint64_t kLow7 = 0x7f7f7f7f7f7f7f7fULL;

/// Eight bytes at p, byte 0 in the low bits on every host.
inline std::uint64_t load(const char* p) {
  std::uint64_t w;
  std::memcpy(&w, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
  w = __builtin_bswap64(w);
#endif
  return w;
}

/// Four bytes at p, byte 0 in the low bits on every host.
inline std::uint32_t load4(const char* p) {
  std::uint32_t w;
  std::memcpy(&w, p, 4);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
  w = __builtin_bswap32(w);
#endif
  return w;
}

/// Index (0..7) of the lowest byte whose high bit is set in a non-zero mask.
inline std::size_t first(std::uint64_t mask) {
  return static_cast<std::size_t>(__builtin_ctzll(mask)) >> 3;
}

/// High bit set in each byte of w equal to c.
inline std::uint64_t eq(std::uint64_t w, unsigned char c) {
  const std::uint64_t x = w ^ (kOnes * c);  // 0 where equal
  // (x & 0x7f) + 0x7f sets the high bit iff the low seven bits are non-zero.
  return ~(((x & kLow7) + kLow7) | x) & kHigh;
}

/// High bit set in each byte that may not appear in a Request-URI: CTL or SP
/// (0x00..0x20, 0x7f). Bytes >= 0x80 pass (UTF-8 is left to the URI parser).
inline std::uint64_t ctl_or_sp(std::uint64_t w) {
  const std::uint64_t low7 = w & kLow7;
  const std::uint64_t gt20 = low7 + (kOnes * 0x5f);  // high bit iff low7 > 0x20
  const std::uint64_t is7f = low7 + kOnes;           // high bit iff low7 == 0x7f
  return (~gt20 | is7f) & ~w & kHigh;
}

/// Finds the first CTL (0x00..0x1f, 0x7f; HTAB included): the lowest flagged
/// byte is exactly the first CTL of w, and no flag is set if w has none.
/// Bytes above the first may be flagged falsely (borrows), like the classic
/// zero-byte test; callers only ever use the lowest. Seven operations, the
/// price of the bare LF search it replaced plus three: the parser's line
/// scan (parser.cpp find_ctl) runs it on every byte of every header.
/// swar_test checks it against the one-byte definition.
inline std::uint64_t first_ctl(std::uint64_t w) {
  const std::uint64_t below20 = (w - kOnes * 0x20) & ~w & kHigh;
  const std::uint64_t x = w ^ (kOnes * 0x7f);  // 0 where DEL
  return below20 | ((x - kOnes) & ~x & kHigh);
}

/// ASCII letters lower-cased, every other byte unchanged (exact for any byte).
inline std::uint64_t to_lower(std::uint64_t w) {
  const std::uint64_t low7 = w & kLow7;
  const std::uint64_t ge_a = low7 + (kOnes * (0x80 - 'A'));  // high bit iff low7 >= 'A'
  const std::uint64_t gt_z = low7 + (kOnes * (0x7f - 'Z'));  // high bit iff low7 > 'Z'
  const std::uint64_t upper = ge_a & ~gt_z & ~w & kHigh;
  return w | (upper >> 2);  // 0x80 >> 2 == 0x20
}

/// Little-endian packing of up to eight characters, for comparing `load`ed
/// words against string constants at compile time.
constexpr std::uint64_t pack(const char* s, std::size_t n) {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < n && i < 8; ++i)
    v |= static_cast<std::uint64_t>(static_cast<unsigned char>(s[i])) << (8 * i);
  return v;
}
/// Keeps the low n bytes (n in 1..8).
constexpr std::uint64_t keep(std::size_t n) { return n >= 8 ? ~0ULL : (1ULL << (8 * n)) - 1; }

}  // namespace wwp::msg::swar
