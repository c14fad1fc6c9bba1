// Errors of the SDP layer (house style §11–§12). Malformed remote SDP and
// offer/answer ordering faults are values, never exceptions or asserts; each
// carries the SIP status a UA should answer with when the SDP came from the
// network, and the docs below say what the caller must do.
#pragma once
#include <cstddef>
#include <string>

namespace wwp::sdp {

enum class SdpErrorCode {
  // --- malformed SDP (RFC 4566 §5); remote input → answer 488 Not Acceptable
  //     Here (or end the call if it was an answer).
  Empty,               ///< no lines at all
  BadVersion,          ///< first line is not `v=0` (§5.1)
  BadLine,             ///< a line is not `<type>=<value>` (§5), or an empty line mid-body
  IllegalCharacter,    ///< NUL or a bare CR inside a line (§5: text may not contain them)
  BadOrigin,           ///< `o=` missing or not 6 fields with numeric id/version (§5.2); message "Invalid SDP origin"
  MissingSessionName,  ///< no `s=` line (§5.3)
  BadMedia,            ///< an `m=` line is not `media port[/n] proto fmt...` (§5.14)
  // --- offer/answer ordering (RFC 3264 §4, house style §7)
  /// An offer arrived while our own offer is pending: answer 491 Request
  /// Pending (RFC 3261 §14.2) and retry ours after `glare_retry_delay()`.
  OfferAnswerGlare,
  /// An offer arrived while we still owe an answer to the previous one: 500
  /// with Retry-After (RFC 3261 §14.2, RFC 3311 §5.2). Locally: a new offer
  /// was requested while one is in progress; wait for it to complete.
  OfferPending,
  /// `accept_answer()` with a token that is not the pending offer (already
  /// answered, rejected, or superseded). Local misuse; drop the answer.
  StaleOffer,
  /// `create_answer()` with no remote offer to answer. Local misuse.
  NoRemoteOffer,
  /// An answer whose m-line count differs from the offer's, or an offer with
  /// fewer m-lines than the previous SDP (RFC 3264 §6, §8). Remote: 488.
  MediaCountMismatch,
  // --- our own SDP (core/sdp/codec_prefs.hpp)
  /// The app's codec preferences leave no codec in one of our m-lines (or,
  /// answering, none the offer allowed). Local: fail the call/answer with the
  /// message; remote-facing hint 488 when answering.
  NoCommonCodec,
};
const char* to_string(SdpErrorCode code);

struct SdpError {
  SdpErrorCode code;
  std::string message;       ///< human-readable; "Invalid SDP origin" for BadOrigin
  std::size_t line = 0;      ///< 1-based line of the fault in parsed text, 0 if none
  int sip_status_hint = 0;   ///< what to answer a remote request with, 0 if not applicable
};

/// The error text ringcentral-web-phone throws for a missing/malformed
/// origin (rc-web-phone-spec §6.3), reused verbatim.
inline constexpr const char* kInvalidOriginMessage = "Invalid SDP origin";

}  // namespace wwp::sdp
