// Building a response to a request (RFC 3261 §8.2.6.2): copy Via (all of
// them, in order), From, Call-ID and CSeq; copy To and add our tag if it has
// none. Header names are echoed in the request's own spelling, which
// ringcentral-web-phone's server contract relies on (spec §3.7).
#pragma once
#include <string_view>

#include "core/msg/message.hpp"

namespace wwp::msg {

/// `to_tag` is added to To unless To already carries a tag or `to_tag` is
/// empty (100 Trying never adds one, RFC 3261 §8.2.6.1).
Message make_reply(const Message& request, int status, std::string_view to_tag = {},
                     std::string_view reason = {});

}  // namespace wwp::msg
