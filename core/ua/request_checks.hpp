// The request-level MUSTs a UAS checks before a received request may start a
// server transaction (RFC 3261 §8.2). The message parsed and carries Via,
// From, To, Call-ID and a well-formed CSeq (Ua::handle_received checked);
// what is left is whether its parts agree with each other.
//
// Contract:
//  - `check_request(request)` returns {0, ""} when the request may go on to
//    the transaction layer, else the status to answer with and a reason
//    phrase. The caller answers statelessly (no transaction is started, no
//    call sees the request) and never answers an ACK (§17.1.1.3), which it
//    drops instead.
//  - Checked, in this order:
//      * CSeq method equals the request method, case-sensitively (§8.1.1.5
//        "The method MUST match that of the request"; §7.1 methods are
//        case-sensitive) → 400. A mismatched request cannot be matched to a
//        transaction (§17.2.3 matches on the CSeq method).
//      * Max-Forwards, when present, is 1*DIGIT in 0..255 (§20.22, §25.1)
//        → 400. Its absence is tolerated: §8.1.1 makes it mandatory, but a
//        UAS never forwards, §8.2 never looks at it, and refusing a request
//        for it would only lose calls.
//      * The Request-URI scheme is sip, sips or tel (§8.2.2.1: "If the
//        Request-URI uses a scheme not supported by the UAS, it SHOULD reject
//        the request with a 416") → 416. Only the scheme is checked here.
//      * Every option tag in Require is one we support (§8.2.2.3: "If a UAS
//        does not understand an option-tag listed in a Require header field,
//        it MUST respond by generating a response with status code 420 (Bad
//        Extension)") → 420, with `unsupported` listing those tags for the
//        Unsupported header the caller adds. Not for ACK and CANCEL (§8.2.2.3:
//        their Require "MUST be ignored"), nor for a method we do not
//        implement: method inspection comes first (§8.2.1), so that request
//        goes on to its 501.
//  - SIP-Version (505) and Content-Length against the body (400, §18.3) are
//    parse errors (core/msg/parse_error.hpp) and are answered from
//    `status_hint` before a request gets this far.
#pragma once
#include <string>
#include <string_view>

#include "core/msg/message.hpp"

namespace wwp::ua {

struct RequestVerdict {
  int status = 0;            ///< 0: accept; else the 4xx to answer with
  std::string_view reason;   ///< reason phrase for that response
  std::string unsupported;   ///< 420 only: the Unsupported header's value
};

RequestVerdict check_request(const msg::Message& request);

}  // namespace wwp::ua
