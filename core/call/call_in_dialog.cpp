// Requests inside an established dialog (RFC 3261 §12.2, §14, §15, RFC 3515):
// BYE, re-INVITE both ways with glare handling, REFER both ways, and the
// requests we only acknowledge (INFO, MESSAGE, NOTIFY, UPDATE, OPTIONS).
#include "core/call/call.hpp"
#include "core/call/call_sdp.hpp"
#include "core/call/session_timer.hpp"
#include "core/config/capabilities.hpp"
#include "core/msg/header_fields.hpp"
#include "core/msg/uri.hpp"
#include "core/sdp/sdp_body.hpp"

namespace wwp::call {

namespace {
bool has_line_break(std::string_view s) {
  return s.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos;
}
}  // namespace

void Call::send_bye(CallContext& ctx, TimePoint now) {
  auto* d = dialog(ctx);
  if (!d) return end(ctx, 0, bye_reason_);
  abandon_pending_reinvite(ctx);  // the session is over once the BYE is out (§15.1.1)
  d->abandon_outgoing_invite();  // BYE may cross a pending re-INVITE (§15)
  auto bye = new_request(ctx, *d, "BYE");
  if (!bye) return end(ctx, 0, bye_reason_);
  auto txn = ctx.txns.start_client(std::move(*bye), now);
  if (!txn) return end(ctx, 0, bye_reason_);
  bye_client_ = *txn;
  transition(State::Terminating);
}

Status Call::hold(CallContext& ctx, bool hold, TimePoint now) {
  if (state_ != State::Confirmed)
    return ua_error(UaErrorCode::InvalidState,
                    std::string(hold ? "hold" : "unhold") + ": the call is " + to_string(state_) +
                            ", not answered");
  auto offer = hold_offer(local_sdp_, hold);
  if (!offer) return ua_error(UaErrorCode::InvalidState, offer.error());
  if (reinvite_client_ || timers_.armed(TimerKind::GlareRetry) || our_offer_awaits_ack())
    return ua_error(UaErrorCode::InvalidState, "another re-INVITE is in progress; retry when it completes");
  reinvite_kind_ = hold ? ReinviteKind::Hold : ReinviteKind::Unhold;
  reinvite_holds_ = hold;
  reinvite_offer_ = continued(std::move(*offer));
  send_reinvite(ctx, now);
  return ok_status();
}

Status Call::reinvite(CallContext& ctx, std::string offer, bool to_receive, TimePoint now) {
  if (state_ != State::Confirmed)
    return ua_error(UaErrorCode::InvalidState,
                    std::string("reInvite: the call is ") + to_string(state_) + ", not answered");
  if (offer.empty()) return ua_error(UaErrorCode::InvalidArgument, "reInvite: an SDP offer is required");
  // RFC 3264 §4: no new offer while one is unanswered; an offer in our 2xx
  // is answered only by its ACK.
  if (reinvite_client_ || timers_.armed(TimerKind::GlareRetry) || our_offer_awaits_ack())
    return ua_error(UaErrorCode::InvalidState, "another re-INVITE is in progress; retry when it completes");
  if (!to_receive) {
    auto held = hold_offer(offer, true);
    if (!held) return ua_error(UaErrorCode::InvalidArgument, held.error());
    offer = std::move(*held);
  }
  reinvite_kind_ = ReinviteKind::Offer;
  reinvite_holds_ = !to_receive;
  reinvite_offer_ = continued(std::move(offer));
  send_reinvite(ctx, now);
  return ok_status();
}

void Call::send_reinvite(CallContext& ctx, TimePoint now) {
  auto* d = dialog(ctx);
  if (!d || state_ != State::Confirmed) return;
  if (reinvite_kind_ == ReinviteKind::Refresh) {
    // RFC 4028 §7.4 / RFC 3264 §8: a refresh offers the session unchanged,
    // so the SDP goes again as it is, version and all ("the version MUST
    // NOT change" for an unchanged description is how the peer knows).
    reinvite_offer_ = local_sdp_;
  } else if (reinvite_kind_ != ReinviteKind::Offer) {
    // A retried hold/unhold: from the local SDP as it is now (a re-INVITE of
    // the peer's may have been answered meanwhile, supersede_glare_retry).
    auto offer = hold_offer(local_sdp_, reinvite_kind_ == ReinviteKind::Hold);
    if (offer) reinvite_offer_ = continued(std::move(*offer));
  }
  // The peer's re-INVITE (§14.1) or UPDATE offer (RFC 3311 §5.1) is still
  // open: try again shortly.
  if (reinvite_server_) {
    timers_.set(TimerKind::GlareRetry, now + dialog::glare_retry_delay(ctx.rng, outbound_));
    return;
  }
  auto req = new_request(ctx, *d, "INVITE");
  if (!req) {
    timers_.set(TimerKind::GlareRetry, now + dialog::glare_retry_delay(ctx.rng, outbound_));
    return;
  }
  req->add("Allow", config::kAllow);
  req->add("Supported", config::kSupported);  // RFC 4028 §7.1, in every request
  for (auto& [name, value] : refresh_headers(ctx)) req->add(name, value);
  req->set_body(reinvite_offer_, "application/sdp");
  reinvite_cseq_ = msg::parse_cseq(*req->get("CSeq"))->seq;
  auto txn = ctx.txns.start_client(std::move(*req), now);
  if (txn) reinvite_client_ = *txn;
}

void Call::supersede_glare_retry(CallContext& ctx) {
  // §14.1: our re-INVITE met a 491 and waits to be sent again, and the
  // peer's came first (it is not glare: ours is not in progress, §14.2).
  // Answering it gives the session a new local description, so the offer we
  // kept is stale: an app-made one (its ICE credentials were rolled back by
  // the browser when it took the peer's offer) ends here as 491, and the app
  // makes a fresh one; a hold/unhold offer is rebuilt from the new local SDP
  // when the timer fires (send_reinvite).
  if (reinvite_kind_ != ReinviteKind::Offer) return;
  timers_.stop(TimerKind::GlareRetry);
  ctx.events.push_back(ReinviteDone{handle_, 491, "SIP/2.0 491 Request Pending", {}});
}

void Call::on_reinvite_response(CallContext& ctx, const msg::Message& r, TimePoint now) {
  if (r.status() < 200) return;
  reinvite_client_.reset();
  auto* d = dialog(ctx);
  if (d) d->abandon_outgoing_invite();
  if (r.status() < 300) {
    if (d) (void)d->update_from_response(r);  // target refresh (§12.2.1.2)
    send_ack(ctx, r);
    on_session_2xx(r, now);  // RFC 4028 §7.2: every 2xx settles the timer
    local_sdp_ = reinvite_offer_;
    if (reinvite_kind_ != ReinviteKind::Refresh) held_ = reinvite_holds_;
    const std::string_view answer = sdp::sdp_body(r).value_or("");
    if (!answer.empty() || reinvite_kind_ != ReinviteKind::Refresh) remote_sdp_ = answer;
    // A session refresh is the core's own business: the app asked for nothing.
    if (reinvite_kind_ != ReinviteKind::Refresh)
      ctx.events.push_back(
          ReinviteDone{handle_, r.status(), r.start_line(), std::string(answer), sdp::video_direction(answer)});
    return;
  }
  if (r.status() == 491) {
    // §14.1: glare; retry after a random delay, keep the session as it was.
    timers_.set(TimerKind::GlareRetry, now + dialog::glare_retry_delay(ctx.rng, outbound_));
    return;
  }
  if (reinvite_kind_ == ReinviteKind::Refresh) return end_refresh_failed(ctx, r, now);
  // §14.1: a failed re-INVITE leaves the session unchanged, except that 481
  // and 408 mean the dialog is gone (RFC 5057 §5.1).
  ctx.events.push_back(ReinviteDone{handle_, r.status(), r.start_line(), {}});
  // (Once our BYE is out, §15.1.1, the session is ending already: no second BYE.)
  if ((r.status() == 481 || r.status() == 408) && state_ == State::Confirmed) send_bye(ctx, now);
}

Status Call::answer_reinvite(CallContext& ctx, const std::string& sdp, TimePoint now, bool hold) {
  if (!reinvite_server_)
    return ua_error(UaErrorCode::InvalidState, "answerReinvite: no re-INVITE is waiting for an answer");
  const txn::TxnId txn = *reinvite_server_;
  reinvite_server_.reset();
  if (sdp.empty()) {
    respond(ctx, txn, remote_reinvite_, 488);
    return ok_status();
  }
  if (hold) {
    // We hold the call (the app's hold()): our answer, or our offer for an
    // offerless re-INVITE, keeps it held (RFC 3264 §8.4). The browser made
    // it sendrecv, as it never heard of the hold: the core made that offer.
    auto held = hold_offer(sdp, true);
    if (!held) {
      respond(ctx, txn, remote_reinvite_, 488);
      return ua_error(UaErrorCode::InvalidArgument, "answerReinvite: " + held.error());
    }
    local_sdp_ = continued(std::move(*held));
  } else {
    local_sdp_ = continued(sdp);
  }
  held_ = hold;
  // An offer's answer is the session now; after an offerless re-INVITE the
  // session changes only when the ACK answers ours (Call::handle_ack).
  if (!pending_offer_.empty()) remote_sdp_ = std::move(pending_offer_);
  pending_offer_.clear();
  respond(ctx, txn, remote_reinvite_, 200, "application/sdp", local_sdp_, reinvite_timer_.headers);
  apply_uas_verdict(reinvite_timer_, now);
  return ok_status();
}

void Call::take_peer_offer(CallContext& ctx, txn::TxnId txn, const msg::Message& req, const UasVerdict& timer,
                           std::string_view offer, TimePoint now) {
  if (timer.kind == UasVerdict::Kind::Accept && !offer.empty() && offer == remote_sdp_ && !local_sdp_.empty()) {
    // A session refresh (RFC 4028 §10) offering the session exactly as it
    // was: RFC 3264 §8 leaves the answer as it was too, so the core answers
    // with our current SDP and the app hears nothing.
    respond(ctx, txn, req, 200, "application/sdp", local_sdp_, timer.headers);
    return apply_uas_verdict(timer, now);
  }
  reinvite_server_ = txn;
  remote_reinvite_ = req;
  reinvite_timer_ = timer;
  pending_offer_ = std::string(offer);
  ctx.events.push_back(ReinviteOffer{handle_, req, sdp::video_direction(offer)});
}

std::string Call::continued(std::string sdp) const {
  return continue_session(local_sdp_, adopted_origin_, std::move(sdp));
}

bool Call::our_offer_awaits_ack() const {
  return unacked_2xx_ && unacked_2xx_->offer;
}

void Call::respond_offer_pending(CallContext& ctx, txn::TxnId txn, const msg::Message& req) {
  respond(ctx, txn, req, 500, {}, {}, {{"Retry-After", std::to_string(dialog::server_pending_retry_after(ctx.rng))}});
}

Status Call::refer(CallContext& ctx, const std::string& target, TimePoint now) {
  if (target.empty() || has_line_break(target) || target.find_first_of(" <>\"") != std::string::npos)
    return ua_error(UaErrorCode::InvalidArgument, "transfer: invalid target \"" + target + "\"");
  const bool is_uri = target.rfind("sip:", 0) == 0 || target.rfind("sips:", 0) == 0 || target.rfind("tel:", 0) == 0;
  const std::string uri = is_uri ? target
                                 : "sip:" + target + (target.find('@') == std::string::npos ? "@" + ctx.config.domain : "");
  return refer_to(ctx, "<" + uri + ">", now);
}

Status Call::refer_to(CallContext& ctx, std::string refer_to_value, TimePoint now) {
  if (state_ != State::Confirmed)
    return ua_error(UaErrorCode::InvalidState,
                    std::string("transfer: the call is ") + to_string(state_) + ", not answered");
  if (refer_client_) return ua_error(UaErrorCode::InvalidState, "transfer: a REFER is already pending");
  if (has_line_break(refer_to_value)) return ua_error(UaErrorCode::InvalidArgument, "transfer: CR/LF refused");
  auto* d = dialog(ctx);
  if (!d) return ua_error(UaErrorCode::InvalidState, "transfer: no dialog");
  auto req = new_request(ctx, *d, "REFER");
  if (!req) return ua_error(UaErrorCode::InvalidState, "transfer: " + req.error().message);
  req->add("Refer-To", std::move(refer_to_value));
  req->add("Referred-By", "<sip:" + ctx.config.username + "@" + ctx.config.domain + ">");
  req->set_body({});
  auto txn = ctx.txns.start_client(std::move(*req), now);
  if (!txn) return Err<UaError>{txn.error()};
  refer_client_ = *txn;
  return ok_status();
}

Result<std::uint32_t, UaError> Call::send_request(CallContext& ctx, const std::string& method,
                                                  const std::string& content_type,
                                                  const std::string& body, TimePoint now) {
  // RFC 6086 §4.2: INFO (and the others) may also be sent in an early
  // dialog; RingCentral then answers its JSON commands with a code (-4).
  if (state_ != State::Confirmed && state_ != State::Accepted && state_ != State::Early)
    return ua_error(UaErrorCode::InvalidState,
                    method + ": the call is " + to_string(state_) + ", no dialog to send it in");
  if (method == "INVITE" || method == "ACK" || method == "CANCEL" || method == "BYE")
    return ua_error(UaErrorCode::InvalidArgument, method + " has its own command");
  if (has_line_break(content_type) || has_line_break(method))
    return ua_error(UaErrorCode::InvalidArgument, "CR/LF in method or content type refused");
  auto* d = dialog(ctx);
  if (!d) return ua_error(UaErrorCode::InvalidState, method + ": no dialog");
  auto req = new_request(ctx, *d, method);
  if (!req) return ua_error(UaErrorCode::InvalidState, method + ": " + req.error().message);
  req->set_body(body, body.empty() ? std::string_view{} : std::string_view(content_type));
  auto txn = ctx.txns.start_client(std::move(*req), now);
  if (!txn) return Err<UaError>{txn.error()};
  const std::uint32_t id = next_request_++;
  requests_.emplace_back(*txn, id);
  return id;
}

void Call::handle_request(CallContext& ctx, txn::TxnId txn, const msg::Message& req, dialog::Dialog* d,
                          TimePoint now) {
  if (d && d != dialog(ctx) && req.method() == "BYE") {
    // A BYE in another fork's early dialog while our INVITE rings (§15 lets
    // only the caller BYE an early dialog; taken leniently): that fork
    // alone ends, the others still ring.
    respond(ctx, txn, req, 200);
    return d->terminate();
  }
  if (d) {
    auto valid = d->validate_request(req);
    if (!valid) {
      respond(ctx, txn, req, valid.error().sip_status_hint ? valid.error().sip_status_hint : 500);
      return;
    }
  }
  const std::string_view method = req.method();
  if (method == "BYE") {
    abandon_pending_reinvite(ctx);  // its 487 first, then the BYE's 200 (§15.1.2)
    // A caller's BYE on the early dialog of a call still ringing here
    // (§15: allowed, though CANCEL is the usual way): the INVITE "MUST
    // still" get its final response, 487 (§15.1.2), or its transaction and
    // the caller's would wait for Timer C.
    if (state_ == State::Incoming && invite_server_) respond(ctx, *invite_server_, remote_invite_, 487);
    respond(ctx, txn, req, 200);
    // The callee "MUST NOT send a BYE on early dialogs" (§15), taken
    // leniently as a hangup; but our INVITE is still pending at the proxy
    // and at every other fork: cancelled (§9.1), or they rang on, the one
    // that answered got ACK and BYE, and the INVITE transaction waited with
    // no owner.
    if (outbound_ && state_ == State::Early) send_cancel(ctx, now);
    // A BYE while our INVITE is still pending (early dialog): §15.1.2. One
    // crossing our own BYE ends the call we were ending anyway; its 200 then
    // finds no owner and is absorbed (Ua::route_txn_event).
    end(ctx, 0, state_ == State::Terminating ? "local hangup" : "remote hangup");
    return;
  }
  if ((method == "INVITE" || method == "REFER" || method == "UPDATE") && state_ == State::Terminating) {
    // §15.1.1: once our BYE is out the session is over; the dialog lingers
    // only for the BYE's answer, so nothing may modify or move the session.
    return respond(ctx, txn, req, 481);
  }
  if (method == "INVITE") {
    // An UPDATE's offer still waiting for our answer is, for this
    // re-INVITE, what a pending re-INVITE is (RFC 3311 §5.2, §14.2).
    const auto verdict = reinvite_server_ ? dialog::ReinviteVerdict::ServerPending
                         : d              ? d->on_incoming_reinvite()
                                          : dialog::ReinviteVerdict::Proceed;
    // RFC 3264 §4 (and RFC 6337 §3.1): no new offer while ours is
    // unanswered; an offer in our 2xx is answered only by the ACK.
    if (verdict == dialog::ReinviteVerdict::Glare || our_offer_awaits_ack()) return respond(ctx, txn, req, 491);
    if (verdict == dialog::ReinviteVerdict::ServerPending) return respond_offer_pending(ctx, txn, req);
    const UasVerdict timer = uas_negotiate(req, timer_config(ctx));
    if (timer.kind == UasVerdict::Kind::Reject422)
      return respond(ctx, txn, req, 422, {}, {}, {{"Min-SE", std::to_string(timer.min_se)}});
    if (timers_.armed(TimerKind::GlareRetry)) supersede_glare_retry(ctx);
    if (req.has("Allow")) peer_allows_update_ = lists_option(req, "Allow", "UPDATE");
    const auto offer = sdp::sdp_body(req);
    if (!offer) {
      // §8.2.3: a body we cannot read; the session stays as it was.
      return respond(ctx, txn, req, 415, {}, {}, {{"Accept", std::string(sdp::kAcceptedBodies)}});
    }
    // An offerless re-INVITE (RFC 3261 §14.2, RFC 3264 §4) asks us for a
    // fresh offer, e.g. from a server that moves the media elsewhere (3pcc,
    // RFC 3725): the app's media makes it (a ReinviteOffer without SDP), our
    // 2xx carries it and the ACK brings the answer. Repeating our last SDP
    // here would offer what the browser once answered, and the ACK's answer
    // would never reach the browser: the call would go silent.
    return take_peer_offer(ctx, txn, req, timer, *offer, now);
  }
  if (method == "UPDATE") {
    const UasVerdict timer = uas_negotiate(req, timer_config(ctx));
    if (timer.kind == UasVerdict::Kind::Reject422)
      return respond(ctx, txn, req, 422, {}, {}, {{"Min-SE", std::to_string(timer.min_se)}});
    const auto offer = sdp::sdp_body(req);
    if (!offer) return respond(ctx, txn, req, 415, {}, {}, {{"Accept", std::string(sdp::kAcceptedBodies)}});
    if (offer->empty()) {
      // RFC 3311 without a body: a session refresh (RFC 4028 §7.4, §9) or a
      // target refresh; either way only its 200 and the timer it settles.
      respond(ctx, txn, req, 200, {}, {}, timer.headers);
      return apply_uas_verdict(timer, now);
    }
    // RFC 3311 §5.2, an offer in an UPDATE. "If ... the UAS has generated an
    // offer ... to which it has not yet received an answer, the UAS MUST
    // reject the UPDATE with a 491"; if it "has received an offer ... to which
    // it has not yet generated an answer", with a 500 and a Retry-After. Before
    // the call is answered the INVITE's offer/answer is one of those (we send
    // no reliable provisionals, RFC 3262); so is an offer of ours in a 2xx
    // until the ACK brings its answer.
    const bool confirmed = state_ == State::Confirmed;
    if ((outbound_ && !confirmed) || our_offer_awaits_ack() || (d && d->outgoing_invite_in_progress()))
      return respond(ctx, txn, req, 491);
    if (!confirmed || reinvite_server_) return respond_offer_pending(ctx, txn, req);
    // As for a re-INVITE's offer; the app's answer goes in the UPDATE's own
    // 200 (no ACK follows, §5.2). An offer of ours waiting to be retried is
    // stale once this one is answered.
    if (timers_.armed(TimerKind::GlareRetry)) supersede_glare_retry(ctx);
    return take_peer_offer(ctx, txn, req, timer, *offer, now);
  }
  if (method == "REFER") return on_refer(ctx, txn, req, now);
  if (method == "INFO") {
    // A DTMF INFO (legacy INFO usage, RFC 6086 §2) is the core's to read;
    // every other INFO (RingCentral's JSON results among them) keeps its
    // 200 and reaches the app through `inboundMessage`.
    const DtmfBody dtmf = dtmf_body_of(req.get("Content-Type").value_or(""));
    if (dtmf != DtmfBody::None) return on_dtmf_info(ctx, txn, req, dtmf);
    rc_on_info(ctx, req);
  }
  if (method == "NOTIFY" && (refer_accepted_ || refer_client_) && req.body().rfind("SIP/2.0 2", 0) == 0) {
    // RFC 3515 §2.4.5: our REFER's target answered (a 2xx sipfrag). The
    // NOTIFY may overtake the REFER's 202 (RFC 6665 §4.1.2.4); then the 202
    // arms the timer.
    if (refer_accepted_) timers_.set(TimerKind::TransferBye, now + 2000);
    else transfer_done_before_202_ = true;
  }
  if (method == "INFO" || method == "MESSAGE" || method == "NOTIFY" || method == "OPTIONS") {
    // The message itself reaches the app through the session's
    // `inboundMessage` feed; here it only needs its 200 (spec §3.6).
    std::vector<std::pair<std::string, std::string>> extra;
    if (method == "OPTIONS") {
      // §11.2: a 200 to OPTIONS says what we can do.
      extra.emplace_back("Allow", config::kAllow);
      extra.emplace_back("Supported", config::kSupported);
    }
    return respond(ctx, txn, req, 200, {}, {}, std::move(extra));
  }
  respond(ctx, txn, req, 501, {}, {}, {{"Allow", std::string(config::kAllow)}});
}

void Call::on_refer(CallContext& ctx, txn::TxnId txn, const msg::Message& req, TimePoint now) {
  const auto refer_to = req.get("Refer-To");
  if (!refer_to) return respond(ctx, txn, req, 400);  // RFC 3515 §2.4.1
  const auto na = msg::parse_name_addr(*refer_to);
  if (!na) return respond(ctx, txn, req, 400);
  auto uri = msg::parse_uri(na->uri_text());
  if (!uri) return respond(ctx, txn, req, 400);
  std::string replaces;
  for (const auto& h : uri->headers)
    if (h.name == "Replaces" || h.name == "replaces") replaces = msg::percent_decode(h.value);
  uri->headers.clear();
  respond(ctx, txn, req, 202);
  refer_subscription_ = true;
  ctx.events.push_back(ReferReceived{handle_, req, uri->to_string(), std::move(replaces)});
  // RFC 3515 §2.4.4: the implicit subscription starts with a NOTIFY.
  (void)refer_progress(ctx, 100, now);
}

Status Call::refer_progress(CallContext& ctx, int status, TimePoint now) {
  if (!refer_subscription_) return ua_error(UaErrorCode::InvalidState, "no REFER to report on");
  auto* d = dialog(ctx);
  if (!d || state_ == State::Terminated) return ua_error(UaErrorCode::InvalidState, "the call has ended");
  auto notify = new_request(ctx, *d, "NOTIFY");
  if (!notify) return ua_error(UaErrorCode::InvalidState, notify.error().message);
  const bool final = status >= 200;
  notify->add("Event", "refer");
  notify->add("Subscription-State", final ? "terminated;reason=noresource" : "active;expires=60");
  const std::string reason(msg::default_reason(status));
  notify->set_body("SIP/2.0 " + std::to_string(status) + " " + reason + "\r\n", "message/sipfrag;version=2.0");
  if (final) refer_subscription_ = false;
  auto t = ctx.txns.start_client(std::move(*notify), now);
  if (!t) return Err<UaError>{t.error()};
  requests_.emplace_back(*t, 0);
  return ok_status();
}

}  // namespace wwp::call
