// DTMF carried by SIP INFO (the de-facto "legacy INFO usage" of RFC 6086
// §2: no Info-Package, the Content-Type says what the body is). Two bodies
// are in use:
//
//   application/dtmf-relay   (Cisco's, the common one)
//       Signal=5\r\n
//       Duration=160\r\n
//   application/dtmf         (the digit alone)
//       5
//
// A signal is `0-9 * # A-D` (lower case a-d accepted), or the RFC 4733 §3.2
// event code of one of them (`10` = `*`, `11` = `#`, `12`-`15` = `A`-`D`),
// or flash: `16` or `!`, reported as `!`. Nothing here touches the call;
// core/call/call_in_dialog.cpp answers the INFO and reports the digit.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include "core/util/result.hpp"

namespace wwp::call {

/// Which DTMF body a Content-Type value names; None for anything else
/// (those INFOs keep their old path: 200 and the app's inboundMessage).
enum class DtmfBody { None, Relay, Plain };
DtmfBody dtmf_body_of(std::string_view content_type);

/// One key press as the INFO reported it.
struct DtmfInfo {
  char digit = 0;                ///< `0-9 * # A-D`, or `!` for flash
  std::uint32_t duration_ms = 0;  ///< 0 when the body gave no Duration
};

/// Longest Duration we take, ms; a longer one is malformed (no key is held
/// for a minute; a huge number is garbage or an attack on someone's int).
constexpr std::uint32_t kMaxDtmfDurationMs = 60000;

/// Read the body of a DTMF INFO. Errors (the text becomes the Dropped
/// reason; the INFO gets 400): no Signal, two Signals, a signal that is not
/// a DTMF digit, a Duration that is not a number up to kMaxDtmfDurationMs,
/// a dtmf-relay line without `=`. Lines may end in CRLF, LF or CR; spaces
/// and tabs around names and values are ignored, names are case-insensitive,
/// unknown names (e.g. Cisco's `Volume=`) are skipped.
Result<DtmfInfo, std::string> parse_dtmf_info(DtmfBody kind, std::string_view body);

/// The digit (`0-9 * # A-D`, `a-d` upper-cased) as our INFOs send it, or 0
/// when `c` is none of those (flash is not sent).
char dtmf_send_digit(char c);

/// `Signal=<digit>\r\nDuration=<ms>\r\n`, an application/dtmf-relay body.
std::string dtmf_relay_body(char digit, std::uint32_t duration_ms);

}  // namespace wwp::call
