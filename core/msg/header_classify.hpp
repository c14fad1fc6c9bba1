// Internal to core/msg: `HeaderId` from a header name held in two 64-bit
// words (swar.hpp), so the view parser classifies a name with a length
// switch and one or two integer compares instead of byte-wise
// case-insensitive string compares. `classify_header` (header_names.cpp)
// and the parser both end here, so there is one table of names.
#pragma once
#include <cstddef>
#include <cstdint>

#include "core/msg/header_names.hpp"
#include "core/msg/swar.hpp"

namespace wwp::msg::detail {

/// `w0` / `w1` are bytes 0..7 / 8..15 of a name of `len` bytes (bytes past
/// `len` may be anything), with ASCII letters already lower-cased. Header
/// names are case-insensitive (RFC 3261 §7.3.1); a one-letter name is a
/// compact form (§7.3.3).
inline HeaderId classify_lower_words(std::uint64_t w0, std::uint64_t w1, std::size_t len) {
  using swar::keep;
  using swar::pack;
  switch (len) {
    case 1:
      switch (static_cast<char>(w0 & 0xff)) {
        case 'i': return HeaderId::CallId;
        case 'm': return HeaderId::Contact;
        case 'l': return HeaderId::ContentLength;
        case 'c': return HeaderId::ContentType;
        case 'f': return HeaderId::From;
        case 't': return HeaderId::To;
        case 'v': return HeaderId::Via;
        default: return HeaderId::Other;
      }
    case 2:
      return (w0 & keep(2)) == pack("to", 2) ? HeaderId::To : HeaderId::Other;
    case 3:
      return (w0 & keep(3)) == pack("via", 3) ? HeaderId::Via : HeaderId::Other;
    case 4: {
      const std::uint64_t v = w0 & keep(4);
      if (v == pack("from", 4)) return HeaderId::From;
      if (v == pack("cseq", 4)) return HeaderId::CSeq;
      return HeaderId::Other;
    }
    case 5:
      return (w0 & keep(5)) == pack("route", 5) ? HeaderId::Route : HeaderId::Other;
    case 7: {
      const std::uint64_t v = w0 & keep(7);
      if (v == pack("call-id", 7)) return HeaderId::CallId;
      if (v == pack("contact", 7)) return HeaderId::Contact;
      return HeaderId::Other;
    }
    case 12: {
      const std::uint64_t v = w1 & keep(4);
      if (w0 == pack("content-", 8) && v == pack("type", 4)) return HeaderId::ContentType;
      if (w0 == pack("max-forw", 8) && v == pack("ards", 4)) return HeaderId::MaxForwards;
      if (w0 == pack("record-r", 8) && v == pack("oute", 4)) return HeaderId::RecordRoute;
      return HeaderId::Other;
    }
    case 14:
      return (w0 == pack("content-", 8) && (w1 & keep(6)) == pack("length", 6))
                 ? HeaderId::ContentLength
                 : HeaderId::Other;
    default:
      return HeaderId::Other;
  }
}

/// As above for a name whose bytes are all `token` characters (§25.1), read
/// straight from `p`; at least 16 bytes must be readable at `p`. `| 0x20`
/// lower-cases letters, and no other token byte becomes a letter or "-"
/// (only CR would become "-"), so the compares stay exact.
inline HeaderId classify_token_at(const char* p, std::size_t len) {
  constexpr std::uint64_t kFold = swar::kOnes * 0x20;
  if (len > 16) return HeaderId::Other;
  return classify_lower_words(swar::load(p) | kFold, swar::load(p + 8) | kFold, len);
}

}  // namespace wwp::msg::detail
