// The inbound INVITE (RFC 3261 §13.3): ringing, answer, reject, CANCEL, the
// ACK for our 2xx, and hangup in every state.
#include <cstdlib>

#include "core/call/call.hpp"
#include "core/config/capabilities.hpp"
#include "core/msg/header_fields.hpp"
#include "core/msg/reply.hpp"
#include "core/sdp/sdp_body.hpp"

namespace wwp::call {

namespace {

/// ringcentral-web-phone's auto-answer rule (spec §7.3): `Alert-Info` is
/// exactly `Auto Answer`; the delay is the first `Answer-After=N` in
/// Call-Info, used as milliseconds (as the original SDK does).
Duration auto_answer_delay(const msg::Message& invite) {
  const auto alert = invite.get("Alert-Info");
  if (!alert || *alert != "Auto Answer") return -1;
  const auto info = invite.get("Call-Info");
  if (!info) return 0;
  const auto pos = info->find("Answer-After=");
  if (pos == std::string_view::npos) return 0;
  Duration value = 0;
  for (std::size_t i = pos + 13; i < info->size() && (*info)[i] >= '0' && (*info)[i] <= '9'; ++i) {
    value = value * 10 + ((*info)[i] - '0');
    if (value > 3600000) return 3600000;  // an hour is plenty; no overflow
  }
  return value;
}

/// §12.1.1: "the UAS MUST copy all Record-Route header field values from the
/// request into the response (including the URIs, URI parameters, and any
/// Record-Route header field parameters, whether they are known or unknown
/// to the UAS) and MUST maintain the order of those values."
void copy_record_route(const msg::Message& request, msg::Message& response) {
  for (const auto& h : request.headers())
    if (msg::header_name_equals(h.name, "Record-Route")) response.add(h.name, h.value);
}

}  // namespace

Result<Call, dialog::DialogError> Call::start_inbound(CallHandle handle, CallContext& ctx,
                                                      txn::TxnId txn, const msg::Message& invite,
                                                      TimePoint now, CallHandle replaces) {
  Call c(handle, std::string(invite.get("Call-ID").value_or("")));
  c.outbound_ = false;
  c.replaces_ = replaces;
  c.state_ = State::Incoming;
  c.local_tag_ = ctx.rng.token(12);
  auto d = dialog::Dialog::from_uas(invite, c.local_tag_, "<" + ctx.contact_uri + ">");
  if (!d) return Err<dialog::DialogError>{d.error()};
  auto inserted = ctx.dialogs.insert(std::move(*d));
  if (!inserted) return Err<dialog::DialogError>{inserted.error()};
  c.dialog_id_ = (*inserted)->id();
  c.invite_server_ = txn;
  c.remote_invite_ = invite;
  // The UA refused an INVITE whose body has no SDP we can read (415).
  c.remote_sdp_ = sdp::sdp_body(invite).value_or("");
  // RFC 4028 §9: what our 2xx will settle (the UA has already answered a
  // too-small interval with 422, Ua::handle_out_of_dialog).
  c.invite_timer_ = uas_negotiate(invite, c.timer_config(ctx));
  if (c.invite_timer_.kind != UasVerdict::Kind::Accept) c.invite_timer_ = {};
  c.peer_allows_update_ = lists_option(invite, "Allow", "UPDATE");
  // 100 then 180, as ringcentral-web-phone does (spec §7.3 step 2).
  c.respond(ctx, txn, invite, 100);
  c.respond(ctx, txn, invite, 180);
  c.rc_on_invite(ctx, invite, now);
  std::string sid(c.prc_ ? c.prc_->sid().value_or("") : std::string_view{});
  c.peer_ = c.peer_info(invite);
  ctx.events.push_back(IncomingCall{handle, invite, c.peer_, auto_answer_delay(invite), std::move(sid), replaces,
                                    sdp::video_direction(c.remote_sdp_)});
  return c;
}

Call::Unacked2xx Call::unacked(txn::TxnId txn, const msg::Message& request, const msg::Message& response,
                               Duration t1) {
  const auto cseq = msg::parse_cseq(request.get("CSeq").value_or(""));
  // Our SDP in a 2xx to an INVITE without one is an offer: the ACK answers it (§13.2.1).
  const bool offer = !response.body().empty() && sdp::sdp_body(request).value_or("").empty();
  return Unacked2xx{txn, response, cseq ? cseq->seq : 0, t1, offer};
}

void Call::respond(CallContext& ctx, txn::TxnId txn, const msg::Message& request, int status,
                   const std::string& content_type, const std::string& body,
                   std::vector<std::pair<std::string, std::string>> extra) {
  msg::Message r = msg::make_reply(request, status, status == 100 ? std::string_view{} : local_tag_);
  // §12.1.1: a dialog-creating or target-refreshing 101–299 carries Contact.
  if (status > 100 && status < 300 && (request.method() == "INVITE" || request.method() == "UPDATE")) {
    r.add("Contact", "<" + ctx.contact_uri + ">");
    if (request.method() == "INVITE") copy_record_route(request, r);
  }
  // RFC 4028 §9 (and §7.1 for requests): we list `timer` wherever we list
  // extensions, so the peer knows it may use session timers with us.
  if (status >= 200 && status < 300 && (request.method() == "INVITE" || request.method() == "UPDATE"))
    r.add("Supported", config::kSupported);
  for (auto& [n, v] : extra) r.add(n, v);
  r.set_body(body, content_type);
  if (auto* d = dialog(ctx)) d->on_response_sent(r);
  if (status >= 200 && status < 300 && request.method() == "INVITE" && state_ == State::Confirmed) {
    // Our 2xx to a re-INVITE (the INVITE's own goes out in answer()): the UAS
    // core retransmits it until the ACK comes, and gives up after 64*T1
    // (§13.3.1.4), whatever the transport.
    unacked_2xx_ = unacked(txn, request, r, ctx.config.t1);
    timers_.set(TimerKind::Resend2xx, ctx.now + ctx.config.t1);
    timers_.set(TimerKind::ReinviteAckWait, ctx.now + 64 * ctx.config.t1);
  }
  (void)ctx.txns.respond(txn, std::move(r), ctx.now);
}

Status Call::answer(CallContext& ctx, const std::string& sdp, TimePoint now, bool early) {
  if (outbound_ || state_ != State::Incoming)
    return ua_error(UaErrorCode::InvalidState, std::string(early ? "progress" : "answer") + ": the call is " +
                                                   to_string(state_) + ", not ringing");
  // §13.2.1: once our 183 held "that same exact answer", every later 18x
  // and the 2xx repeat it, so the caller's media does not change (RFC 6337
  // §3.1: no new offer/answer). Early media is an answer in a 18x: after an
  // INVITE without an offer ours would be an offer, which only a reliable
  // 1xx may carry, so that 183 goes without a body.
  if (local_sdp_.empty() && !(early && sdp::sdp_body(remote_invite_).value_or("").empty())) local_sdp_ = sdp;
  if (local_sdp_.empty() && !early) return ua_error(UaErrorCode::InvalidArgument, "answer: an SDP is required");
  msg::Message r = msg::make_reply(remote_invite_, early ? 183 : 200, local_tag_);
  // §12.1.1: a dialog-creating 1xx/2xx carries Contact and the Record-Route.
  r.add("Contact", "<" + ctx.contact_uri + ">");
  copy_record_route(remote_invite_, r);
  if (!early) {
    r.add("Allow", config::kAllow);
    r.add("Supported", config::kSupported);
    for (const auto& [name, value] : invite_timer_.headers) r.add(name, value);
  }
  if (!local_sdp_.empty()) r.set_body(local_sdp_, "application/sdp");
  if (auto* d = dialog(ctx)) d->on_response_sent(r);
  // §13.3.1.4: the UAS core (not the transaction, RFC 6026) passes the 2xx
  // to the transport again from T1, doubling to T2, until the ACK comes,
  // "independent of whatever transport protocols are used": past the proxy
  // the 2xx or its ACK may cross UDP and be lost.
  Unacked2xx resend = unacked(*invite_server_, remote_invite_, r, ctx.config.t1);
  auto s = ctx.txns.respond(*invite_server_, std::move(r), now);
  if (!s.ok() || early) return s;
  transition(State::Accepted);
  unacked_2xx_ = std::move(resend);
  timers_.set(TimerKind::Resend2xx, now + ctx.config.t1);
  timers_.set(TimerKind::AckWait, now + 64 * ctx.config.t1);
  // RFC 4028 §10: the interval runs from the 2xx that settled it.
  apply_uas_verdict(invite_timer_, now);
  return ok_status();
}

Status Call::reject(CallContext& ctx, int status, TimePoint now) {
  if (outbound_ || state_ != State::Incoming)
    return ua_error(UaErrorCode::InvalidState,
                    std::string("reject: the call is ") + to_string(state_) + ", not ringing");
  if (status < 300 || status > 699)
    return ua_error(UaErrorCode::InvalidArgument, "reject: status must be 300-699");
  respond(ctx, *invite_server_, remote_invite_, status);
  (void)now;
  end(ctx, status, "rejected");
  return ok_status();
}

void Call::handle_cancel(CallContext& ctx, TimePoint now) {
  if (state_ != State::Incoming) return;  // §9.2: too late, the INVITE got its final
  respond(ctx, *invite_server_, remote_invite_, 487);
  (void)now;
  end(ctx, 487, "cancelled");
}

void Call::handle_ack(CallContext& ctx, const msg::Message& ack, TimePoint now) {
  if (unacked_2xx_) {
    // §13.3.1.4: "Retransmissions end when an ACK request for the response
    // is received" (the ACK carries the re-INVITE's CSeq number).
    const auto cseq = msg::parse_cseq(ack.get("CSeq").value_or(""));
    if (cseq && cseq->seq == unacked_2xx_->cseq) {
      // The answer to the offer our 2xx carried (§13.2.1) is the session's now.
      if (const auto answer = sdp::sdp_body(ack).value_or(""); unacked_2xx_->offer && !answer.empty())
        remote_sdp_ = answer;
      // After an offerless re-INVITE the app waits for that answer, as it
      // does after an offerless INVITE (below): it goes to the browser.
      if (unacked_2xx_->offer && state_ == State::Confirmed) ctx.events.push_back(CallConfirmed{handle_, ack});
      unacked_2xx_.reset();
      timers_.stop(TimerKind::Resend2xx);
      timers_.stop(TimerKind::ReinviteAckWait);
    }
  }
  // In Accepted the 2xx still unacknowledged is the INVITE's: an ACK with
  // another CSeq is not its ACK (§13.3.1.4, §17.2.3 would not match it
  // either). Taken as one, it confirmed the call and left that 2xx resent
  // and its ACK wait stopped: the call never ended without its ACK.
  if (state_ == State::Accepted && unacked_2xx_) return;
  if (state_ == State::Accepted) {
    transition(State::Confirmed);  // the answer in the ACK, if our 2xx offered, was taken above
    ctx.events.push_back(CallConfirmed{handle_, ack});
    if (bye_after_ack_) {
      bye_after_ack_ = false;
      send_bye(ctx, now);
    }
  }
}

Status Call::hangup(CallContext& ctx, TimePoint now) {
  switch (state_) {
    case State::Calling:
      // §9.1: no CANCEL before a provisional; send it when one arrives.
      cancel_pending_ = true;
      return ok_status();
    case State::Early:
      send_cancel(ctx, now);
      return ok_status();
    case State::Incoming:
      return reject(ctx, 603, now);
    case State::Accepted:
      // §15: the callee must not send BYE before the ACK for its 2xx.
      bye_after_ack_ = true;
      return ok_status();
    case State::Confirmed:
      send_bye(ctx, now);
      return ok_status();
    case State::Cancelling:
    case State::Terminating:
      return ok_status();  // already ending; the pending event completes it
    case State::Terminated:
      break;
  }
  return ua_error(UaErrorCode::InvalidState, "hangup: the call has ended");
}

}  // namespace wwp::call
