// A small, lossless SDP model (RFC 4566).
//
// Contract:
//  - `parse()` accepts LF or CRLF line ends (RFC 4566 §5 requires CRLF but
//    says parsers "SHOULD" accept LF too) and keeps every line verbatim and in
//    order, including lines and attributes it does not understand, so
//    `to_string(parse(x)) == x` for any valid CRLF-terminated `x`, and
//    `parse(to_string(d)) == d` for every parsed `d`. Trailing empty lines are
//    dropped; an empty line anywhere else is an error.
//  - `to_string()` always writes CRLF after every line (§5).
//  - Checked: `v=0` first (§5.1); every line is `<letter>=<value>` with no NUL
//    or bare CR; exactly one valid `o=` and one `s=` at session level
//    (§5.2–§5.3); every `m=` is `media port[/n] proto fmt...` (§5.14). The
//    other line types are kept as text and interpreted only by the helpers
//    that need them (media_direction.hpp, offer_answer.hpp).
//  - A missing or malformed origin yields `SdpErrorCode::BadOrigin` with the
//    message "Invalid SDP origin" (the text ringcentral-web-phone throws).
//  - Nothing throws; no input can crash the parser (fuzzed:
//    tests/fuzz/fuzz_sdp.cpp).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <string_view>
#include <vector>

#include "core/sdp/sdp_error.hpp"
#include "core/util/result.hpp"

namespace wwp::sdp {

/// One `<type>=<value>` line, value verbatim (no line end).
struct SdpLine {
  char type = 0;
  std::string value;
};
bool operator==(const SdpLine& a, const SdpLine& b);
bool operator!=(const SdpLine& a, const SdpLine& b);

/// `o=<username> <sess-id> <sess-version> <nettype> <addrtype> <unicast-address>`
/// (§5.2). Id and version are kept as decimal strings: they may exceed 64
/// bits ("SHOULD be an NTP format timestamp"; Chrome uses 63-bit randoms).
struct Origin {
  std::string username;
  std::string session_id;
  std::string session_version;
  std::string nettype;
  std::string addrtype;
  std::string address;
  std::string to_string() const;  ///< the line value, without "o="
};
/// Parse an `o=` value. Error BadOrigin "Invalid SDP origin".
Result<Origin, SdpError> parse_origin(std::string_view value);

/// One media description: its `m=` line and every line after it up to the
/// next `m=` (§5).
struct MediaDescription {
  std::string media;                      ///< "audio", "video", "application", ...
  std::uint16_t port = 0;                 ///< 0 = stream rejected/disabled (RFC 3264 §6)
  std::optional<std::uint32_t> port_count;  ///< `port/n`
  std::string proto;                      ///< "UDP/TLS/RTP/SAVPF", "RTP/AVP", ...
  std::vector<std::string> formats;       ///< payload types or fmt tokens
  std::string m_value;                    ///< the `m=` value verbatim (what is serialised)
  std::vector<SdpLine> lines;             ///< i=, c=, b=, k=, a= ... in order

  /// Change the port, rewriting `m_value` (keeps `/n`, proto and formats).
  void set_port(std::uint16_t p);
};
bool operator==(const MediaDescription& a, const MediaDescription& b);
bool operator!=(const MediaDescription& a, const MediaDescription& b);

struct SessionDescription {
  std::vector<SdpLine> session;          ///< v=, o=, s=, t=, session a= ... in order
  std::vector<MediaDescription> media;   ///< in order

  /// The parsed origin. Error BadOrigin if the `o=` line was removed or edited
  /// into something invalid.
  Result<Origin, SdpError> origin() const;
  /// Replace the `o=` line (appended after `v=` if missing).
  void set_origin(const Origin& o);
  /// CRLF-terminated text.
  std::string to_string() const;
};
bool operator==(const SessionDescription& a, const SessionDescription& b);
bool operator!=(const SessionDescription& a, const SessionDescription& b);

/// Parse an SDP body (see the contract above). Errors carry the 1-based line
/// and hint 488.
Result<SessionDescription, SdpError> parse(std::string_view text);

// --- attribute helpers ------------------------------------------------------

/// Value of the first `a=<name>[:value]` among `lines` (name compared
/// case-sensitively, as RFC 4566 attribute names are in practice): the text
/// after ':' or "" for a flag; nullopt if absent.
std::optional<std::string_view> find_attribute(const std::vector<SdpLine>& lines,
                                               std::string_view name);

/// Decimal increment of a digit string ("9" → "10"); non-digits are invalid
/// and give nullopt. Used for `sess-version`, which may exceed 64 bits.
std::optional<std::string> increment_decimal(std::string_view digits);

/// RFC 3264 §8: "the origin line ... version number MUST be incremented by
/// one" when a new SDP differs. Bumps `sess-version` by exactly one. Error
/// BadOrigin ("Invalid SDP origin") if there is no valid `o=` line.
Result<std::monostate, SdpError> bump_origin_version(SessionDescription& sdp);

/// True if any media description is `audio` with a non-zero port.
bool has_audio(const SessionDescription& sdp);

/// `a=ice-ufrag` / `a=ice-pwd` (RFC 8839 §5.4), media level first, then
/// session level.
struct IceCredentials {
  std::string ufrag;
  std::string pwd;
};
bool operator==(const IceCredentials& a, const IceCredentials& b);
std::optional<IceCredentials> ice_credentials(const SessionDescription& sdp,
                                              std::size_t media_index);
/// RFC 8839 §4.4.1.1.1: an ICE restart is signalled by a changed ufrag/pwd.
/// True if any media index present in both has credentials that changed.
bool ice_restarted(const SessionDescription& previous, const SessionDescription& next);

}  // namespace wwp::sdp
