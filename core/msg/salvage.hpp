// Reading what a reply needs out of a request the parser refused.
//
// RFC 3261 §8.2 and §21.4 ask a UAS to answer a malformed request (400, or
// 505 for a version it does not speak, 513 when it is too large, §18.3's 400
// for a body shorter than Content-Length), and a reply can only be built from
// the request's Via, From, To, Call-ID and CSeq (§8.2.6.2). When
// `parse_view` fails, those five may still be readable: the error is often
// in another header, in the body framing or in the SIP-Version.
//
// Contract:
//  - `salvage_reply_headers(frame)` returns a request carrying only the
//    start line's method and those five headers (every Via, in order), ready
//    for `msg::make_reply`, or nullopt when no reply may be built. It never
//    reads more than `max_bytes` and never allocates per byte.
//  - nullopt when the frame is not a request (responses are never answered,
//    §8.1.3.3), when the method or CSeq method is ACK (§17.1.1.3: an ACK is
//    never answered), when any of the five is missing, when the CSeq does not
//    parse, or when any of the five holds an octet a header line may not hold
//    (scan::kLineCtl) or is folded: the reply would echo those bytes, and a
//    reply must never carry what the parser refused.
//  - Lines are LF-terminated (a CR before the LF is dropped); the header
//    section ends at the first empty line or the first line without an LF.
//    Lines other than the five are skipped unread, whatever they hold.
#pragma once
#include <cstddef>
#include <optional>
#include <string_view>

#include "core/msg/message.hpp"

namespace wwp::msg {

std::optional<Message> salvage_reply_headers(std::string_view frame, std::size_t max_bytes);

}  // namespace wwp::msg
