// See json_libc.hpp for why these exist and what they accept.
//
// wwp_json_strtod is the "simple decimal conversion" of Go's strconv
// (decimal.go, after Ken Thompson's and Nigel Tao's descriptions): the digits
// are kept in a decimal buffer and scaled by powers of two, shifting the
// decimal digits, until the value is in [0.5, 1); then 53 bits are shifted
// in and the integer part, rounded half to even, is the significand. It is
// exact whatever the length of the input, because every shift is exact and a
// digit that falls off the 800-digit buffer only ever matters as "a little
// more than what is kept" (`trunc`), which 800 digits are enough to decide
// (a double's exact decimal expansion has at most 767 significant digits).
// It is slower than a fast path plus Eisel-Lemire, and far smaller: no tables
// of powers. JSON INFO bodies are small and rarely hold fractions at all.
#include "core/rc/json_libc.hpp"

#include <cerrno>
#include <climits>
#include <cstdarg>
#include <cstdint>
#include <cstring>

// Helpers in wwp::rc, not the top-level anonymous namespace, so that
// scripts/wasm-size-table.mjs counts them under core/rc.
namespace wwp::rc {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// 0.d[0]d[1]...d[nd-1] × 10^dp, digits as values 0..9.
struct Decimal {
  static constexpr int kMaxDigits = 800;
  std::uint8_t d[kMaxDigits + 1];  // +1: a left shift may write one digit it later drops
  int nd = 0;
  int dp = 0;
  bool trunc = false;  // nonzero digits were dropped past kMaxDigits

  void trim() {
    while (nd > 0 && d[nd - 1] == 0) --nd;
    if (nd == 0) dp = 0;
  }

  // Divides by 2^k, k <= 60 (so that n*10 below fits in 64 bits).
  void right_shift(int k) {
    int r = 0, w = 0;
    std::uint64_t n = 0;
    for (; (n >> k) == 0; ++r) {  // enough leading digits for one output digit
      if (r >= nd) {
        if (n == 0) { nd = 0; return; }
        while ((n >> k) == 0) { n *= 10; ++r; }
        break;
      }
      n = n * 10 + d[r];
    }
    dp -= r - 1;
    const std::uint64_t mask = (std::uint64_t{1} << k) - 1;
    for (; r < nd; ++r) {
      const std::uint64_t digit = n >> k;
      n &= mask;
      d[w++] = static_cast<std::uint8_t>(digit);
      n = n * 10 + d[r];
    }
    while (n > 0) {
      const std::uint64_t digit = n >> k;
      n &= mask;
      if (w < kMaxDigits) d[w++] = static_cast<std::uint8_t>(digit);
      else if (digit > 0) trunc = true;
      n *= 10;
    }
    nd = w;
    trim();
  }

  // Multiplies by 2^k, k <= 60. The product has `delta` or delta-1 more
  // digits, delta = floor(k*log10(2)) + 1 (k*1233>>12 is that floor for any
  // k here); digits are written right to left as if it were delta, and a
  // leading zero is moved out afterwards.
  void left_shift(int k) {
    const int delta = ((k * 1233) >> 12) + 1;
    int w = nd + delta;
    std::uint64_t n = 0;
    auto put = [&](std::uint64_t v) {
      const std::uint64_t quo = v / 10, rem = v - 10 * quo;
      if (--w <= kMaxDigits) d[w] = static_cast<std::uint8_t>(rem);
      else if (rem != 0) trunc = true;
      return quo;
    };
    for (int r = nd - 1; r >= 0; --r) n = put(n + (std::uint64_t{d[r]} << k));
    while (n > 0) n = put(n);
    // w is now 0, or 1 when the product had delta-1 more digits.
    int len = nd + delta - w;
    if (len > kMaxDigits + 1 - w) len = kMaxDigits + 1 - w;
    if (w > 0) std::memmove(d, d + w, static_cast<std::size_t>(len));
    if (len > kMaxDigits) {
      if (d[kMaxDigits] != 0) trunc = true;
      len = kMaxDigits;
    }
    nd = len;
    dp += delta - w;
    trim();
  }

  void shift(int k) {
    if (nd == 0) return;
    for (; k > 60; k -= 60) left_shift(60);
    for (; k < -60; k += 60) right_shift(60);
    if (k > 0) left_shift(k);
    else if (k < 0) right_shift(-k);
  }

