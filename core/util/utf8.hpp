// UTF-8 well-formedness (RFC 3629 §4: no overlongs, no UTF-16 surrogates,
// nothing above U+10FFFF), for text the app or the peer hands us that must
// go into XML or JSON: RingCentral's reply text and targets (core/rc) and
// presence documents (core/pres). One copy here, below both.
#pragma once
#include <cstddef>
#include <string_view>

namespace wwp::util {

/// The length of the well-formed UTF-8 sequence at `s[i]` (1 to 4), or 0 when
/// it is not one (a stray continuation byte, an overlong, a surrogate, a
/// truncated sequence). `i` must be < `s.size()`.
std::size_t utf8_length_at(std::string_view s, std::size_t i);

/// True if all of `s` is well-formed UTF-8.
bool is_valid_utf8(std::string_view s);

}  // namespace wwp::util
