// The RFC 3264 offer/answer machine, typed (house style §7): one per INVITE
// session, independent of the SIP method that carries the SDP (INVITE/200,
// 200/ACK, UPDATE, PRACK).
//
// States and legal transitions (`transition()` enforces them):
//
//              create_offer()                    accept_answer(pending, answer)
//   Stable ─────────────────────► HaveLocalOffer ────────────────────────────► Stable
//     │  ▲                              │ reject_offer(pending) (491/488/timeout)
//     │  └──────────────────────────────┘
//     │ receive_offer()                       create_answer()
//     └────────────────────► HaveRemoteOffer ───────────────────► Stable
//                                  │ reject_remote_offer() (we answered 488/491/500)
//                                  └─────────────────────────────► Stable
//
//  - `create_offer()` returns the SDP to send plus a move-only `PendingOffer`
//    token; only that token can complete the exchange with `accept_answer()`.
//  - `receive_offer()` while our offer is pending is glare: it returns
//    `SdpErrorCode::OfferAnswerGlare` (hint 491) and changes nothing.
//  - Origin version (RFC 3264 §8): "the "o=" line of the new SDP MUST be
//    identical to that in the previous SDP, except that the version in the
//    origin field MUST increment by one from the previous SDP. If the version
//    in the origin line does not increment, the SDP MUST be identical to the
//    SDP with that version number." Every SDP we send goes through the
//    machine, which keeps the `o=` username, session id, nettype, addrtype and
//    address of our first SDP and sets `sess-version` to the previous one
//    plus one if anything else changed, or leaves it equal if nothing did.
//    Browsers renumber their own origins (and a new RTCPeerConnection picks a
//    new session id); the peer only ever sees our sequence.
//  - Remote SDP is checked (parse errors hint 488) and an answer must have
//    exactly as many m-lines as the offer (§6), a new offer at least as many
//    as the previous SDP (§8).
//
// Sans-IO: no clock, no randomness, no I/O.
#pragma once
#include <cstdint>
#include <optional>
#include <string_view>
#include <variant>

#include "core/sdp/sdp_error.hpp"
#include "core/sdp/session_description.hpp"
#include "core/util/result.hpp"

namespace wwp::sdp {

/// Proof that an offer is outstanding. Move-only; consumed by
/// `accept_answer()` or `reject_offer()`.
class PendingOffer {
 public:
  PendingOffer(PendingOffer&&) = default;
  PendingOffer& operator=(PendingOffer&&) = default;
  PendingOffer(const PendingOffer&) = delete;
  PendingOffer& operator=(const PendingOffer&) = delete;
  std::uint64_t id() const { return id_; }

 private:
  friend class OfferAnswer;
  explicit PendingOffer(std::uint64_t id) : id_(id) {}
  std::uint64_t id_;
};

/// What `create_offer()` returns: the SDP to put in the request (version
/// already set) and the token for its answer.
struct Offer {
  SessionDescription sdp;
  PendingOffer pending;
};

class OfferAnswer {
 public:
  enum class State { Stable, HaveLocalOffer, HaveRemoteOffer };

  State state() const { return state_; }
  /// Our SDP of the last completed exchange (nullopt before the first).
  const std::optional<SessionDescription>& local() const { return local_; }
  /// The peer's SDP of the last completed exchange.
  const std::optional<SessionDescription>& remote() const { return remote_; }
  /// The remote offer we must answer (HaveRemoteOffer only).
  const std::optional<SessionDescription>& pending_remote_offer() const { return pending_remote_; }
  /// The last SDP we sent (offer or answer), version included.
  const std::optional<SessionDescription>& last_sent() const { return last_sent_; }

  /// Make `sdp` our offer. Errors: OfferPending (an exchange is in progress
  /// in either direction; wait), BadOrigin (no valid `o=`).
  Result<Offer, SdpError> create_offer(SessionDescription sdp);
  /// Complete our offer with the peer's answer text. Errors: StaleOffer
  /// (wrong token; nothing changes), a parse error or MediaCountMismatch
  /// (hint 488: the exchange failed and the state returns to Stable with the
  /// previous session; the call layer should end or renegotiate).
  Result<SessionDescription, SdpError> accept_answer(PendingOffer pending, std::string_view answer);
  /// Our offer was rejected (491, 488, non-2xx, timeout): back to Stable with
  /// the previous session. Returns false for a stale token.
  bool reject_offer(PendingOffer pending);

  /// An offer from the peer. Errors: OfferAnswerGlare (hint 491: our offer is
  /// pending), OfferPending (hint 500: we still owe an answer), parse errors
  /// and MediaCountMismatch (hint 488). Errors change nothing.
  Result<SessionDescription, SdpError> receive_offer(std::string_view offer);
  /// Our answer to the pending remote offer (version set as for offers).
  /// Errors: NoRemoteOffer, MediaCountMismatch (the answer must mirror the
  /// offer's m-lines), BadOrigin.
  Result<SessionDescription, SdpError> create_answer(SessionDescription answer);
  /// We refused the remote offer (answered 488/491/500): back to Stable.
  void reject_remote_offer();

 private:
  void transition(State next);
  Result<std::monostate, SdpError> stamp_version(SessionDescription& sdp) const;

  State state_ = State::Stable;
  std::uint64_t next_id_ = 1;
  std::uint64_t pending_id_ = 0;
  std::optional<SessionDescription> local_;
  std::optional<SessionDescription> remote_;
  std::optional<SessionDescription> pending_local_;
  std::optional<SessionDescription> pending_remote_;
  std::optional<SessionDescription> last_sent_;
};

const char* to_string(OfferAnswer::State s);

}  // namespace wwp::sdp