  // Should the value, cut after digit `i`, round up? Half to even; a
  // dropped nonzero digit makes an apparent half more than half.
  bool round_up(int i) const {
    if (i < 0 || i >= nd) return false;
    if (d[i] == 5 && i + 1 == nd) return trunc || (i > 0 && d[i - 1] % 2 == 1);
    return d[i] >= 5;
  }

  // The integer part, rounded. Only called with dp <= 20 digits in front.
  std::uint64_t rounded_integer() const {
    std::uint64_t n = 0;
    int i = 0;
    for (; i < dp && i < nd; ++i) n = n * 10 + d[i];
    for (; i < dp; ++i) n *= 10;
    if (round_up(dp)) ++n;
    return n;
  }
};

// Bits of the double nearest to `dec` (IEEE 754 binary64: 52 stored
// significand bits, 11 exponent bits, bias 1023), sign left out. Sets
// `overflow` when that is infinity.
std::uint64_t to_double_bits(Decimal& dec, bool& overflow) {
  constexpr int kMantBits = 52, kExpBits = 11, kBias = -1023;
  // How far to shift so that a number with `dp` digits in front (or that
  // many zeros after the point) moves by at least one decimal place.
  static constexpr std::uint8_t kPowTab[] = {1, 3, 6, 9, 13, 16, 19, 23, 26};
  constexpr int kPowTabSize = sizeof kPowTab;
  std::uint64_t mant = 0;
  int exp = kBias;
  overflow = false;
  if (dec.nd == 0 || dec.dp < -330) {
    // zero (or certainly below half the smallest denormal)
  } else if (dec.dp > 310) {
    overflow = true;
  } else {
    exp = 0;
    while (dec.dp > 0) {
      const int n = dec.dp >= kPowTabSize ? 27 : kPowTab[dec.dp];
      dec.shift(-n);
      exp += n;
    }
    while (dec.dp < 0 || (dec.dp == 0 && dec.d[0] < 5)) {
      const int n = -dec.dp >= kPowTabSize ? 27 : kPowTab[-dec.dp];
      dec.shift(n);
      exp -= n;
    }
    --exp;  // the value is in [0.5, 1); a double's significand is in [1, 2)
    if (exp < kBias + 1) {  // denormal: move to the minimum exponent
      const int n = kBias + 1 - exp;
      dec.shift(-n);
      exp += n;
    }
    if (exp - kBias >= (1 << kExpBits) - 1) {
      overflow = true;
    } else {
      dec.shift(1 + kMantBits);
      mant = dec.rounded_integer();
      if (mant == std::uint64_t{2} << kMantBits) {  // rounding carried into a new bit
        mant >>= 1;
        ++exp;
        if (exp - kBias >= (1 << kExpBits) - 1) overflow = true;
      }
      if ((mant & (std::uint64_t{1} << kMantBits)) == 0) exp = kBias;  // denormal
    }
  }
  if (overflow) {
    mant = 0;
    exp = (1 << kExpBits) - 1 + kBias;
  }
  return (mant & ((std::uint64_t{1} << kMantBits) - 1)) |
         (static_cast<std::uint64_t>((exp - kBias) & ((1 << kExpBits) - 1)) << kMantBits);
}

// Reads `-?digits` in base 10 into its magnitude; false if it does not fit
// in 64 bits. `*p` ends past the digits; `digits` says whether there were any.
bool read_u64(const char*& p, bool& negative, bool& digits, std::uint64_t& value) {
  negative = *p == '-';
  if (negative) ++p;
  value = 0;
  bool fits = true;
  digits = is_digit(*p);
  for (; is_digit(*p); ++p) {
    const unsigned digit = static_cast<unsigned>(*p - '0');
    if (value > (UINT64_MAX - digit) / 10) fits = false;
    value = value * 10 + digit;
  }
  return fits;
}

}  // namespace
}  // namespace wwp::rc

using wwp::rc::Decimal;
using wwp::rc::is_digit;
using wwp::rc::read_u64;
using wwp::rc::to_double_bits;

