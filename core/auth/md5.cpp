// MD5, RFC 1321. A straight transcription of §3.4 with the per-round
// constants from §3.4's table T[i] = floor(2^32 * abs(sin(i))). All arithmetic
// is on std::uint32_t so it wraps modulo 2^32 on every target (wasm32 included).
#include "core/auth/block_buffer.hpp"
#include "core/auth/md5.hpp"

#include <cstring>

#include "core/auth/hex.hpp"

namespace wwp::auth {
namespace {

constexpr std::uint32_t kT[64] = {
    0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a,
    0xa8304613, 0xfd469501, 0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be,
    0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821, 0xf61e2562, 0xc040b340,
    0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
    0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8,
    0x676f02d9, 0x8d2a4c8a, 0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c,
    0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70, 0x289b7ec6, 0xeaa127fa,
    0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
    0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92,
    0xffeff47d, 0x85845dd1, 0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1,
    0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391};

// Per-round left-rotate amounts (§3.4, rounds 1-4, four shifts each).
constexpr std::uint32_t kS[4][4] = {
    {7, 12, 17, 22}, {5, 9, 14, 20}, {4, 11, 16, 23}, {6, 10, 15, 21}};

inline std::uint32_t rotl(std::uint32_t x, std::uint32_t n) {
  return (x << n) | (x >> (32u - n));
}

// §2: "a sequence of bytes can be interpreted as a sequence of 32-bit words,
// where each consecutive group of four bytes is interpreted as a word with the
// low-order (least significant) byte given first."
inline std::uint32_t load_le32(const std::uint8_t* p) {
  return std::uint32_t{p[0]} | (std::uint32_t{p[1]} << 8) |
         (std::uint32_t{p[2]} << 16) | (std::uint32_t{p[3]} << 24);
}

}  // namespace

void Md5::reset() {
  // §3.3: word A: 01 23 45 67, B: 89 ab cd ef, C: fe dc ba 98, D: 76 54 32 10
  // (low-order bytes first).
  state_ = {0x67452301u, 0xefcdab89u, 0x98badcfeu, 0x10325476u};
  total_len_ = 0;
}

void Md5::transform(const std::uint8_t block[64]) {
  std::uint32_t x[16];
  for (int i = 0; i < 16; ++i) x[i] = load_le32(block + 4 * i);

  std::uint32_t a = state_[0], b = state_[1], c = state_[2], d = state_[3];
  for (std::uint32_t i = 0; i < 64; ++i) {
    std::uint32_t f;
    std::uint32_t k;  // message word index for this step
    const std::uint32_t round = i / 16;
    switch (round) {
      case 0: f = (b & c) | (~b & d); k = i; break;                  // F
      case 1: f = (b & d) | (c & ~d); k = (5 * i + 1) % 16; break;   // G
      case 2: f = b ^ c ^ d; k = (3 * i + 5) % 16; break;            // H
      default: f = c ^ (b | ~d); k = (7 * i) % 16; break;            // I
    }
    const std::uint32_t tmp = d;
    d = c;
    c = b;
    b = b + rotl(a + f + kT[i] + x[k], kS[round][i % 4]);
    a = tmp;
  }
  state_[0] += a;
  state_[1] += b;
  state_[2] += c;
  state_[3] += d;
}

void Md5::update(const std::uint8_t* data, std::size_t len) {
  feed_blocks(buffer_, total_len_, data, len, [this](const std::uint8_t* block) { transform(block); });
}

Md5::Digest Md5::final() {
  // §3.1: append a single 1 bit, then 0 bits until length ≡ 448 (mod 512);
  // §3.2: append the 64-bit bit length, low-order word first.
  const std::uint64_t bit_len = total_len_ * 8u;
  static constexpr std::uint8_t kPad[64] = {0x80};
  const std::size_t used = static_cast<std::size_t>(total_len_ % 64);
  const std::size_t pad_len = (used < 56) ? (56 - used) : (120 - used);
  update(kPad, pad_len);
  std::uint8_t len_le[8];
  for (int i = 0; i < 8; ++i) len_le[i] = static_cast<std::uint8_t>(bit_len >> (8 * i));
  update(len_le, 8);

  Digest out{};
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 4; ++j)
      out[4 * i + j] = static_cast<std::uint8_t>(state_[i] >> (8 * j));
  reset();
  return out;
}

std::string md5_hex(std::string_view data) {
  Md5 h;
  h.update(data);
  const Md5::Digest d = h.final();
  return to_hex_lower(d.data(), d.size());
}

}  // namespace wwp::auth
