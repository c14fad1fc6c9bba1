// RFC 3264 offer/answer machine; see offer_answer.hpp for the contract.
#include "core/sdp/offer_answer.hpp"

#include <cstdlib>

namespace wwp::sdp {
namespace {

Err<SdpError> fail(SdpErrorCode code, std::string message, int hint = 0) {
  return Err<SdpError>{SdpError{code, std::move(message), 0, hint}};
}

/// Equal apart from the origin line (which `stamp_version` normalises).
bool same_except_origin(const SessionDescription& a, const SessionDescription& b) {
  if (a.media != b.media || a.session.size() != b.session.size()) return false;
  for (std::size_t i = 0; i < a.session.size(); ++i) {
    if (a.session[i].type == 'o' && b.session[i].type == 'o') continue;
    if (a.session[i] != b.session[i]) return false;
  }
  return true;
}

}  // namespace

const char* to_string(OfferAnswer::State s) {
  switch (s) {
    case OfferAnswer::State::Stable: return "Stable";
    case OfferAnswer::State::HaveLocalOffer: return "HaveLocalOffer";
    case OfferAnswer::State::HaveRemoteOffer: return "HaveRemoteOffer";
  }
  return "?";
}

void OfferAnswer::transition(State next) {
  // Legal: Stable → HaveLocalOffer | HaveRemoteOffer; either → Stable.
  const bool legal = state_ == State::Stable ? next != State::Stable : next == State::Stable;
  if (!legal) std::abort();  // CORE_UNREACHABLE: public methods check the state first
  state_ = next;
  if (next == State::Stable) {
    pending_id_ = 0;
    pending_local_.reset();
    pending_remote_.reset();
  }
}

Result<std::monostate, SdpError> OfferAnswer::stamp_version(SessionDescription& sdp) const {
  auto mine = sdp.origin();
  if (!mine) return Err<SdpError>{mine.error()};
  if (!last_sent_) return std::monostate{};  // first SDP: its origin is ours
  auto prev = last_sent_->origin();
  if (!prev) return Err<SdpError>{prev.error()};
  // RFC 3264 §8: same o= line except the version, which goes up by one iff
  // the SDP changed.
  Origin o = *prev;
  if (!same_except_origin(sdp, *last_sent_)) {
    auto next = increment_decimal(prev->session_version);
    if (!next) return fail(SdpErrorCode::BadOrigin, kInvalidOriginMessage);
    o.session_version = *next;
  }
  sdp.set_origin(o);
  return std::monostate{};
}

Result<Offer, SdpError> OfferAnswer::create_offer(SessionDescription sdp) {
  if (state_ != State::Stable)
    return fail(SdpErrorCode::OfferPending, "an offer/answer exchange is in progress", 491);
  if (auto s = stamp_version(sdp); !s) return Err<SdpError>{s.error()};
  last_sent_ = sdp;
  pending_local_ = sdp;
  pending_id_ = next_id_++;
  transition(State::HaveLocalOffer);
  return Offer{std::move(sdp), PendingOffer(pending_id_)};
}

Result<SessionDescription, SdpError> OfferAnswer::accept_answer(PendingOffer pending,
                                                                std::string_view answer) {
  if (state_ != State::HaveLocalOffer || pending.id_ != pending_id_)
    return fail(SdpErrorCode::StaleOffer, "answer for an offer that is not pending");
  auto parsed = parse(answer);
  if (!parsed) {
    transition(State::Stable);
    return Err<SdpError>{parsed.error()};
  }
  // RFC 3264 §6: "The answer MUST contain exactly the same number of "m="
  // lines as the offer."
  if (parsed->media.size() != pending_local_->media.size()) {
    transition(State::Stable);
    return fail(SdpErrorCode::MediaCountMismatch, "answer m-line count differs from the offer", 488);
  }
  local_ = std::move(pending_local_);
  remote_ = *parsed;
  transition(State::Stable);
  return std::move(parsed.value());
}

bool OfferAnswer::reject_offer(PendingOffer pending) {
  if (state_ != State::HaveLocalOffer || pending.id_ != pending_id_) return false;
  // last_sent_ keeps the rejected offer: its version was seen by the peer, so
  // the next SDP must still be numbered after it.
  transition(State::Stable);
  return true;
}

Result<SessionDescription, SdpError> OfferAnswer::receive_offer(std::string_view offer) {
  // RFC 3261 §14.2 / house style §7: a crossing offer is glare → 491.
  if (state_ == State::HaveLocalOffer)
    return fail(SdpErrorCode::OfferAnswerGlare, "offer received while our offer is pending", 491);
  if (state_ == State::HaveRemoteOffer)
    return fail(SdpErrorCode::OfferPending, "offer received before we answered the previous one",
                500);
  auto parsed = parse(offer);
  if (!parsed) return Err<SdpError>{parsed.error()};
  // RFC 3264 §8: "the number of m lines MUST NOT be less than the number of m
  // lines in the previous SDP" (m-lines are never removed, only disabled).
  if (remote_ && parsed->media.size() < remote_->media.size())
    return fail(SdpErrorCode::MediaCountMismatch, "offer has fewer m-lines than the previous SDP",
                488);
  pending_remote_ = *parsed;
  transition(State::HaveRemoteOffer);
  return std::move(parsed.value());
}

Result<SessionDescription, SdpError> OfferAnswer::create_answer(SessionDescription answer) {
  if (state_ != State::HaveRemoteOffer)
    return fail(SdpErrorCode::NoRemoteOffer, "no remote offer to answer");
  if (answer.media.size() != pending_remote_->media.size())
    return fail(SdpErrorCode::MediaCountMismatch, "answer m-line count differs from the offer", 500);
  if (auto s = stamp_version(answer); !s) return Err<SdpError>{s.error()};
  last_sent_ = answer;
  local_ = answer;
  remote_ = std::move(pending_remote_);
  transition(State::Stable);
  return answer;
}

void OfferAnswer::reject_remote_offer() {
  if (state_ == State::HaveRemoteOffer) transition(State::Stable);
}

}  // namespace wwp::sdp