extern "C" double wwp_json_strtod(const char* s, char** end) {
  const char* p = s;
  Decimal dec;
  const bool negative = *p == '-';
  if (negative) ++p;
  bool any = false;
  auto add = [&](char c) {
    if (dec.nd < Decimal::kMaxDigits) dec.d[dec.nd++] = static_cast<std::uint8_t>(c - '0');
    else if (c != '0') dec.trunc = true;
  };
  for (; is_digit(*p); ++p) {  // integer part: each significant digit moves the point
    any = true;
    if (dec.nd == 0 && *p == '0') continue;
    add(*p);
    ++dec.dp;
  }
  if (*p == '.' && (any || is_digit(p[1]))) {  // "1." and ".5" as in C; JSON has neither
    for (++p; is_digit(*p); ++p) {  // fraction: leading zeros move it the other way
      any = true;
      if (dec.nd == 0 && *p == '0') { --dec.dp; continue; }
      add(*p);
    }
  }
  if (!any) {
    if (end) *end = const_cast<char*>(s);
    return 0.0;
  }
  if (*p == 'e' || *p == 'E') {
    const char* q = p + 1;
    const bool exp_negative = *q == '-';
    if (*q == '-' || *q == '+') ++q;
    if (is_digit(*q)) {
      int e = 0;
      for (; is_digit(*q); ++q)
        if (e < 10000) e = e * 10 + (*q - '0');  // beyond that it is 0 or inf anyway
      dec.dp += exp_negative ? -e : e;
      p = q;
    }
  }
  if (end) *end = const_cast<char*>(p);
  dec.trim();
  const bool nonzero = dec.nd > 0;
  bool overflow = false;
  std::uint64_t bits = to_double_bits(dec, overflow);
  if (overflow || (nonzero && (bits << 1) == 0)) errno = ERANGE;
  if (negative) bits |= std::uint64_t{1} << 63;
  double out;
  std::memcpy(&out, &bits, sizeof out);
  return out;
}

extern "C" unsigned long long wwp_json_strtoull(const char* s, char** end, int /*base: 10*/) {
  const char* p = s;
  bool negative = false, digits = false;
  std::uint64_t v = 0;
  const bool fits = read_u64(p, negative, digits, v);
  if (end) *end = const_cast<char*>(digits ? p : s);
  if (!fits) {
    errno = ERANGE;
    return ULLONG_MAX;
  }
  return negative ? 0 - v : v;
}

extern "C" long long wwp_json_strtoll(const char* s, char** end, int /*base: 10*/) {
  const char* p = s;
  bool negative = false, digits = false;
  std::uint64_t v = 0;
  const bool fits = read_u64(p, negative, digits, v);
  if (end) *end = const_cast<char*>(digits ? p : s);
  const std::uint64_t limit = negative ? std::uint64_t{LLONG_MAX} + 1 : std::uint64_t{LLONG_MAX};
  if (!fits || v > limit) {
    errno = ERANGE;
    return negative ? LLONG_MIN : LLONG_MAX;
  }
  return negative ? static_cast<long long>(0 - v) : static_cast<long long>(v);
}

extern "C" int wwp_json_snprintf(char* buf, std::size_t n, const char* format, ...) {
  std::va_list args;
  va_start(args, format);
  std::size_t len = 0;  // of the whole text; what fits in n-1 is stored
  auto put = [&](char c) {
    if (len + 1 < n) buf[len] = c;
    ++len;
  };
  bool ok = true;
  for (const char* f = format; *f && ok; ++f) {
    if (*f != '%') { put(*f); continue; }
    ++f;
    const bool zero = *f == '0';
    if (zero) ++f;
    int width = 0, precision = -1;
    for (; is_digit(*f); ++f) width = width * 10 + (*f - '0');
    if (*f == '.')
      for (precision = 0, ++f; is_digit(*f); ++f) precision = precision * 10 + (*f - '0');
    unsigned mask = ~0u;
    if (*f == 'h') {
      ++f;
      mask = 0xFFFF;
      if (*f == 'h') { ++f; mask = 0xFF; }
    }
    // Width only as zero padding, and not with a precision (C would then pad
    // with spaces): nlohmann's formats need neither.
    if ((*f != 'x' && *f != 'X') || (width > 0 && (!zero || precision >= 0))) { ok = false; break; }
    const char* hex = *f == 'x' ? "0123456789abcdef" : "0123456789ABCDEF";
    unsigned v = va_arg(args, unsigned) & mask;
    char tmp[8];
    int k = 0;
    for (; v != 0; v >>= 4) tmp[k++] = hex[v & 15];
    // At least `precision` digits (default 1; "%.0x" of 0 is empty, C11
    // 7.21.6.1p8), or `width` with the '0' flag.
    const int min_digits = precision >= 0 ? precision : width > 1 ? width : 1;
    for (int i = k; i < min_digits; ++i) put('0');
    while (k > 0) put(tmp[--k]);
  }
  va_end(args);
  if (!ok) return -1;
  if (n > 0) buf[len < n ? len : n - 1] = '\0';
  return static_cast<int>(len);
}
