// The outbound INVITE: building it (RFC 3261 §8.1.1, §13.2.1), answering a
// 401/407 challenge once (§22.2–22.3), provisional and final responses
// (§13.2.2), ACK for 2xx (§13.2.2.4) and CANCEL (§9.1).
#include <cctype>

#include "core/call/call.hpp"
#include "core/config/capabilities.hpp"
#include "core/msg/header_fields.hpp"
#include "core/sdp/sdp_body.hpp"

namespace wwp::call {

namespace {

bool is_token(std::string_view s) {
  if (s.empty()) return false;
  for (unsigned char c : s)
    if (!(std::isalnum(c) || std::string_view("-.!%*_+`'~").find(static_cast<char>(c)) != std::string_view::npos))
      return false;
  return true;
}

bool has_line_break(std::string_view s) { return s.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos; }

/// `16505550100` → `sip:16505550100@domain`; full URIs are kept.
std::string request_uri_for(const std::string& callee, const std::string& domain) {
  if (callee.rfind("sip:", 0) == 0 || callee.rfind("sips:", 0) == 0 || callee.rfind("tel:", 0) == 0)
    return callee;
  if (callee.find('@') != std::string::npos) return "sip:" + callee;
  return "sip:" + callee + "@" + domain;
}

}  // namespace

Result<Call, UaError> Call::start_outbound(CallHandle handle, CallContext& ctx,
                                           const InviteParams& p, TimePoint now) {
  if (p.callee.empty() || has_line_break(p.callee) || p.callee.find_first_of(" <>\"") != std::string::npos)
    return ua_error(UaErrorCode::InvalidArgument, "invalid callee \"" + p.callee + "\"");
  if (has_line_break(p.caller_id) || p.caller_id.find_first_of(" <>\"") != std::string::npos)
    return ua_error(UaErrorCode::InvalidArgument, "invalid callerId");
  for (const auto& [name, value] : p.headers) {
    if (!is_token(name))
      return ua_error(UaErrorCode::InvalidArgument, "invalid header name \"" + name + "\"");
    if (has_line_break(value))
      return ua_error(UaErrorCode::InvalidArgument,
                      "header " + name + " contains CR or LF: header injection refused");
  }
  if (p.sdp.empty()) return ua_error(UaErrorCode::InvalidArgument, "an SDP offer is required");

  Call c(handle, ctx.rng.token(24));
  c.outbound_ = true;
  c.local_tag_ = ctx.rng.token(12);
  const Config& cfg = ctx.config;
  const std::string ruri = request_uri_for(p.callee, cfg.domain);
  msg::Message m = msg::Message::request("INVITE", ruri);
  m.add("Via", our_via(ctx));
  m.add("Max-Forwards", "70");
  m.add("To", "<" + ruri + ">");
  m.add("From", "<sip:" + cfg.username + "@" + cfg.domain + ">;tag=" + c.local_tag_);
  m.add("Call-ID", c.call_id_);
  m.add("CSeq", std::to_string(ctx.rng.next_u64() % 9000 + 1) + " INVITE");
  m.add("Contact", "<" + ctx.contact_uri + ">");
  m.add("Allow", config::kAllow);
  // RFC 4028 §7.1: "A UAC which supports the session timer extension ...
  // MUST include a Supported header field in each request (except ACK),
  // listing the option tag 'timer'".
  m.add("Supported", config::kSupported);
  if (const SessionTimerConfig st = c.timer_config(ctx); st.session_expires > 0)
    for (auto& [name, value] : uac_request_headers(st.session_expires, st.min_se)) m.add(name, value);
  m.add("User-Agent", cfg.user_agent);
  // RingCentral's caller-id selection (spec §7.1): no angle brackets.
  if (!p.caller_id.empty()) m.add("P-Asserted-Identity", "sip:" + p.caller_id + "@" + cfg.domain);
  for (const auto& [name, value] : p.headers) m.set(name, value);
  m.set_body(p.sdp, "application/sdp");
  c.local_sdp_ = p.sdp;
  c.invite_ = m;
  auto txn = ctx.txns.start_client(std::move(m), now);
  if (!txn) return Err<UaError>{txn.error()};
  c.invite_client_ = *txn;
  return c;
}

void Call::handle_response(CallContext& ctx, txn::TxnId txn, const msg::Message& r, TimePoint now) {
  if (invite_client_ && *invite_client_ == txn) return on_invite_response(ctx, r, now);
  if (cancel_client_ && *cancel_client_ == txn) {
    // 200 for CANCEL: the INVITE's 487 ends the call; a 481 means the
    // INVITE already completed (§9.1) and its own final decides.
    if (r.status() >= 200) cancel_client_.reset();
    return;
  }
  if (reinvite_client_ && *reinvite_client_ == txn) return on_reinvite_response(ctx, r, now);
  if (refresh_client_ && *refresh_client_ == txn) return on_refresh_response(ctx, r, now);
  if (dtmf_client_ && *dtmf_client_ == txn) return on_dtmf_response(ctx, r, now);
  if (bye_client_ && *bye_client_ == txn) {
    if (r.status() >= 200) {
      bye_client_.reset();
      end(ctx, r.status(), bye_reason_);
    }
    return;
  }
  if (refer_client_ && *refer_client_ == txn) {
    if (r.status() >= 200) {
      refer_client_.reset();
      refer_accepted_ = r.status() < 300;
      if (refer_accepted_ && transfer_done_before_202_) timers_.set(TimerKind::TransferBye, now + 2000);
      transfer_done_before_202_ = false;
      ctx.events.push_back(ReferDone{handle_, r.status(), r.start_line()});
    }
    return;
  }
  for (auto it = requests_.begin(); it != requests_.end(); ++it) {
    if (it->first != txn || r.status() < 200) continue;
    const std::uint32_t id = it->second;
    ctx.events.push_back(RequestDone{handle_, id, r.status(), r.start_line()});
    requests_.erase(it);
    if (r.status() >= 300) rc_info_refused(ctx, id, r);
    // §12.2.1.2: 481/408 to an in-dialog request ends the dialog (RFC 5057),
    // except to our NOTIFY about the peer's REFER (request 0): that ends only
    // the refer subscription (RFC 5057 §5.1, e.g. the transferor let it
    // expire while the target rang), and the call goes on.
    if (r.status() != 481 && r.status() != 408) return;
    // Only a request sent in the dialog speaks for it: RingCentral's x-rc
    // MESSAGEs (call_rc.cpp) go outside it with a From tag of their own, and
    // a 408 or 481 to one (a Cmd 17 the server never answered) ended the
    // answered call here, with no BYE, while the far end talked on.
    if (msg::tag_of(r.get(msg::HeaderId::From).value_or("")).value_or("") != local_tag_) return;
    if (id == 0) {
      refer_subscription_ = false;
      return;
    }
    if (state_ == State::Confirmed) end(ctx, r.status(), "dialog gone: " + r.start_line());
    return;
  }
}

void Call::on_invite_response(CallContext& ctx, const msg::Message& r, TimePoint now) {
  const int status = r.status();
  if (status == 100) return;
  if (status < 200) {
    // §13.2.2.1: a provisional with a To tag creates an early dialog, one
    // per fork (call_early.cpp).
    CallProgress e{handle_, r, peer_info(r), false, false};
    on_provisional(ctx, r, e);
    if (state_ == State::Calling) transition(State::Early);
    ctx.events.push_back(std::move(e));
    if (cancel_pending_) {
      cancel_pending_ = false;
      send_cancel(ctx, now);
    }
    return;
  }
  invite_client_.reset();
  if (status < 300) {
    // hangup() came first: a CANCEL is out (or waits for a 1xx). Its own 200
    // may overtake this 2xx, so the state says it, not cancel_client_.
    const bool hung_up = state_ == State::Cancelling || cancel_pending_;
    // §13.2.2.4: 2xx → confirmed dialog and ACK from the TU. Its To tag
    // picks the fork; the other early dialogs end here.
    take_winner(ctx, r);
    if (!dialog_id_) {
      if (auto d = dialog::Dialog::from_uac(invite_, r)) {
        d->set_local_contact("<" + ctx.contact_uri + ">");
        if (auto inserted = ctx.dialogs.insert(std::move(*d))) dialog_id_ = (*inserted)->id();
      }
    }
    if (auto* d = dialog(ctx)) (void)d->update_from_response(r);
    if (!dialog(ctx)) {
      fail(ctx, 502, "SIP/2.0 502 Bad Gateway (2xx without a usable To tag)");
      return;
    }
    if (digest_) digest_->handle_accepted();
    remote_sdp_ = sdp::sdp_body(r).value_or("");
    transition(State::Confirmed);
    on_session_2xx(r, now);
    send_ack(ctx, r);
    peer_ = peer_info(r);
    ctx.events.push_back(CallAnswered{handle_, r, peer_, sdp::video_direction(remote_sdp_)});
    if (hung_up) {
      // Our CANCEL lost the race with the 2xx: end the call properly (§9.1).
      cancel_pending_ = false;
      send_bye(ctx, now);
    }
    return;
  }
  if ((status == 401 || status == 407) && state_ != State::Cancelling && !cancel_pending_ &&
      retry_with_credentials(ctx, r, now))
    return;
  if (status == 422 && state_ != State::Cancelling && !cancel_pending_ && retry_session_interval(ctx, r, now))
    return;
  if (dialog_id_) ctx.dialogs.erase(*dialog_id_);
  dialog_id_.reset();
  fail(ctx, status, r.start_line());
}

bool Call::retry_with_credentials(CallContext& ctx, const msg::Message& r, TimePoint now) {
  const bool proxy = r.status() == 407;
  if (!digest_) digest_.emplace(auth::Credentials{ctx.config.authorization_id, ctx.config.password});
  const auto kind = proxy ? auth::ChallengeKind::Proxy : auth::ChallengeKind::Www;
  auto outcome = digest_->handle_challenge(kind, r.get_all(proxy ? "Proxy-Authenticate" : "WWW-Authenticate"));
  // A second challenge that is not `stale` means the credentials were refused.
  if (!outcome || (challenged_ && !outcome->is_stale_retry)) return false;
  challenged_ = true;
  auto headers = digest_->authorize("INVITE", invite_.request_uri(), ctx.rng);
  if (!headers) return false;
  // §22.2: same Call-ID, From tag and To; CSeq + 1; a new branch.
  msg::Message m = invite_;
  const auto cseq = msg::parse_cseq(*m.get("CSeq"));
  m.set("CSeq", std::to_string(cseq->seq + 1) + " INVITE");
  m.set("Via", our_via(ctx));
  m.remove("Authorization");
  m.remove("Proxy-Authorization");
  for (const auto& h : *headers) m.add(std::string(h.name), h.value);
  invite_ = m;
  auto txn = ctx.txns.start_client(std::move(m), now);
  if (!txn) return false;
  invite_client_ = *txn;
  return true;
}

void Call::send_cancel(CallContext& ctx, TimePoint now) {
  auto cancel = dialog::make_cancel(invite_);
  if (!cancel) return;
  auto txn = ctx.txns.start_client(std::move(*cancel), now);
  if (txn) cancel_client_ = *txn;
  if (state_ == State::Calling || state_ == State::Early) {
    transition(State::Cancelling);
    timers_.set(TimerKind::CancelWait, now + 64 * ctx.config.t1);
  }
}

void Call::send_ack(CallContext& ctx, const msg::Message& response) {
  auto* d = dialog(ctx);
  if (!d) return;
  const auto cseq = msg::parse_cseq(response.get("CSeq").value_or(""));
  if (!cseq) return;
  msg::Message ack = d->create_ack(cseq->seq);
  // The ACK for a 2xx is its own transaction with its own branch (§17.1.1.3).
  ack.add_first("Via", our_via(ctx));
  ack.set_body({});
  ctx.txns.send_stateless(std::move(ack));
}

bool end_unwanted_2xx(CallContext& ctx, const msg::Message& response, TimePoint now, bool bye_sent,
                      std::optional<txn::TxnId>* bye) {
  auto d = dialog::Dialog::from_uac_response(response);
  if (!d) return false;
  // The ACK first (CSeq of the INVITE, a branch of its own, §17.1.1.3),
  // then the BYE in a client transaction of its own (CSeq + 1, §12.2.1.1).
  msg::Message ack = d->create_ack(*d->local_seq());
  ack.add_first("Via", our_via(ctx));
  ack.set_body({});
  ctx.txns.send_stateless(std::move(ack));
  if (bye_sent) return true;
  auto req = d->create_request("BYE");
  if (!req) return true;
  req->add_first("Via", our_via(ctx));
  req->add("User-Agent", ctx.config.user_agent);
  req->set_body({});
  if (auto txn = ctx.txns.start_client(std::move(*req), now)) *bye = *txn;
  return true;
}

void Call::handle_stray_2xx(CallContext& ctx, const msg::Message& response) {
  // §13.2.2.4: every 2xx retransmission gets the same ACK again.
  if (state_ == State::Confirmed || state_ == State::Terminating) send_ack(ctx, response);
}

}  // namespace wwp::call
