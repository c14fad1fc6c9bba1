// core/rc/json_libc: nlohmann/json's number routines must give exactly what
// the C library gives (the host's glibc here, musl in the wasm stage) on
// every input nlohmann can hand them: same bits, same end pointer, same
// errno where the header promises it.
#include "core/rc/json_libc.hpp"

#include <gtest/gtest.h>

#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

std::uint64_t bits_of(double d) {
  std::uint64_t b;
  std::memcpy(&b, &d, sizeof b);
  return b;
}

double from_bits(std::uint64_t b) {
  double d;
  std::memcpy(&d, &b, sizeof d);
  return d;
}

// splitmix64: a fixed sequence, so a failure names an input that reproduces.
struct Rng {
  std::uint64_t s;
  std::uint64_t next() {
    std::uint64_t z = (s += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
  }
  int below(int n) { return static_cast<int>(next() % static_cast<std::uint64_t>(n)); }
};

std::string format(const char* fmt, double d) {
  char buf[1200];
  std::snprintf(buf, sizeof buf, fmt, d);
  return buf;
}

// Same value, end pointer and (for out-of-range results) errno as strtod.
::testing::AssertionResult same_as_strtod(const std::string& s) {
  char* libc_end = nullptr;
  char* our_end = nullptr;
  errno = 0;
  const double want = std::strtod(s.c_str(), &libc_end);
  const int want_errno = errno;
  errno = 0;
  const double got = wwp_json_strtod(s.c_str(), &our_end);
  const int got_errno = errno;
  if (bits_of(got) != bits_of(want) || our_end != libc_end)
    return ::testing::AssertionFailure() << "\"" << s << "\": " << format("%.17g", got) << " ("
                                         << (our_end - s.c_str()) << " chars), C library "
                                         << format("%.17g", want) << " (" << (libc_end - s.c_str()) << ")";
  // errno: the header promises ERANGE for infinities and for zeros from
  // nonzero input (C libraries also flag some denormals; we need not).
  const bool range = std::isinf(want) || (want == 0 && want_errno == ERANGE);
  if (range && got_errno != ERANGE) return ::testing::AssertionFailure() << "\"" << s << "\": no ERANGE";
  if (!range && got_errno != 0 && !(std::fpclassify(want) == FP_SUBNORMAL && got_errno == ERANGE))
    return ::testing::AssertionFailure() << "\"" << s << "\": errno " << got_errno;
  return ::testing::AssertionSuccess();
}

TEST(JsonLibc, strtod_edge_cases_match_the_c_library) {
  const std::vector<std::string> cases = {
      "0", "-0", "0.0", "-0.0", "0e0", "0e-99999", "0e99999", "0.000", "1", "-1", "1.5", "0.1", "0.3",
      "123", "1e23", "8.98846567431158e307", "9007199254740992", "9007199254740993", "9007199254740994",
      "9007199254740995", "9007199254740993.0000000000000000001", "4503599627370496.5",
      "4503599627370497.5",
      // smallest normal, largest denormal and around them
      "2.2250738585072014e-308", "2.2250738585072011e-308", "2.2250738585072012e-308",
      "2.225073858507201136057409796709131975934819546351645648e-308",
      // smallest denormal and the halfway point below it (ties to even: zero)
      "4.9406564584124654e-324", "5e-324", "2.4703282292062327e-324", "2.4703282292062328e-324",
      "2.470328229206232720882778e-324", "1e-324", "3e-324", "7e-324", "1e-330", "1e-400",
      "-1e-400", "1e-99999",
      // largest double, the halfway point above it, overflow
      "1.7976931348623157e308", "1.7976931348623158e308", "1.7976931348623159e308",
      "179769313486231580793728971405303415079934132710037826936173778980444968292764750946649017977587"
      "207096330286416692887910946555547851940402630657488671505820681908902000708383676273854845817711"
      "531764475730270069855571366959622842914819860834936475292719074168444365510704342711559699508093"
      "042880177904174497791.9999999999",
      "1e309", "1e400", "-1e400", "1e99999", "1E+2", "1e-2", "1E-0", "1e+0",
      // many digits: past the 800-digit buffer, leading zeros, trailing zeros
      std::string("0.") + std::string(1000, '0') + "1", "1" + std::string(400, '0'),
      "1" + std::string(300, '0'), "0." + std::string(300, '0') + "1e300",
      std::string(1000, '0') + "1.5", "9007199254740993" + std::string(900, '0'),
      "9007199254740993" + std::string(900, '0') + "1", "9007199254740993." + std::string(900, '0') + "1",
      "1." + std::string(900, '9'), "123456789012345678901234567890",
      "0.12345678901234567890123456789012345678901234567890e-300",
      // strings nlohmann never passes, but strtod's end pointer must agree
      "", "-", "x", "1.5,", "1e", "1e+", "1e-x", "1.", "1.e5", ".5", "-.5e1", "1.5]", "12}"};
  for (const auto& s : cases) EXPECT_TRUE(same_as_strtod(s));
}

TEST(JsonLibc, strtod_round_trips_random_doubles_at_every_precision) {
  Rng rng{1};
  for (int i = 0; i < 20000; ++i) {
    const double d = from_bits(rng.next());
    if (!std::isfinite(d)) continue;
    for (const char* fmt : {"%.17g", "%.16g", "%.15g", "%.6g", "%.30e"}) EXPECT_TRUE(same_as_strtod(format(fmt, d)));
  }
  // Denormals and the neighbourhood of the normal/denormal boundary.
  for (int i = 0; i < 4000; ++i) {
    const double d = from_bits(rng.next() >> (i % 2 ? 12 : 11));
    for (const char* fmt : {"%.17g", "%.16g", "%.3g"}) EXPECT_TRUE(same_as_strtod(format(fmt, d)));
  }
}

TEST(JsonLibc, strtod_rounds_exact_halfway_points_to_even) {
  // The exact midpoint between two neighbouring doubles, in full (long double
  // holds it exactly: 64 significand bits on x86, 113 in wasm), then just
  // below and just above it: the hardest inputs for a strtod.
  Rng rng{2};
  for (int i = 0; i < 3000; ++i) {
    std::uint64_t b = rng.next() & ~(std::uint64_t{1} << 63);
    if (i % 3 == 0) b >>= 10;  // denormals too
    const double lo = from_bits(b);
    const double hi = std::nextafter(lo, HUGE_VAL);
    if (!std::isfinite(hi)) continue;
    const long double mid = (static_cast<long double>(lo) + hi) / 2;
    char buf[1200];
    std::snprintf(buf, sizeof buf, "%.800Le", mid);
    std::string exact = buf;  // d.ddd…e±x with trailing zeros
    const auto e = exact.find('e');
    std::string digits = exact.substr(0, e), exponent = exact.substr(e);
    while (digits.back() == '0') digits.pop_back();
    EXPECT_TRUE(same_as_strtod(digits + exponent));
    if (digits.find('.') == std::string::npos) digits += '.';
    EXPECT_TRUE(same_as_strtod(digits + "0000000000001" + exponent));
    std::string below = digits;
    std::size_t k = below.size() - 1;  // subtract one in the last place
    while (below[k] == '0' || below[k] == '.') {
      if (below[k] == '0') below[k] = '9';
      --k;
    }
    --below[k];
    EXPECT_TRUE(same_as_strtod(below + "9999" + exponent));
  }
}

TEST(JsonLibc, strtod_matches_on_random_decimal_strings) {
  Rng rng{3};
  for (int i = 0; i < 20000; ++i) {
    std::string s = rng.below(2) ? "-" : "";
    const int int_digits = rng.below(25), frac_digits = rng.below(25);
    for (int k = 0; k < int_digits; ++k) s += static_cast<char>('0' + rng.below(10));
    if (int_digits == 0) s += '0';
    if (frac_digits > 0) {
      s += '.';
      for (int k = 0; k < frac_digits; ++k) s += static_cast<char>('0' + rng.below(10));
    }
    if (rng.below(3)) s += "e" + std::to_string(rng.below(800) - 400);
    EXPECT_TRUE(same_as_strtod(s));
  }
}

template <class T>
::testing::AssertionResult same_integer(const std::string& s, T (*ours)(const char*, char**, int),
                                        T (*libc)(const char*, char**, int)) {
  char* libc_end = nullptr;
  char* our_end = nullptr;
  errno = 0;
  const T want = libc(s.c_str(), &libc_end, 10);
  const int want_errno = errno;
  errno = 0;
  const T got = ours(s.c_str(), &our_end, 10);
  if (got != want || our_end != libc_end || errno != want_errno)
    return ::testing::AssertionFailure() << "\"" << s << "\": " << got << " errno " << errno << ", C library "
                                         << want << " errno " << want_errno;
  return ::testing::AssertionSuccess();
}

TEST(JsonLibc, strtoull_and_strtoll_match_the_c_library) {
  std::vector<std::string> cases = {"0", "-0", "1", "-1", "00000000000000000000000042", "9223372036854775807",
                                    "9223372036854775808", "-9223372036854775807", "-9223372036854775808",
                                    "-9223372036854775809", "18446744073709551615", "18446744073709551616",
                                    "-18446744073709551615", "-18446744073709551616", "99999999999999999999",
                                    "123456789012345678901234567890", "", "-", "x", "12,", "-7]", "1.5", "1e3"};
  Rng rng{4};
  for (int i = 0; i < 5000; ++i) {
    const std::uint64_t v = rng.next() >> rng.below(64);
    cases.push_back(std::to_string(v));
    cases.push_back("-" + std::to_string(v));
  }
  for (const auto& s : cases) {
    EXPECT_TRUE(same_integer<unsigned long long>(s, wwp_json_strtoull, std::strtoull));
    EXPECT_TRUE(same_integer<long long>(s, wwp_json_strtoll, std::strtoll));
  }
}

TEST(JsonLibc, snprintf_writes_nlohmanns_hex_formats_as_the_c_library_does) {
  char want[32], got[32];
  for (unsigned v = 0; v <= 0xFFFF; ++v) {
    const int w = std::snprintf(want, sizeof want, "\\u%04x", v);
    ASSERT_EQ(wwp_json_snprintf(got, sizeof got, "\\u%04x", v), w) << v;
    ASSERT_STREQ(got, want) << v;
  }
  for (unsigned v = 0; v <= 0x3FF; ++v) {
    const unsigned hi = 0xD800 + v, lo = 0xDC00 + (v * 7 % 0x400);
    const int w = std::snprintf(want, sizeof want, "\\u%04x\\u%04x", hi, lo);
    ASSERT_EQ(wwp_json_snprintf(got, sizeof got, "\\u%04x\\u%04x", hi, lo), w) << v;
    ASSERT_STREQ(got, want) << v;
  }
  for (unsigned v = 0; v <= 0x1FF; ++v) {  // hh keeps the low byte
    for (const char* fmt : {"<U+%.4X>", "%.2hhX", "%x", "%X", "%.0x", "%08x", "%.8X"}) {
      const int w = std::snprintf(want, sizeof want, fmt, v);
      ASSERT_EQ(wwp_json_snprintf(got, sizeof got, fmt, v), w) << fmt << " " << v;
      ASSERT_STREQ(got, want) << fmt << " " << v;
    }
  }
  // Cut short: the same prefix, terminated, and the same return value.
  for (std::size_t n = 0; n <= 8; ++n) {
    std::memset(want, 'z', sizeof want);
    std::memset(got, 'z', sizeof got);
    const int w = std::snprintf(want, n, "\\u%04x", 0x1fu);
    EXPECT_EQ(wwp_json_snprintf(got, n, "\\u%04x", 0x1fu), w) << n;
    EXPECT_EQ(std::memcmp(got, want, sizeof got), 0) << n;
  }
  EXPECT_EQ(wwp_json_snprintf(got, sizeof got, "%d", 1), -1);
  EXPECT_EQ(wwp_json_snprintf(got, sizeof got, "%4x", 1u), -1);
}

}  // namespace
