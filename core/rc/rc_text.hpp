// Text checks and escaping shared by the RC XML and JSON builders, and usable
// by other modules that put user-supplied targets on the wire (REFER targets).
//
// Why these exist: reply text and forward/flip/transfer targets come from the
// application. They end up in XML attributes, JSON strings and, for targets,
// possibly in SIP URIs and headers. Escaping makes XML/JSON safe; a CR, LF or
// NUL can never be made safe in a SIP header, so such input is refused with
// an error before anything is built (house style §11(b)).
#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "core/rc/rc_error.hpp"

namespace wwp::rc {

/// True if `s` is well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF).
bool is_valid_utf8(std::string_view s);

/// Checks free text that will go into an XML attribute (reply text, our
/// authorizationId): valid UTF-8, no C0 control character except TAB (CR, LF
/// and NUL included), no DEL. Empty text is allowed.
/// Returns nullopt if fine, else RcErrorCode::InvalidText with detail =
/// `field`.
std::optional<RcError> check_user_text(std::string_view field, std::string_view text);

/// Checks a forward/flip/transfer target: non-empty, valid UTF-8, no control
/// character at all (C0 incl. TAB/CR/LF/NUL, and DEL). It does NOT make the
/// target URI-safe: a caller that builds a SIP URI from it must still escape
/// it for that context. Returns nullopt if fine, else
/// RcErrorCode::InvalidTarget with detail = `field`.
std::optional<RcError> check_target(std::string_view field, std::string_view target);

/// Escapes an XML attribute value the way the SDK's builder does:
/// `& < > " '` -> `&amp; &lt; &gt; &quot; &apos;`. Additionally TAB, LF and
/// CR (which only parsed input can contain; builders refuse them) become
/// `&#9; &#10; &#13;` so that a parse -> to_xml round trip is exact instead
/// of being normalised to spaces by the next reader (XML 1.0 §3.3.3).
std::string xml_escape_attr(std::string_view value);

}  // namespace wwp::rc
