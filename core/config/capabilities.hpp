// What this UA implements, said the way SIP says it: the methods it allows
// (RFC 3261 §20.5 Allow) and the extensions it supports (§20.37 Supported;
// option tags, §19.2). One list each, used both for the headers we send and
// for checking what we receive: a request's Require may only name an option
// listed here, else it is refused with 420 Bad Extension (§8.2.2.3).
#pragma once
#include <string_view>

namespace wwp::config {

/// §20.5 Allow: in REGISTER, OPTIONS answers and 501 refusals.
inline constexpr std::string_view kAllow =
    "INVITE, ACK, CANCEL, BYE, OPTIONS, MESSAGE, INFO, NOTIFY, REFER, UPDATE";

/// §20.37 Supported: RFC 3891 Replaces (attended transfer, call pickup) and
/// RFC 4028 session timers. Not 100rel (RFC 3262 reliable provisionals):
/// we never ask for it, and a request that requires it gets 420.
inline constexpr std::string_view kSupported = "replaces, timer";

/// Whether `tag` is one of kSupported's option tags. ASCII case-insensitive:
/// §19.2 does not say, and peers differ; a tag we implement under another
/// spelling is still the option we implement.
bool supports_option(std::string_view tag);

/// Whether `method` is in kAllow (methods are case-sensitive, §7.1).
bool allows_method(std::string_view method);

}  // namespace wwp::config
