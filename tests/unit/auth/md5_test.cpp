// MD5 against the RFC 1321 appendix A.5 test suite, plus incremental-update
// equivalence (the digest code feeds MD5 piecewise).
#include "core/auth/md5.hpp"

#include <gtest/gtest.h>

#include <string>

namespace wwp::auth {
namespace {

struct Vector {
  const char* input;
  const char* hex;
};

// RFC 1321 §A.5 "Test suite", verbatim.
constexpr Vector kRfc1321A5[] = {
    {"", "d41d8cd98f00b204e9800998ecf8427e"},
    {"a", "0cc175b9c0f1b6a831c399e269772661"},
    {"abc", "900150983cd24fb0d6963f7d28e17f72"},
    {"message digest", "f96b697d7cb7938d525a2f31aaf161d0"},
    {"abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"},
    {"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
     "d174ab98d277d9f5a5611c2c9f419d9f"},
    {"1234567890123456789012345678901234567890123456789012345678901234567890"
     "1234567890",
     "57edf4a22be3c955ac49da2e2107b67a"},
};

TEST(Md5, Rfc1321_A5_test_suite_MUST_match) {
  for (const auto& v : kRfc1321A5) EXPECT_EQ(md5_hex(v.input), v.hex) << '"' << v.input << '"';
}

TEST(Md5, Incremental_update_equals_one_shot_at_every_split) {
  // 80 bytes crosses the 64-byte block and the 56-byte padding boundary.
  const std::string msg = kRfc1321A5[6].input;
  for (std::size_t split = 0; split <= msg.size(); ++split) {
    Md5 h;
    h.update(std::string_view(msg).substr(0, split));
    h.update(std::string_view(msg).substr(split));
    const auto d = h.final();
    std::string hex;
    for (auto b : d) {
      static constexpr char kHex[] = "0123456789abcdef";
      hex += kHex[b >> 4];
      hex += kHex[b & 15];
    }
    EXPECT_EQ(hex, kRfc1321A5[6].hex) << "split at " << split;
  }
}

TEST(Md5, Padding_boundaries_55_56_63_64_bytes_match_reference) {
  // Reference values from Python hashlib.md5(b"a" * n).
  EXPECT_EQ(md5_hex(std::string(55, 'a')), "ef1772b6dff9a122358552954ad0df65");
  EXPECT_EQ(md5_hex(std::string(56, 'a')), "3b0c8ac703f828b04c6c197006d17218");
  EXPECT_EQ(md5_hex(std::string(63, 'a')), "b06521f39153d618550606be297466d5");
  EXPECT_EQ(md5_hex(std::string(64, 'a')), "014842d480b571495a4a0363793f7367");
}

TEST(Md5, Final_resets_so_the_object_is_reusable) {
  Md5 h;
  h.update("garbage");
  (void)h.final();
  h.update("abc");
  const auto d = h.final();
  EXPECT_EQ(d[0], 0x90);
  EXPECT_EQ(d[15], 0x72);
}

}  // namespace
}  // namespace wwp::auth
