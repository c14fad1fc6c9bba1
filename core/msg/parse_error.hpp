// Errors of the message layer (RFC 3261 §7, §19, §20, §25): one value type
// shared by the message parser, the stream framer, the URI parser and the
// header-field helpers. Malformed remote input is never fatal (house style
// §11a): every parser here returns a `ParseError` instead of throwing or
// asserting.
//
// What the caller must do, per code (house style §12):
//  - `Incomplete`: not an error on a byte stream: feed more bytes. On a single
//    WebSocket frame or datagram it means the frame was truncated (or
//    Content-Length is larger than the body, RFC 4475 §3.1.2.2 "clerr"):
//    drop the frame; a request may get 400 if enough of it parsed.
//  - `Empty`: the input held only CRLFs (a keep-alive, RFC 3261 §7.5 and
//    RFC 5626 §3.5.1): not an error; answer a double-CRLF ping with a CRLF
//    pong if the transport wants it, otherwise ignore.
//  - `TooLarge`, `TooManyHeaders`, `LineTooLong`: a configured limit was
//    hit; drop the message (a server answers a request with 513, see
//    `status_hint`), on a stream close the connection (§18.3: framing is lost).
//  - every other code: the message is malformed; drop it, or answer a
//    request with 400 (`status_hint`; 505 for `BadVersion`, 416 for
//    `UnsupportedScheme`). `offset` is the byte where parsing stopped, for
//    logs only; for `BadChar` it is the offending octet itself.
//    `Ua::handle_received` sends that reply when the request's Via, From,
//    To, Call-ID and CSeq can still be read (`salvage_reply_headers`).
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

namespace wwp::msg {

enum class ParseErrorCode {
  Incomplete,        ///< need more bytes (headers unterminated, body short)
  Empty,             ///< only CRLF keep-alives
  BadStartLine,      ///< Request-Line / Status-Line malformed (§7.1, §7.2)
  BadMethod,         ///< Method is not a token (§25.1)
  BadRequestUri,     ///< Request-URI is not `scheme ":" ...` (§7.1, §19)
  BadVersion,        ///< SIP-Version other than SIP/2.0 (§7.1)
  BadStatus,         ///< Status-Code not 3 digits in 100..699 (§7.2)
  BadHeader,         ///< header line without a token name and HCOLON (§7.3)
  BadContentLength,  ///< non-numeric, overflowing or conflicting (§20.14)
  MissingContentLength,  ///< on a stream transport Content-Length is mandatory (§18.3)
  TooLarge,          ///< message larger than ParseLimits::max_message_size
  TooManyHeaders,    ///< more than ParseLimits::max_headers header fields
  LineTooLong,       ///< a line longer than ParseLimits::max_line_length
  BadUri,            ///< SIP/SIPS/tel URI malformed (§19.1, §25.1, RFC 3966)
  UnsupportedScheme, ///< a well-formed absoluteURI we do not parse (→ 416)
  BadParam,          ///< `;name=value` list malformed (§25.1 generic-param)
  BadNameAddr,       ///< name-addr / addr-spec malformed (§20.10, §25.1)
  BadVia,            ///< via-parm malformed (§20.42)
  BadCSeq,           ///< CSeq not `1*DIGIT LWS Method` in 32 bits (§8.1.1.5)
  BadMediaType,      ///< Content-Type not `type "/" subtype *(;param)` (§20.15)
  MissingHeader,     ///< a mandatory header is absent (§8.1.1)
  /// An octet the grammar does not allow where it stands: a control
  /// character (NUL, a bare CR not followed by LF, DEL, ...) in the start
  /// line or a header line (§25.1, RFC 5234 CTL). `offset` is that octet.
  /// Appended last so the numeric values of the codes above stay stable
  /// (wasm/parse_abi.cpp returns them).
  BadChar,
};

struct ParseError {
  ParseErrorCode code = ParseErrorCode::BadHeader;
  std::size_t offset = 0;  ///< byte offset in the parsed input where it failed
  /// For `Incomplete` only: total bytes the message needs when known (the
  /// header section parsed and Content-Length was read), else 0.
  std::size_t needed = 0;
};

/// Stable lower-case name, e.g. "bad-start-line".
std::string_view to_string(ParseErrorCode code);
/// "bad-start-line at byte 12".
std::string to_string(const ParseError& e);
/// The SIP response a server should send for a malformed request with this
/// error (400, 413, 416, 513), or 0 if none should be sent (Incomplete, Empty).
int status_hint(ParseErrorCode code);

}  // namespace wwp::msg
