// Character classes (core/msg/scan.hpp) against their RFC 3261 §25.1
// definitions, for every byte value.
#include "core/msg/scan.hpp"

#include <gtest/gtest.h>

using namespace wwp::msg;

TEST(MsgScan, lws_char_is_exactly_sp_htab_cr_lf_rfc3261_25_1) {
  for (int v = 0; v < 256; ++v) {
    const char c = static_cast<char>(v);
    EXPECT_EQ(scan::is_lws_char(c), c == ' ' || c == '\t' || c == '\r' || c == '\n') << v;
  }
  EXPECT_EQ(scan::trim(" \t\r\n a b \r\n\t "), "a b");
  EXPECT_EQ(scan::trim("\x0b" "a\x0c"), "\x0b" "a\x0c");
}
