// Requests and responses written by the application (`sipClient.request()`,
// `reply()`, `send()`, spec §2.8). The app hands over a whole message as
// text; the core parses it, checks it can be sent as-is, fills in what
// RFC 3261 §8.1.1 requires and the app may have left out, and refuses what
// another machine owns (INVITE, ACK and CANCEL belong to calls, REGISTER to
// the registration) with a clear error instead of corrupting their state.
#pragma once
#include <string_view>

#include "core/config/config.hpp"
#include "core/msg/message.hpp"
#include "core/util/rng.hpp"
#include "core/util/status.hpp"

namespace wwp::ua {

/// Parse the app's text (`what` names the API in the error: "request()").
Result<msg::Message, UaError> parse_app_message(std::string_view text, const char* what);

/// A request ready for a non-INVITE client transaction: mandatory
/// headers present (Call-ID, CSeq matching the method, From, To), a top Via
/// with an RFC 3261 branch (ours is added when the app gave no Via) and
/// Max-Forwards (70 when absent, §8.1.1.6).
Result<msg::Message, UaError> prepare_app_request(msg::Message m, const Config& config, Rng& rng);

/// A response the app wants to send: the headers that tie it to a request
/// (Via, Call-ID, CSeq, From, To) are present.
Status check_app_response(const msg::Message& m);

}  // namespace wwp::ua
