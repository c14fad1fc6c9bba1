// Where a SIP message carries its session description (RFC 3261 §13.2.1 and
// §20.15; RFC 5621, message bodies in SIP): the whole body when it is
// application/sdp (or has no Content-Type), or the application/sdp part of a
// multipart body (RFC 2046 §5.1). Gateways that interwork with the telephone
// network (SIP-I/SIP-T, RFC 3204) send multipart/mixed: the SDP beside an
// ISUP part marked `Content-Disposition: signal;handling=optional`.
//
// Contract:
//  - `sdp_body(m)` returns:
//      * "" when the message has no body (no offer, or no answer in it);
//      * the SDP text, viewing into `m`;
//      * nullopt when there is a body and no SDP we can read in it: another
//        type, a multipart without a boundary or without an application/sdp
//        part, or one whose delimiters do not parse. An INVITE like that is
//        refused 415 with `Accept: kAcceptedBodies` (§8.2.3, §21.4.13).
//  - A multipart body is searched one level deep; its first application/sdp
//    part wins. Other parts are ignored (RFC 5621 §3.2 lets a UA ignore an
//    optional part it does not understand), unless one says
//    `Content-Disposition: …;handling=required`: then the body is one we
//    cannot accept (nullopt). A part without a handling parameter counts as
//    optional, although §20.11 makes "required" the default: the SDP beside
//    it is still worth ringing for.
//  - A multipart body must end with its closing delimiter (else nullopt).
//  - Delimiter lines end in CRLF or in a bare LF (tolerated); the line break
//    before a delimiter belongs to the delimiter, not to the part (§5.1.1).
#pragma once
#include <optional>
#include <string_view>

#include "core/msg/message.hpp"

namespace wwp::sdp {

/// The Accept value for a refused body: what `sdp_body` can read.
inline constexpr std::string_view kAcceptedBodies = "application/sdp, multipart/mixed";

std::optional<std::string_view> sdp_body(const msg::Message& m);

/// The same for a body and its Content-Type value (tests, fuzzing).
std::optional<std::string_view> sdp_body(std::string_view content_type, std::string_view body);

}  // namespace wwp::sdp
