// The INVITE session's side of RFC 4028 session timers: what its requests
// and 2xx responses carry, the 422 retry of the initial INVITE, and the
// refresh it sends as the refresher. The timing itself is SessionTimer's
// (core/call/session_timer.hpp).
#include "core/call/call.hpp"
#include "core/config/capabilities.hpp"
#include "core/msg/header_fields.hpp"

namespace wwp::call {

namespace {
/// RFC 4028 §7.4 leaves the number of 422 retries to the UAC; two is enough
/// for a proxy and a UAS that each raise the floor once.
constexpr int kMax422Retries = 2;
}  // namespace

SessionTimerConfig Call::timer_config(const CallContext& ctx) const {
  return clamp(ctx.config.session_expires, ctx.config.min_se);
}

void Call::on_session_2xx(const msg::Message& response, TimePoint now) {
  if (response.has("Allow")) peer_allows_update_ = lists_option(response, "Allow", "UPDATE");
  // §7.2 for the initial INVITE; §10 for each refresh: "the session
  // interval ... [is] the value of the Session-Expires in the 2xx".
  if (const auto terms = uac_on_2xx(response)) session_timer_.start(*terms, now);
  else session_timer_.stop();
}

void Call::apply_uas_verdict(const UasVerdict& verdict, TimePoint now) {
  // §9: the 2xx we sent carried Session-Expires (the timer runs from now),
  // or it did not, and then there is no session expiration.
  if (verdict.kind == UasVerdict::Kind::Accept) session_timer_.start(verdict.terms, now);
  else session_timer_.stop();
}

bool Call::retry_session_interval(CallContext& ctx, const msg::Message& r, TimePoint now) {
  // RFC 4028 §7.4 (UAC behaviour on 422): "the UAC MAY retry the INVITE
  // with a Session-Expires ... [no] lower than the Min-SE in the 422, and
  // the Min-SE header field ... set to the largest value it received".
  if (session_422_retries_ >= kMax422Retries) return false;
  const auto their_min = parse_min_se(r.get("Min-SE").value_or(""));
  if (!their_min) return false;
  const SessionTimerConfig st = timer_config(ctx);
  const auto ours = parse_session_expires(invite_.get("Session-Expires").value_or(""));
  const auto sent_min = parse_min_se(invite_.get("Min-SE").value_or(""));
  const std::uint32_t min_se = std::max({*their_min, st.min_se, sent_min.value_or(0)});
  const std::uint32_t interval = std::max(min_se, ours ? ours->delta : 0);
  // A 422 that asks for nothing more than we sent would loop.
  if (ours && sent_min && interval <= ours->delta && min_se <= *sent_min) return false;
  ++session_422_retries_;
  // Like the credentials retry (RFC 3261 §22.2): same Call-ID, From tag and
  // To; CSeq + 1; a new branch.
  msg::Message m = invite_;
  const auto cseq = msg::parse_cseq(*m.get("CSeq"));
  m.set("CSeq", std::to_string(cseq->seq + 1) + " INVITE");
  m.set("Via", our_via(ctx));
  m.set("Session-Expires", std::to_string(interval));
  m.set("Min-SE", std::to_string(min_se));
  if (challenged_ && digest_) {
    // The digest nonce count moves on with every request (RFC 7616 §3.4).
    auto headers = digest_->authorize("INVITE", invite_.request_uri(), ctx.rng);
    if (headers) {
      m.remove("Authorization");
      m.remove("Proxy-Authorization");
      for (const auto& h : *headers) m.add(std::string(h.name), h.value);
    }
  }
  invite_ = m;
  auto txn = ctx.txns.start_client(std::move(m), now);
  if (!txn) return false;
  invite_client_ = *txn;
  return true;
}

std::vector<std::pair<std::string, std::string>> Call::refresh_headers(const CallContext& ctx) const {
  if (!session_timer_.active()) return {};
  // §7.4: a refresh (any re-INVITE/UPDATE of ours while the timer runs)
  // carries the current interval; refresher is named from this request's
  // point of view: "uac" keeps us the refresher, "uas" keeps the peer.
  SessionExpires se{session_timer_.interval(),
                    session_timer_.terms().we_refresh ? SessionExpires::Refresher::Uac
                                                      : SessionExpires::Refresher::Uas};
  return {{"Session-Expires", to_string(se)},
          {"Min-SE", std::to_string(std::min(timer_config(ctx).min_se, se.delta))}};
}

void Call::send_session_refresh(CallContext& ctx, TimePoint now) {
  auto* d = dialog(ctx);
  if (!d) return;
  if (reinvite_client_ || refresh_client_ || timers_.armed(TimerKind::GlareRetry)) {
    // A re-INVITE of ours is under way: it carries Session-Expires, and its
    // 2xx restarts the timer. Look again shortly in case it fails.
    session_timer_.retry_refresh(now + 4 * ctx.config.t1);
    return;
  }
  if (!peer_allows_update_ && !local_sdp_.empty()) {
    // §7.4: "the UAC MAY use either a re-INVITE or an UPDATE"; without
    // UPDATE in the peer's Allow, a re-INVITE with the unchanged offer.
    reinvite_kind_ = ReinviteKind::Refresh;
    send_reinvite(ctx, now);
    return;
  }
  // UPDATE without a body: no offer/answer, nothing for the media to do
  // (RFC 3311 §5.1; RFC 4028 §7.4 prefers it for that reason).
  auto req = new_request(ctx, *d, "UPDATE");
  if (!req) return session_timer_.retry_refresh(now + 4 * ctx.config.t1);
  req->add("Supported", config::kSupported);
  for (auto& [name, value] : refresh_headers(ctx)) req->add(name, value);
  req->set_body({});
  auto txn = ctx.txns.start_client(std::move(*req), now);
  if (txn) refresh_client_ = *txn;
}

void Call::on_refresh_response(CallContext& ctx, const msg::Message& r, TimePoint now) {
  if (r.status() < 200) return;
  refresh_client_.reset();
  if (r.status() < 300) {
    if (auto* d = dialog(ctx)) (void)d->update_from_response(r);  // UPDATE is a target refresh
    return on_session_2xx(r, now);
  }
  if (r.status() == 405 || r.status() == 501) {
    // The peer listed UPDATE but will not take it: the re-INVITE then.
    peer_allows_update_ = false;
    // A re-INVITE of the app's in flight or waiting to retry refreshes the
    // session too (§7.4); it must not be replaced by an unchanged-SDP one.
    if (!local_sdp_.empty() && !reinvite_client_ && !timers_.armed(TimerKind::GlareRetry)) {
      reinvite_kind_ = ReinviteKind::Refresh;
      send_reinvite(ctx, now);
    }
    return;
  }
  end_refresh_failed(ctx, r, now);
}

void Call::end_refresh_failed(CallContext& ctx, const msg::Message& r, TimePoint now) {
  // §10: "If the session refresh request transaction times out or generates
  // a 408 or 481 response, then the UAC sends a BYE request" (Timer F comes
  // here as a synthetic 408). Any other failure leaves the session as it
  // was (RFC 3261 §14.1); the peer ends it if it wants the refresh.
  if (r.status() != 408 && r.status() != 481) return;
  if (state_ != State::Confirmed) return;
  bye_reason_ = "session refresh failed: " + r.start_line();
  send_bye(ctx, now);
}

}  // namespace wwp::call
