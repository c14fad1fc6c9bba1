// SHA-256 against the FIPS 180-4 / NIST CSRC example vectors.
#include "core/auth/sha256.hpp"

#include <gtest/gtest.h>

#include <string>

namespace wwp::auth {
namespace {

TEST(Sha256, Fips180_empty_message) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(Sha256, Fips180_one_block_abc) {
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Sha256, Fips180_two_block_448_bit_message) {
  EXPECT_EQ(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(Sha256, Fips180_one_million_a_fed_incrementally) {
  Sha256 h;
  const std::string chunk(1000, 'a');
  for (int i = 0; i < 1000; ++i) h.update(chunk);
  const auto d = h.final();
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (auto b : d) {
    hex += kHex[b >> 4];
    hex += kHex[b & 15];
  }
  EXPECT_EQ(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256, Fips180_one_million_a_one_shot) {
  EXPECT_EQ(sha256_hex(std::string(1000000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256, Incremental_update_equals_one_shot_at_every_split) {
  const std::string msg(130, 'x');
  const std::string want = sha256_hex(msg);
  for (std::size_t split = 0; split <= msg.size(); ++split) {
    Sha256 a;
    a.update(std::string_view(msg).substr(0, split));
    a.update(std::string_view(msg).substr(split));
    const auto d = a.final();
    Sha256 b;
    b.update(msg);
    EXPECT_EQ(d, b.final()) << "split at " << split;
  }
  EXPECT_EQ(want.size(), 64u);
}

}  // namespace
}  // namespace wwp::auth
