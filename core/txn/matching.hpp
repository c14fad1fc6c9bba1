// Transaction matching keys (RFC 3261 §17.1.3 client side, §17.2.3 server
// side). A key is an opaque string; two messages belong to the same
// transaction exactly when their keys are equal.
#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "core/msg/message.hpp"

namespace wwp::txn {

/// RFC 3261 §8.1.1.7 magic cookie: branches starting with it are unique.
inline constexpr std::string_view kMagicCookie = "z9hG4bK";

/// §17.1.3: "the branch parameter in the top Via header field" plus "the
/// method parameter in the CSeq header field". Works for the request we send
/// and for the responses to it (so a CANCEL, which reuses the INVITE's branch
/// (§9.1), gets its own key). nullopt if the top Via or CSeq does not parse or
/// the branch is empty.
std::optional<std::string> client_key(const msg::Message& m);
/// The same into `key` (its capacity reused: matching every received
/// response then allocates nothing); false where client_key is nullopt.
bool client_key_into(const msg::Message& m, std::string& key);

/// §17.2.3 for a received request: top-Via branch + sent-by + method, where
/// ACK counts as INVITE ("the method of the request matches the one that
/// created the transaction, except for ACK"). `as_method` overrides the
/// method (CANCEL matching looks for the INVITE key, §9.2). A branch without
/// the magic cookie falls back to the RFC 2543 fields (Request-URI, From tag,
/// Call-ID, CSeq number, top Via); the To tag is left out so that an ACK for a
/// non-2xx still matches its INVITE. nullopt if Via or CSeq does not parse.
std::optional<std::string> server_key(const msg::Message& request, std::string_view as_method = {});

}  // namespace wwp::txn
