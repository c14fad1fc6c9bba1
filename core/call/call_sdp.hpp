// The SDP edits the INVITE session makes itself (RFC 3264 §8): hold/unhold
// offers derived from our last local description. Errors are strings for the
// caller's UaError; "Invalid SDP origin" matches ringcentral-web-phone.
#pragma once
#include <string>

#include "core/util/result.hpp"

namespace wwp::call {

/// Our last SDP with every `sendrecv` media turned `sendonly` (hold) or every
/// `sendonly` back to `sendrecv` (unhold), and the o= session version + 1.
Result<std::string, std::string> hold_offer(const std::string& local_sdp, bool hold);

/// RFC 3264 §8: `next`, an SDP we are about to send, continuing our session:
/// the o= line of the last SDP we sent (`prev`, or after a takeover
/// `prev_origin`, that SDP's o= value), its version one higher if anything
/// else changed. The browser numbers its own descriptions and a new tab's
/// peer connection has a new session id; the peer must see one sequence.
/// `next` as it is when there is nothing to continue or something does not
/// parse: the browser's SDP then goes out as it made it, not at all is worse.
std::string continue_session(const std::string& prev, const std::string& prev_origin, std::string next);

/// The o= value of `sdp`, "" if it has none.
std::string origin_of(const std::string& sdp);

}  // namespace wwp::call
