// Internal to core/msg: character classes of the RFC 3261 §25.1 ABNF as
// constexpr lookup tables, plus tiny ASCII helpers. No locale is ever
// consulted (std::tolower would), so results are the same in every build.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace wwp::msg::scan {

enum CharClass : std::uint16_t {
  kAlpha = 1 << 0,
  kDigit = 1 << 1,
  kToken = 1 << 2,          // token chars: alphanum / "-" "." "!" "%" "*" "_" "+" "`" "'" "~"
  kUnreserved = 1 << 3,     // alphanum / mark ("-" "_" "." "!" "~" "*" "'" "(" ")")
  kUserUnreserved = 1 << 4, // "&" "=" "+" "$" "," ";" "?" "/"
  kPasswordExtra = 1 << 5,  // "&" "=" "+" "$" ","
  kParamUnreserved = 1 << 6,// "[" "]" "/" ":" "&" "+" "$"
  kHnvUnreserved = 1 << 7,  // "[" "]" "/" "?" ":" "+" "$"
  kHex = 1 << 8,
  kHost = 1 << 9,           // alphanum "-" "." (hostname / IPv4)
  kWord = 1 << 10,          // word chars (§25.1, Call-ID): token plus ( ) < > : \ " / [ ] ? { }
  kLws = 1 << 11,           // SP HTAB CR LF: the bytes LWS (§25.1) is made of
  // CTL (RFC 5234: %x00-1F / %x7F) except HTAB: never legal in a start
  // line, nor in a header line except as the second octet of a quoted-pair
  // (`"\" (%x00-09 / %x0B-0C / %x0E-7F)`, §25.1). CR and LF appear only as
  // the line's CRLF (or a fold, §7.3.1); every other octet of a header value
  // is SP, HTAB, VCHAR (%x21-7E) or UTF8-NONASCII (>= %x80) under
  // TEXT-UTF8char, LWS, token, separators and quoted-string alike.
  // swar::first_ctl (plus a step over HTAB) is the word-at-a-time form the
  // parser's hot loop uses.
  kLineCtl = 1 << 12,
  // qdtext = LWS / %x21 / %x23-5B / %x5D-7E / UTF8-NONASCII (§25.1), LWS
  // here meaning its SP and HTAB (folds are unfolded before a quoted-string
  // is read).
  kQdtext = 1 << 13,
};

namespace detail {
constexpr std::array<std::uint16_t, 256> make_table() {
  std::array<std::uint16_t, 256> t{};
  for (int c = 'a'; c <= 'z'; ++c) t[c] |= kAlpha | kToken | kUnreserved | kHost | kWord;
  for (int c = 'A'; c <= 'Z'; ++c) t[c] |= kAlpha | kToken | kUnreserved | kHost | kWord;
  for (int c = '0'; c <= '9'; ++c) t[c] |= kDigit | kToken | kUnreserved | kHex | kHost | kWord;
  for (int c = 'a'; c <= 'f'; ++c) t[c] |= kHex;
  for (int c = 'A'; c <= 'F'; ++c) t[c] |= kHex;
  for (char c : std::string_view("-.!%*_+`'~")) t[static_cast<unsigned char>(c)] |= kToken | kWord;
  for (char c : std::string_view("-_.!~*'()")) t[static_cast<unsigned char>(c)] |= kUnreserved;
  for (char c : std::string_view("&=+$,;?/")) t[static_cast<unsigned char>(c)] |= kUserUnreserved;
  for (char c : std::string_view("&=+$,")) t[static_cast<unsigned char>(c)] |= kPasswordExtra;
  for (char c : std::string_view("[]/:&+$")) t[static_cast<unsigned char>(c)] |= kParamUnreserved;
  for (char c : std::string_view("[]/?:+$")) t[static_cast<unsigned char>(c)] |= kHnvUnreserved;
  for (char c : std::string_view("-.")) t[static_cast<unsigned char>(c)] |= kHost;
  for (char c : std::string_view("()<>:\\\"/[]?{}")) t[static_cast<unsigned char>(c)] |= kWord;
  for (char c : std::string_view(" \t\r\n")) t[static_cast<unsigned char>(c)] |= kLws;
  for (int c = 0x00; c <= 0x1f; ++c)
    if (c != '\t') t[c] |= kLineCtl;
  t[0x7f] |= kLineCtl;
  for (int c = 0x21; c <= 0x7e; ++c)
    if (c != '"' && c != '\\') t[c] |= kQdtext;
  for (int c = 0x80; c <= 0xff; ++c) t[c] |= kQdtext;
  t[' '] |= kQdtext;
  t['\t'] |= kQdtext;
  return t;
}
inline constexpr std::array<std::uint16_t, 256> kTable = make_table();
}  // namespace detail

