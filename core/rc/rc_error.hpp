// Errors returned by core/rc (house style §11-12): the RingCentral XML
// (`P-rc` header, `x-rc/agent` MESSAGE bodies) and JSON INFO formats.
//
//  Remote (class (a), never fatal): an RC body or header we received is
//    unusable. The caller MUST NOT act on it. For an inbound MESSAGE or INFO
//    the SDK neither emits nor answers such a message (spec §3.8); log
//    to_string() and drop it. For the INVITE's P-rc, the RC call-control
//    commands (confirm, decline, forward, reply…) cannot be built: report the
//    error to whoever asked for the command and send nothing.
//  Local (class (b)): our own inputs are wrong (reply options, a target or
//    text with CR/LF/NUL, a bad reqid). Fix the caller; nothing was built and
//    nothing must be sent. Retrying with the same inputs fails the same way.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

namespace wwp::rc {

enum class RcErrorCode : std::uint8_t {
  // --- Remote: XML (P-rc / x-rc/agent) ---
  /// Input longer than kMaxRcXmlSize / kMaxRcJsonSize (16 KiB).
  TooLarge,
  /// Not well-formed XML or not UTF-8. detail: pugixml's description/offset.
  NotXml,
  /// A `<!DOCTYPE` (and with it any entity declaration). Refused outright,
  /// never processed: no XXE, no billion laughs.
  DoctypeForbidden,
  /// An entity reference other than the five predefined ones, or a
  /// character reference to a character XML 1.0 does not allow (`&#0;`).
  BadEntity,
  /// A raw control character (NUL, or any C0 other than TAB/CR/LF).
  ControlCharacter,
  /// The root element is not `Msg`.
  WrongRoot,
  /// `Msg` has no `Hdr` child.
  MissingHdr,
  /// `Msg` has no `Bdy` child (the SDK's fromXml throws on it too).
  MissingBdy,
  /// Anything besides `<Msg><Hdr/><Bdy/></Msg>`: text, extra or repeated
  /// elements, children of Hdr/Bdy, attributes on Msg, PIs, comments, CDATA.
  UnexpectedContent,
  /// The same attribute twice on one element (not well-formed XML).
  DuplicateAttribute,
  /// More than kMaxRcAttributes attributes on one element.
  TooManyAttributes,
  /// A required attribute is absent (detail: `Hdr.SID`, `Hdr.From`, …).
  MissingAttribute,
  /// The message has another Cmd than the operation needs (detail: the Cmd).
  WrongCommand,
  /// An address taken from the server (P-rc `Hdr.From`) cannot be put in a
  /// request line / To header: empty, whitespace, control characters, `<>`.
  UnsafeAddress,

  // --- Remote: JSON INFO bodies ---
  /// Not JSON (or not UTF-8).
  NotJson,
  /// Arrays/objects nested deeper than kMaxJsonDepth.
  TooDeep,
  /// Valid JSON of the wrong shape: no `response` object, `reqid` not a
  /// non-negative integer, `command` not a string, `result` not an object.
  /// detail names the member.
  WrongJsonType,

  // --- Local: our own inputs ---
  /// reply() options are not one of the ReplyOptions shapes of spec §2.6.
  /// to_string() is exactly "Invalid reply options" (the SDK's Error text);
  /// detail says what was wrong, for logs only.
  InvalidReplyOptions,
  /// User text (reply text) or our own id holds CR, LF, NUL, another control
  /// character or invalid UTF-8. detail names the field.
  InvalidText,
  /// A forward/flip/transfer target is empty, holds a control character
  /// (CR/LF/NUL…) or invalid UTF-8. detail names the field.
  InvalidTarget,
  /// Any other bad argument (reqid 0 or above 2^53-1, a target given to a
  /// command that takes none, callflip without target). detail says which.
  InvalidArgument,
};

struct RcError {
  RcErrorCode code;
  std::string detail;  ///< context for logs (attribute name, offending value)

  /// True for the Remote codes above (server's fault), false for Local ones.
  bool is_remote() const;
  /// Human-readable, e.g. "P-rc attribute missing: Hdr.SID". For
  /// InvalidReplyOptions exactly "Invalid reply options" (SDK parity).
  std::string to_string() const;
};

inline bool operator==(const RcError& e, RcErrorCode c) { return e.code == c; }

/// Stable short name of a code, e.g. "MissingHdr" (for logs and tests).
std::string_view to_string(RcErrorCode code);

}  // namespace wwp::rc
