// Word-at-a-time byte tests (core/msg/swar.hpp) against their one-byte
// definitions: every byte value at every position of the word, next to
// neighbours that would expose a carry or borrow crossing a byte boundary.
#include "core/msg/swar.hpp"

#include <gtest/gtest.h>

#include "core/msg/scan.hpp"

#include <cstring>

using namespace wwp::msg;

namespace {

// Byte k of the word is `b`, every other byte is `fill`.
std::uint64_t word_with(unsigned char b, std::size_t k, unsigned char fill) {
  char buf[8];
  std::memset(buf, fill, 8);
  buf[k] = static_cast<char>(b);
  return swar::load(buf);
}

unsigned char byte_of(std::uint64_t w, std::size_t k) { return static_cast<unsigned char>(w >> (8 * k)); }
bool flagged(std::uint64_t mask, std::size_t k) { return (mask >> (8 * k + 7)) & 1; }

const unsigned char kFills[] = {0x00, 0x01, 0x20, 0x21, 0x3a, 0x41, 0x5a, 0x7f, 0x80, 0xff};

}  // namespace

TEST(MsgSwar, load_puts_byte_zero_lowest_on_every_host) {
  EXPECT_EQ(swar::load("abcdefgh"), swar::pack("abcdefgh", 8));
  EXPECT_EQ(swar::load4("SIP/"), static_cast<std::uint32_t>(swar::pack("SIP/", 4)));
  EXPECT_EQ(swar::first(swar::kHigh & swar::keep(8) & ~swar::keep(3)), 3u);
}

TEST(MsgSwar, eq_ctl_or_sp_and_to_lower_are_exact_per_byte) {
  for (unsigned char fill : kFills)
    for (std::size_t k = 0; k < 8; ++k)
      for (int v = 0; v < 256; ++v) {
        const auto b = static_cast<unsigned char>(v);
        const std::uint64_t w = word_with(b, k, fill);
        for (std::size_t j = 0; j < 8; ++j) {
          const unsigned char c = byte_of(w, j);
          EXPECT_EQ(flagged(swar::eq(w, ':'), j), c == ':') << int(c) << " at " << j;
          // §25.1: no CTL (0x00-0x1f, 0x7f) and no SP in a Request-URI.
          EXPECT_EQ(flagged(swar::ctl_or_sp(w), j), c <= 0x20 || c == 0x7f) << int(c);
          const unsigned char lower = (c >= 'A' && c <= 'Z') ? c + 32 : c;
          EXPECT_EQ(byte_of(swar::to_lower(w), j), lower) << int(c);
        }
        if (testing::Test::HasFailure()) return;
      }
}

// The parser's line scan (parser.cpp find_ctl) uses first_ctl: its lowest
// flag must be exactly the first CTL (RFC 5234 CTL: %x00-1F / %x7F) of the
// word, for every byte at every position next to every neighbour; and the
// grammar's class scan::kLineCtl is CTL less HTAB.
TEST(MsgSwar, first_ctl_flags_exactly_the_first_ctl_rfc5234_b_1) {
  auto is_ctl = [](int v) { return v < 0x20 || v == 0x7f; };
  for (unsigned char fill : kFills)
    for (std::size_t k = 0; k < 8; ++k)
      for (int v = 0; v < 256; ++v) {
        const auto b = static_cast<unsigned char>(v);
        const std::uint64_t w = word_with(b, k, fill);
        std::size_t want = 8;
        for (std::size_t j = 0; j < 8 && want == 8; ++j)
          if (is_ctl(byte_of(w, j))) want = j;
        const std::uint64_t m = swar::first_ctl(w);
        ASSERT_EQ(m == 0, want == 8) << v << " at " << k << " fill " << int(fill);
        if (m != 0) ASSERT_EQ(swar::first(m), want) << v << " at " << k << " fill " << int(fill);
        ASSERT_EQ(scan::is(static_cast<char>(b), scan::kLineCtl), is_ctl(v) && v != '\t') << v;
      }
}