inline bool is(char c, std::uint16_t cls) {
  return (detail::kTable[static_cast<unsigned char>(c)] & cls) != 0;
}
inline bool is_token(char c) { return is(c, kToken); }
inline bool is_digit(char c) { return c >= '0' && c <= '9'; }
inline bool is_wsp(char c) { return c == ' ' || c == '\t'; }
// One table load instead of four compares: trim() runs on every header value.
inline bool is_lws_char(char c) { return is(c, kLws); }

inline char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

inline bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i])) return false;
  return true;
}

inline bool all_of(std::string_view s, std::uint16_t cls) {
  for (char c : s)
    if (!is(c, cls)) return false;
  return true;
}
inline bool is_token(std::string_view s) { return !s.empty() && all_of(s, kToken); }

/// Strip SP / HTAB / CR / LF at both ends (LWS, §25.1).
inline std::string_view trim(std::string_view s) {
  std::size_t b = 0, e = s.size();
  while (b < e && is_lws_char(s[b])) ++b;
  while (e > b && is_lws_char(s[e - 1])) --e;
  return s.substr(b, e - b);
}

inline int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/// Parse 1*DIGIT into `out`; false on empty, non-digit or overflow past `max`.
template <class T>
inline bool parse_uint(std::string_view s, T max, T& out) {
  if (s.empty()) return false;
  std::uint64_t v = 0;
  for (char c : s) {
    if (!is_digit(c)) return false;
    v = v * 10 + static_cast<std::uint64_t>(c - '0');
    if (v > static_cast<std::uint64_t>(max)) return false;
  }
  out = static_cast<T>(v);
  return true;
}

}  // namespace wwp::msg::scan

namespace wwp::msg::scan {

/// End of a `host` (§25.1: hostname / IPv4address / IPv6reference) that
/// starts at s[i], or npos if there is none. Hostnames are checked only for
/// their character set, not label structure (RFC 4475 lets odd names through).
inline std::size_t scan_host(std::string_view s, std::size_t i) {
  if (i >= s.size()) return std::string_view::npos;
  if (s[i] == '[') {
    std::size_t j = i + 1;
    while (j < s.size() && (is(s[j], kHex) || s[j] == ':' || s[j] == '.')) ++j;
    if (j == i + 1 || j >= s.size() || s[j] != ']') return std::string_view::npos;
    return j + 1;
  }
  std::size_t j = i;
  while (j < s.size() && is(s[j], kHost)) ++j;
  return j == i ? std::string_view::npos : j;
}

/// Skip LWS (SP, HTAB, CR, LF) from i.
inline std::size_t skip_lws(std::string_view s, std::size_t i) {
  while (i < s.size() && is_lws_char(s[i])) ++i;
  return i;
}

/// Decimal text of a non-negative number (Content-Length, status codes,
/// ports), written into `buf`, without the printf machinery std::to_string
/// may pull into the wasm.
inline std::string_view decimal(std::size_t v, char (&buf)[24]) {
  char* e = buf + sizeof buf;
  char* p = e;
  do {
    *--p = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v != 0);
  return std::string_view(p, static_cast<std::size_t>(e - p));
}

}  // namespace wwp::msg::scan
