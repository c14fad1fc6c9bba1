// DTMF INFO bodies (see dtmf_info.hpp): read leniently where senders differ
// (line ends, spaces, case, extra fields), strictly where a wrong guess would
// report a key nobody pressed (the signal itself, a garbage duration).
#include "core/call/dtmf_info.hpp"

#include "core/msg/header_fields.hpp"
#include "core/msg/scan.hpp"

namespace wwp::call {

namespace scan = msg::scan;

DtmfBody dtmf_body_of(std::string_view content_type) {
  if (content_type.empty()) return DtmfBody::None;
  auto mt = msg::parse_media_type(content_type);
  if (!mt) return DtmfBody::None;
  if (mt->is("application", "dtmf-relay")) return DtmfBody::Relay;
  if (mt->is("application", "dtmf")) return DtmfBody::Plain;
  return DtmfBody::None;
}

char dtmf_send_digit(char c) {
  if (scan::is_digit(c) || c == '*' || c == '#' || (c >= 'A' && c <= 'D')) return c;
  if (c >= 'a' && c <= 'd') return static_cast<char>(c - 32);
  return 0;
}

namespace {
/// A signal: one digit character, or an RFC 4733 §3.2 event code 0-16.
char signal_digit(std::string_view s) {
  if (s == "!") return '!';
  if (s.size() == 1) return dtmf_send_digit(s[0]);
  unsigned code = 0;
  if (s.size() != 2 || !scan::parse_uint(s, 16u, code)) return 0;
  static constexpr char kEvents[] = "0123456789*#ABCD!";  // RFC 4733 Table 3
  return code >= 10 ? kEvents[code] : 0;  // "05" is no event code
}
}  // namespace

Result<DtmfInfo, std::string> parse_dtmf_info(DtmfBody kind, std::string_view body) {
  DtmfInfo out;
  if (kind == DtmfBody::Plain) {
    const std::string_view s = scan::trim(body);
    out.digit = signal_digit(s);
    if (!out.digit) return Err<std::string>{"application/dtmf body is not a DTMF digit"};
    return out;
  }
  bool have_signal = false, have_duration = false;
  while (!body.empty()) {
    const std::size_t eol = body.find_first_of("\r\n");
    std::string_view line = body.substr(0, eol);
    body = eol == std::string_view::npos ? std::string_view{} : body.substr(eol + 1);
    line = scan::trim(line);
    if (line.empty()) continue;
    const std::size_t eq = line.find('=');
    if (eq == std::string_view::npos) return Err<std::string>{"dtmf-relay line without '='"};
    const std::string_view name = scan::trim(line.substr(0, eq));
    const std::string_view value = scan::trim(line.substr(eq + 1));
    if (scan::iequals(name, "Signal")) {
      if (have_signal) return Err<std::string>{"dtmf-relay body has two Signal lines"};
      have_signal = true;
      out.digit = signal_digit(value);
      if (!out.digit) return Err<std::string>{"dtmf-relay Signal is not a DTMF digit"};
    } else if (scan::iequals(name, "Duration")) {
      if (have_duration) return Err<std::string>{"dtmf-relay body has two Duration lines"};
      have_duration = true;
      if (!scan::parse_uint(value, kMaxDtmfDurationMs, out.duration_ms))
        return Err<std::string>{"dtmf-relay Duration is not a number of ms up to 60000"};
    }
  }
  if (!have_signal) return Err<std::string>{"dtmf-relay body has no Signal"};
  return out;
}

std::string dtmf_relay_body(char digit, std::uint32_t duration_ms) {
  return std::string("Signal=") + digit + "\r\nDuration=" + std::to_string(duration_ms) + "\r\n";
}

}  // namespace wwp::call
