// What the call layer reports to the UA driver (and through it to the shim).
// Every event names its call by `CallHandle`; message-carrying events hand
// over the message so the shim can expose it (`sipMessage`, headers) without
// parsing SIP itself.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "core/msg/message.hpp"
#include "core/sdp/media_direction.hpp"
#include "core/util/time.hpp"

namespace wwp::call {

using CallHandle = std::uint32_t;

/// Both ends of a call as the SDK exposes them (spec §5.2): full From/To
/// header values, their tags and user parts, RingCentral session ids.
struct PeerInfo {
  std::string local_peer, remote_peer;
  std::string local_tag, remote_tag;
  std::string local_user, remote_user;
  std::string party_id, session_id;  ///< from `p-rc-api-ids`, when present
};

/// A new inbound INVITE (100 and 180 already sent). `auto_answer_after` is
/// the delay in ms requested by `Alert-Info: Auto Answer` (+ `Call-Info:
/// …;Answer-After=N`), or -1 when the call must ring.
struct IncomingCall {
  CallHandle call;
  msg::Message invite;
  PeerInfo peer;
  Duration auto_answer_after = -1;
  std::string rc_sid;  ///< SID of the INVITE's `P-rc` (RingCentral), "" otherwise
  /// The call this one replaces (RFC 3891), 0 for none. The driver answers it
  /// at once; once the ACK confirms it the UA hangs the replaced call up.
  CallHandle replaces = 0;
  /// The offer's live video and its direction (sdp::video_direction), nullopt
  /// for none: the app decides whether to answer with its camera.
  std::optional<sdp::Direction> video;
};
/// A provisional response (101–199) to our INVITE. A 18x with SDP from a
/// fork is its early answer (RFC 3261 §13.2.1: the answer of the 2xx "MAY
/// also be placed in any provisional responses sent prior to the answer"):
/// `early_answer` says its body is one not heard before (a fork repeats its
/// own in every 18x), to be applied as a provisional answer (`pranswer`)
/// while the call rings.
struct CallProgress {
  CallHandle call;
  msg::Message response;
  PeerInfo peer;
  bool has_sdp = false;       ///< the response carried an SDP body (new or repeated)
  bool early_answer = false;  ///< that SDP is a new early answer: play its media
};
/// A 2xx to our INVITE; the ACK has been sent. `response.body()` is the
/// answer: with unreliable provisionals the 2xx's is the one in force
/// (§13.2.1, RFC 6337 §3.1), whatever a 18x said, from its fork or another.
struct CallAnswered {
  CallHandle call;
  msg::Message response;
  PeerInfo peer;
  std::optional<sdp::Direction> video;  ///< the answer's live video (nullopt: none or rejected)
};
/// The ACK for our 2xx to the INVITE arrived, or the ACK for our 2xx to an
/// offerless re-INVITE (its body answers the offer we made in the 2xx).
struct CallConfirmed {
  CallHandle call;
  msg::Message ack;
};
/// Our INVITE got a final error (incl. synthetic 408/503 and 487 after CANCEL).
struct CallFailed {
  CallHandle call;
  int status;
  std::string status_line;
};
/// The call is over (BYE either way, CANCEL received, rejected by us).
struct CallEnded {
  CallHandle call;
  int status;          ///< final status involved, 0 when none
  std::string reason;  ///< "remote hangup", "local hangup", "cancelled", "rejected", …
};
/// The peer sent a re-INVITE or UPDATE with an offer, or a re-INVITE without
/// one: answer with `answer_reinvite` (for the offerless re-INVITE, with an
/// offer, which the ACK answers in a CallConfirmed).
struct ReinviteOffer {
  CallHandle call;
  msg::Message request;
  std::optional<sdp::Direction> video;  ///< the offer's live video (nullopt: none or removed)
};
/// Our re-INVITE (hold/unhold/new offer) completed.
struct ReinviteDone {
  CallHandle call;
  int status;
  std::string status_line;
  std::string sdp;  ///< the answer on 2xx
  std::optional<sdp::Direction> video = {};  ///< the answer's live video (2xx only)
};
/// Our REFER got its final response.
struct ReferDone {
  CallHandle call;
  int status;
  std::string status_line;
};
/// The peer asks us to transfer (RFC 3515); 202 and the first NOTIFY are sent.
struct ReferReceived {
  CallHandle call;
  msg::Message request;
  std::string target;    ///< Refer-To URI without its headers
  std::string replaces;  ///< decoded `?Replaces=` of Refer-To (attended transfer), or ""
};
/// A generic in-dialog request of ours (INFO, MESSAGE, …) completed.
struct RequestDone {
  CallHandle call;
  std::uint32_t request;
  int status;
  std::string status_line;
};

/// The peer pressed a key, reported by an in-dialog INFO with a DTMF body
/// (application/dtmf-relay or application/dtmf, core/call/dtmf_info.hpp);
/// the INFO has been answered 200. RFC 4733 telephone-events in the RTP are
/// not seen here: they never reach SIP, and browsers do not surface them.
struct DtmfReceived {
  CallHandle call;
  char digit;                ///< `0-9 * # A-D`, or `!` for flash
  std::uint32_t duration_ms; ///< 0 when the INFO gave none
};

/// A RingCentral x-rc/agent MESSAGE for this instance (spec §7.5, §8.2).
/// `call` is 0 when no live call has its Call-ID (e.g. a late SessionClose).
struct RcMessageReceived {
  CallHandle call;
  int cmd;
  std::string sid;
  std::vector<std::pair<std::string, std::string>> hdr, bdy;
};
/// The result INFO of one of our JSON commands (spec §7.12), or the final
/// failure response to the command's own INFO (no result INFO then follows).
struct RcInfoResult {
  CallHandle call;
  std::uint64_t reqid;
  std::string command;
  std::string result_json;  ///< `response.result`, re-serialised; "" when refused
  int status = 0;           ///< the INFO's failure status (>= 300), 0 for a result
  std::string status_line;  ///< its status line when refused
};

/// The phone registered again after losing its connection, and this call
/// survived: its media must be restarted through the new connection. The
/// driver creates an ICE-restart offer and sends it with `reinvite()`
/// (RFC 8445 §9; the re-INVITE is also the target refresh of RFC 3261
/// §12.2.1.2 that tells the server where the call now is).
struct RecoverMedia {
  CallHandle call;
};
/// An answered call taken over from another UA's exported state
/// (`Ua::import_state`, issue #13): the driver creates its session object
/// for it from these fields, as it would have from IncomingCall or
/// CallAnswered. Its media is gone with the old UA: after the first
/// successful registration the call gets RecoverMedia, as after an outage.
struct CallAdopted {
  CallHandle call;       ///< the handle the exporting UA had (kept)
  std::string call_id;   ///< the dialog's Call-ID
  bool outbound;         ///< we placed the call (else it was an inbound call)
  PeerInfo peer;         ///< as IncomingCall/CallAnswered reported it
  bool held;             ///< our last SDP had no stream we receive on (RFC 3264 §8.4)
  /// The media of our last SDP's m-lines, in order, space-separated
  /// ("audio video"; "" when unknown). The adopting UA's first offer must
  /// have at least as many (RFC 3264 §8: m-lines are never removed), so its
  /// new media session adds them.
  std::string media;
};
using CallEvent = std::variant<IncomingCall, CallProgress, CallAnswered, CallConfirmed, CallFailed,
                               CallEnded, ReinviteOffer, ReinviteDone, ReferDone, ReferReceived,
                               RequestDone, RcMessageReceived, RcInfoResult, RecoverMedia, CallAdopted,
                               DtmfReceived>;

}  // namespace wwp::call
