// Randomness is injected (house style §10). Branches, tags, Call-IDs and
// cnonces all come from an `Rng` owned by the UA, seeded by the driver (the JS
// shim seeds it from crypto.getRandomValues), so tests replay byte for byte.
#pragma once
#include <cstdint>
#include <string>

namespace wwp {

/// SplitMix64: tiny, portable, good statistical quality, identical on 32-bit
/// wasm and 64-bit hosts. Not cryptographic: SIP tokens need uniqueness
/// (RFC 3261 §8.1.1.7, §19.3), and the driver reseeds with real entropy.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}

  std::uint64_t next_u64() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }

  /// `n` characters from [0-9a-z]; used for tags, branch suffixes, Call-IDs.
  std::string token(std::size_t n) {
    static constexpr char kAlphabet[] = "0123456789abcdefghijklmnopqrstuvwxyz";
    std::string out(n, '0');
    for (auto& c : out) c = kAlphabet[next_u64() % 36];
    return out;
  }

  /// `n` lowercase hex characters; used for cnonce values.
  std::string hex(std::size_t n) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out(n, '0');
    for (auto& c : out) c = kHex[next_u64() & 15];
    return out;
  }

 private:
  std::uint64_t state_;
};

}  // namespace wwp
