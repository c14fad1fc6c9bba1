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

}  // namespace wwp::call
