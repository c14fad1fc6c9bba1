// Common pieces of the INVITE session: transitions, identity, ending.
#include "core/call/call.hpp"

#include <algorithm>
#include <cassert>

#include "core/msg/header_fields.hpp"
#include "core/msg/uri.hpp"
#include "core/rc/rc_headers.hpp"

namespace wwp::call {

const char* to_string(State s) {
  switch (s) {
    case State::Calling: return "calling";
    case State::Early: return "early";
    case State::Cancelling: return "cancelling";
    case State::Incoming: return "incoming";
    case State::Accepted: return "accepted";
    case State::Confirmed: return "confirmed";
    case State::Terminating: return "terminating";
    case State::Terminated: return "terminated";
  }
  return "?";
}

void Call::transition(State next) {
  const bool legal = [&] {
    if (state_ == State::Terminated) return false;
    switch (next) {
      case State::Calling: return false;
      case State::Early: return state_ == State::Calling || state_ == State::Early;
      case State::Cancelling: return state_ == State::Calling || state_ == State::Early;
      case State::Incoming: return false;
      case State::Accepted: return state_ == State::Incoming;
      case State::Confirmed:
        return state_ == State::Calling || state_ == State::Early || state_ == State::Accepted ||
               state_ == State::Cancelling;  // 2xx crossing our CANCEL (§9.1)
      case State::Terminating: return state_ == State::Confirmed || state_ == State::Accepted;
      case State::Terminated: return true;
    }
    return false;
  }();
  assert(legal && "illegal call transition");
  (void)legal;
  if (next == State::Terminated) timers_.clear();
  // RFC 4028 §10: the timer guards a session; a BYE either way ends it.
  if (next == State::Terminating || next == State::Terminated) session_timer_.stop();
  if (next != State::Accepted) timers_.stop(TimerKind::AckWait);
  if (next != State::Cancelling) timers_.stop(TimerKind::CancelWait);
  if (next != State::Confirmed) {
    // A BYE out or in ends the session: no more 2xx for its (re-)INVITE.
    timers_.stop(TimerKind::Resend2xx);
    timers_.stop(TimerKind::ReinviteAckWait);
    unacked_2xx_.reset();
  }
  state_ = next;
}

dialog::Dialog* Call::dialog(CallContext& ctx) {
  return dialog_id_ ? ctx.dialogs.find(*dialog_id_) : nullptr;
}

namespace {
/// The user part of the URI in a name-addr (`"Bob" <sip:102@x>;tag=1` → 102).
std::string user_of(const std::string& header_value) {
  auto na = msg::parse_name_addr(header_value);
  if (!na) return {};
  auto uri = msg::parse_uri(na->uri_text());
  if (!uri) return {};
  return uri->user;  // raw, as ringcentral-web-phone reports it (`%23…` stays)
}
std::string tag_or_empty(const std::string& v) { return msg::tag_of(v).value_or(std::string()); }
}  // namespace

PeerInfo Call::peer_info(const msg::Message& m) const {
  // For messages of our own INVITE transaction, From is us; for the peer's
  // INVITE, To is us (§12.1.1, §12.1.2).
  const bool we_are_from = outbound_;
  PeerInfo p;
  const std::string from(m.get("From").value_or(""));
  const std::string to(m.get("To").value_or(""));
  p.local_peer = we_are_from ? from : to;
  p.remote_peer = we_are_from ? to : from;
  if (!we_are_from && !local_tag_.empty() && !msg::tag_of(p.local_peer))
    p.local_peer += ";tag=" + local_tag_;
  p.local_tag = tag_or_empty(p.local_peer);
  p.remote_tag = tag_or_empty(p.remote_peer);
  p.local_user = user_of(p.local_peer);
  p.remote_user = user_of(p.remote_peer);
  if (auto ids = m.get("p-rc-api-ids")) {
    const auto parsed = rc::parse_rc_api_ids(*ids);
    p.party_id = parsed.party_id.value_or("");
    p.session_id = parsed.session_id.value_or("");
  }
  return p;
}

void Call::end(CallContext& ctx, int status, std::string reason) {
  if (state_ == State::Terminated) return;
  abandon_pending_reinvite(ctx);
  transition(State::Terminated);
  if (auto* d = dialog(ctx)) d->terminate();
  drop_forks(ctx);  // the other early dialogs of our INVITE, if it was still ringing
  ctx.events.push_back(CallEnded{handle_, status, std::move(reason)});
}

void Call::abandon_pending_reinvite(CallContext& ctx) {
  // §15.1.2: "the UAS MUST still respond to any pending requests received
  // for that dialog. It is RECOMMENDED that a 487 (Request Terminated)
  // response be generated" — here a re-INVITE the app had not answered yet.
  if (!reinvite_server_) return;
  const txn::TxnId txn = *reinvite_server_;
  reinvite_server_.reset();
  respond(ctx, txn, remote_reinvite_, 487);
}

void Call::fail(CallContext& ctx, int status, std::string status_line) {
  if (state_ == State::Terminated) return;
  transition(State::Terminated);
  if (auto* d = dialog(ctx)) d->terminate();
  drop_forks(ctx);  // §12.3: a non-2xx final ends every early dialog of the INVITE
  ctx.events.push_back(CallFailed{handle_, status, std::move(status_line)});
}

std::string our_via(CallContext& ctx) {
  return std::string("SIP/2.0/") + (ctx.config.secure_transport ? "WSS " : "WS ") + ctx.config.contact_host +
         ";branch=z9hG4bK" + ctx.rng.token(16);
}

Result<msg::Message, dialog::DialogError> Call::new_request(CallContext& ctx, dialog::Dialog& d,
                                                            std::string_view method) {
  auto m = d.create_request(method);
  if (!m) return m;
  // The dialog builds §12.2.1.1's fields; the Via is ours as the transport
  // user, with a fresh branch per transaction (§8.1.1.7).
  m->add_first("Via", our_via(ctx));
  m->add("User-Agent", ctx.config.user_agent);
  return m;
}

bool Call::owns_client_txn(txn::TxnId id) const {
  auto is = [&](const std::optional<txn::TxnId>& t) { return t && *t == id; };
  if (is(invite_client_) || is(cancel_client_) || is(reinvite_client_) || is(bye_client_) ||
      is(refer_client_) || is(refresh_client_) || is(dtmf_client_))
    return true;
  for (const auto& r : requests_)
    if (r.first == id) return true;
  return false;
}

bool Call::owns_server_txn(txn::TxnId id) const {
  return (invite_server_ && *invite_server_ == id) || (reinvite_server_ && *reinvite_server_ == id);
}

void Call::handle_timeout(CallContext& ctx, TimePoint now) {
  if (timers_.take_expired(TimerKind::GlareRetry, now)) send_reinvite(ctx, now);
  if (timers_.take_expired(TimerKind::TransferBye, now) && state_ == State::Confirmed) {
    // RFC 5589 §6.1: the transfer succeeded and the peer did not end our
    // leg itself (RingCentral's edge does), so the transferor does.
    send_bye(ctx, now);
  }
  if (timers_.take_expired(TimerKind::CancelWait, now) && state_ == State::Cancelling) {
    // §9.1: "If there is no final response for the original request in 64*T1
    // seconds ..., the client SHOULD then consider the original transaction
    // cancelled and SHOULD destroy the client transaction".
    if (invite_client_) ctx.txns.abandon_client(*invite_client_);
    invite_client_.reset();
    if (dialog_id_) ctx.dialogs.erase(*dialog_id_);
    dialog_id_.reset();
    fail(ctx, 487, "SIP/2.0 487 Request Terminated (no final response within 64*T1 of our CANCEL)");
  }
  if (timers_.take_expired(TimerKind::AckWait, now) && state_ == State::Accepted) end_unacked_2xx(ctx, now);
  if (timers_.take_expired(TimerKind::Resend2xx, now) && unacked_2xx_) {
    // §13.3.1.4: "The 2xx response is passed to the transport with an
    // interval that starts at T1 seconds and doubles for each retransmission
    // until it reaches T2 seconds". The IST (Accepted) sends what the TU
    // passes it. Once it is gone (Timer L, or the socket closed and took it
    // with it) the core sends it itself: after an outage that is the only
    // way the ACK lost with the old flow can come on the new one (§13.2.2.4);
    // otherwise ReinviteAckWait would BYE a call recovery kept.
    Unacked2xx& u = *unacked_2xx_;
    if (!ctx.txns.respond(u.txn, u.response, now).ok()) ctx.txns.send_stateless(u.response);
    u.interval = std::min(2 * u.interval, ctx.config.t2);
    timers_.set(TimerKind::Resend2xx, now + u.interval);
  }
  if (timers_.take_expired(TimerKind::ReinviteAckWait, now) && unacked_2xx_ && state_ == State::Confirmed)
    end_unacked_2xx(ctx, now);
  switch (session_timer_.handle_timeout(now)) {
    case SessionTimer::Action::None: break;
    case SessionTimer::Action::Refresh:
      if (state_ == State::Confirmed) send_session_refresh(ctx, now);
      break;
    case SessionTimer::Action::Expire:
      // RFC 4028 §10: "If no session refresh request is received before the
      // session expires, the UA SHOULD send a BYE request to terminate the
      // session." An answered call that is still waiting for its ACK ends too.
      if (state_ != State::Confirmed && state_ != State::Accepted) break;
      bye_reason_ = "session timer expired";
      if (state_ == State::Accepted) transition(State::Confirmed);
      send_bye(ctx, now);
      break;
  }
}

void Call::end_unacked_2xx(CallContext& ctx, TimePoint now) {
  // §13.3.1.4: no ACK for our 2xx (to the INVITE or to a re-INVITE) within
  // 64*T1: "the session SHOULD be terminated" → BYE.
  timers_.stop(TimerKind::Resend2xx);
  timers_.stop(TimerKind::ReinviteAckWait);
  unacked_2xx_.reset();
  if (state_ == State::Accepted) transition(State::Confirmed);
  send_bye(ctx, now);
}

void Call::handle_server_failed(CallContext& ctx, txn::TxnId txn, TimePoint /*now*/) {
  if (invite_server_ && *invite_server_ == txn && state_ == State::Incoming)
    end(ctx, 0, "transport closed");
}

}  // namespace wwp::call
