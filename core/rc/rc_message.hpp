// RcMessage: the RingCentral call-control XML carried in the `P-rc` header of
// an inbound INVITE and in `x-rc/agent` MESSAGE bodies (spec §2.11, §8).
//
//   <Msg><Hdr SID="…" Req="…" From="…" To="…" Cmd="6"/><Bdy Phn="…" …/></Msg>
//
// Only the attributes of `Hdr` and `Bdy` carry data; their order is kept
// (the SDK serialises object keys in insertion order, and RC sends a fixed
// order). Values are plain strings, already unescaped.
//
// Parsing contract (parse_rc_xml): input is remote, so nothing here is
// fatal. Accepted: an optional literal `P-rc: ` prefix (the SDK strips exactly
// that), an optional XML declaration, then exactly `Msg` with one `Hdr` and
// one `Bdy` child (either order), no text, no other nodes. Refused with an
// RcError: more than kMaxRcXmlSize bytes, not UTF-8, raw control characters,
// any DOCTYPE (never processed: no XXE, no entity expansion), entity
// references other than the five predefined ones and valid character
// references, duplicate attributes, more than kMaxRcAttributes attributes
// per element. pugixml does the tokenising; the checks above are ours.
//
// Serialising contract (to_xml): byte-for-byte what the SDK's builder emits:
// no declaration, no whitespace, attribute order kept, an element without
// attributes as `<Hdr/>` / `<Bdy/>`, values escaped by xml_escape_attr().
// Attribute names are written as they are: the caller must only use XML
// Names (parsed messages and the builders in commands.hpp always do).
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/rc/rc_error.hpp"
#include "core/util/result.hpp"

namespace wwp::rc {

/// Largest accepted RC XML input (the whole header value or body).
inline constexpr std::size_t kMaxRcXmlSize = 16 * 1024;
/// Most attributes accepted on `Hdr` or `Bdy` (RC sends at most ~8).
inline constexpr std::size_t kMaxRcAttributes = 64;

/// RC call-control command codes (`Hdr Cmd`, spec §8.2). Names verbatim.
enum class RcCmd : std::uint8_t {
  ChangeMessage = 1,          ///< server→client, unused by the SDK
  ServerFreeResources = 2,    ///< server→client, after the remote side hangs up
  NewMsg = 3,                 ///< server→client, unused
  ReLogin = 4,                ///< server→client, unused
  ChangePhones = 5,           ///< server→client, unused
  IncomingCall = 6,           ///< server→client, in the INVITE's P-rc
  AlreadyProcessed = 7,       ///< server→client, per instance after answer (by Cln)
  ClientMinimize = 8,         ///< server→client, unused
  SessionClose = 9,           ///< server→client, ends reply()
  ClientForward = 10,         ///< client→server, forward()
  ClientVoicemail = 11,       ///< client→server, toVoicemail()
  ClientReject = 12,          ///< client→server, decline()
  ClientStartReply = 13,      ///< client→server, startReply()
  ClientReply = 14,           ///< client→server, reply()
  ClientNotProcessed = 15,    ///< client→server, unused
  ClientClosed = 16,          ///< client→server, unused
  ClientReceiveConfirm = 17,  ///< client→server, confirmReceive()
};

/// Stable name of a code, e.g. "SessionClose".
std::string_view to_string(RcCmd cmd);

/// Ordered attribute list (name, value).
using RcAttributes = std::vector<std::pair<std::string, std::string>>;

struct RcMessage {
  RcAttributes hdr;  ///< attributes of <Hdr>, in order
  RcAttributes bdy;  ///< attributes of <Bdy>, in order (empty for `<Bdy/>`)

  /// The SDK's toXml() (see the serialising contract above).
  std::string to_xml() const;

  /// `Hdr Cmd` as a known code: exactly the decimal text "1".."17" (no sign,
  /// no leading zero, no spaces: the SDK compares the string with "9" etc.).
  /// nullopt if absent or anything else.
  std::optional<RcCmd> cmd() const;
  /// `Hdr SID`, nullopt if absent.
  std::optional<std::string_view> sid() const;
  /// First `Hdr` attribute with exactly this (case-sensitive) name.
  std::optional<std::string_view> hdr_attr(std::string_view name) const;
  /// First `Bdy` attribute with exactly this (case-sensitive) name.
  std::optional<std::string_view> bdy_attr(std::string_view name) const;
};

bool operator==(const RcMessage& a, const RcMessage& b);
inline bool operator!=(const RcMessage& a, const RcMessage& b) { return !(a == b); }

/// Parses a P-rc header value or an x-rc/agent body (contract above).
/// Errors are all Remote: drop the message / refuse the command, log
/// to_string().
Result<RcMessage, RcError> parse_rc_xml(std::string_view text);

}  // namespace wwp::rc
