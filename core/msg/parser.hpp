// SIP message parsing (RFC 3261 §7, §25): a zero-allocation view parser for
// the hot path and an owning `parse()` built on it.
//
// Contract:
//  - `parse_view*` never allocates on its own: a `MessageView` holds
//    string_views into the caller's bytes, which must outlive the view. The
//    header vector is cleared, not freed, so reusing one `MessageView`
//    (`parse_view_into`) costs no allocation after the first message.
//  - One input = one frame (a WebSocket message or a UDP datagram). Leading
//    CRLFs are skipped (keep-alives, §7.5). If Content-Length is present it
//    governs the body in bytes (§18.3, §20.14) and trailing bytes are not part
//    of the message (`MessageView::size` says where it ended; RFC 4475
//    "dblreq"); if absent, the body is the rest of the frame (§18.3 permits
//    this for message-oriented transports). Streams use `StreamFramer`.
//  - Header values in a view are raw: trimmed, but a folded value (§7.3.1)
//    still contains its CRLF+WSP and has `folded` set; `unfold()` collapses it.
//    `parse()` stores unfolded values.
//  - Errors are values (`ParseError`); nothing throws or asserts on input.
//
// What is checked here (framing and start line): SIP-Version is SIP/2.0
// (case-insensitive, §7.1), Method is a token, Request-URI is
// `scheme ":" 1*non-space` without LWS or <> (RFC 4475 ltgtruri/lwsruri),
// single SP between Request-Line parts (lwsstart/trws), Status-Code is 3 digits
// 100..699, header names are tokens followed by HCOLON, Content-Length is
// 1*DIGIT and consistent, and no start line or header line holds a control
// character other than HTAB and its own CRLF (`BadChar`, §25.1: NUL, a bare
// CR, DEL; see scan::kLineCtl), except a header value's quoted-pair, which
// may escape any CTL but CR and LF. The body is octets and is not checked. Header *values* are not parsed here; use
// uri.hpp / header_fields.hpp on demand (layered, like the RFC).
#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/msg/header_names.hpp"
#include "core/msg/message.hpp"
#include "core/msg/parse_error.hpp"
#include "core/util/result.hpp"

namespace wwp::msg {

/// Resource limits; each breach has its own ParseErrorCode. Every limit is
/// inclusive: a message, line or header count exactly at the limit parses,
/// one more is refused.
///
/// The defaults are what the SDK applies to every received frame:
/// `Ua::handle_received` parses each WebSocket frame with `ParseLimits{}`,
/// and nothing before it caps a frame (the JS shim writes a frame of any size
/// into linear memory, js/core/abi.ts `writeFrame`; browsers have no
/// WebSocket message limit of their own). So `max_message_size` *is* the
/// SDK's frame limit, and a larger frame is dropped as `TooLarge`.
///  - `max_line_length` 64 KiB: RFC 3261 sets no line limit, and real
///    traffic carries long lines (a Route/Record-Route set or a
///    P-Asserted-Identity list through several proxies, a large
///    Authorization or Identity header); 8 KiB refused some.
///  - `max_message_size` 128 KiB: twice the line limit, so a message holding
///    one maximal line still has 64 KiB for its other headers and body
///    (SDP offers with many candidates are 2-10 KiB). It bounds what one
///    frame may cost: the frame's copy in linear memory plus the Message's
///    one copy of its bytes (core/msg/message.hpp).
///  - `max_headers` 128: a REGISTER 200 with every binding of a busy AOR is
///    well under it.
struct ParseLimits {
  std::size_t max_message_size = 128 * 1024;  ///< start line to end of body (TooLarge)
  std::size_t max_headers = 128;              ///< header fields (TooManyHeaders)
  std::size_t max_line_length = 64 * 1024;    ///< one physical line, CRLF excluded (LineTooLong)
  /// Stream transports (§18.3): a message without Content-Length is an error
  /// (`MissingContentLength`) instead of "body = rest of input".
  bool require_content_length = false;
};

/// One header field as it appeared on the wire.
struct HeaderView {
  std::string_view name;   ///< as received ("v", "Call-ID", "call-id")
  std::string_view value;  ///< trimmed; still folded if `folded`
  HeaderId id = HeaderId::Other;
  bool folded = false;     ///< value spans continuation lines (§7.3.1)
};

/// A parsed message as views into the input bytes.
struct MessageView {
  std::string_view start_line;   ///< without CRLF
  std::string_view method;       ///< requests only
  std::string_view request_uri;  ///< requests only
  std::string_view version;      ///< as written, e.g. "SIP/2.0" or "sip/2.0"
  int status = 0;                ///< responses only, else 0
  std::string_view reason;       ///< responses only; may be empty
  std::vector<HeaderView> headers;  ///< wire order; capacity reused
  std::string_view body;
  std::optional<std::size_t> content_length;  ///< value of Content-Length if present
  std::size_t offset = 0;  ///< bytes of leading CRLF skipped before the start line
  std::size_t size = 0;    ///< bytes consumed from the input, including `offset`

  bool is_request() const { return status == 0; }
  bool is_response() const { return status != 0; }
  /// First header with this id (compact and long forms alike), or nullptr.
  const HeaderView* find(HeaderId id) const;
  /// First header with this name (case-insensitive, compact-form aware).
  const HeaderView* find(std::string_view name) const;
};

/// Parse one message into `out`, reusing its header storage. Returns the
/// number of bytes consumed (`out.size`). On error `out` is unspecified.
Result<std::size_t, ParseError> parse_view_into(std::string_view bytes, MessageView& out,
                                                const ParseLimits& limits = {});
/// As `parse_view_into` with a fresh view (one allocation for the header
/// vector, none per header).
Result<MessageView, ParseError> parse_view(std::string_view bytes,
                                           const ParseLimits& limits = {});

/// Owning parse: view parse, then copy into a `Message` with folded values
/// collapsed to one SP (§7.3.1).
Result<Message, ParseError> parse(std::string_view bytes, const ParseLimits& limits = {});
/// Materialise a view (what `parse()` does after `parse_view`).
Message to_message(const MessageView& view);
/// The same into an existing message (its storage is reused; what it held is replaced).
void to_message_into(const MessageView& view, Message& out);

/// Collapse folding: every `*WSP CRLF 1*WSP` (or bare LF) becomes one SP.
std::string unfold(std::string_view folded_value);

/// RFC 3261 §8.1.1: the six header fields every request must carry (To, From,
/// CSeq, Call-ID, Max-Forwards, Via); responses need all but Max-Forwards.
/// Returns `MissingHeader` with `offset` = 0 if one is absent (RFC 4475
/// "insuf"). Not called by `parse()`: a proxy or a 400 builder may want the
/// message anyway.
std::optional<ParseError> check_mandatory_headers(const Message& m);

}  // namespace wwp::msg
