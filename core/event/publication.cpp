#include "core/event/publication.hpp"

#include <algorithm>
#include <charconv>

#include "core/msg/header_fields.hpp"

namespace wwp::event {

namespace {
/// Failures of a refresh that say nothing about our state at the compositor:
/// no answer (408, also Timer F's), a connection lost (the transaction
/// layer's 503), a server busy or unreachable (500, 503, 504).
bool transient(int status) { return status == 408 || status == 500 || status == 503 || status == 504; }
}  // namespace

const char* to_string(PubState s) {
  switch (s) {
    case PubState::Idle: return "idle";
    case PubState::Publishing: return "publishing";
    case PubState::Published: return "published";
    case PubState::Removing: return "removing";
    case PubState::Removed: return "removed";
    case PubState::Failed: return "failed";
  }
  return "?";
}

Result<std::uint32_t, UaError> Publication::publish(PublishParams p, const Config& c, Rng& rng, TimePoint now) {
  if (p.body.empty()) return ua_error(UaErrorCode::InvalidArgument, "publish: the body is empty");
  if (p.body.size() > 64 * 1024) return ua_error(UaErrorCode::InvalidArgument, "publish: the body is over 64 KiB");
  if (!msg::parse_media_type(p.content_type) || p.content_type.find_first_of("\r\n") != std::string::npos)
    return ua_error(UaErrorCode::InvalidArgument, "publish: invalid content type \"" + p.content_type + "\"");
  if (p.expires == 0) return ua_error(UaErrorCode::InvalidArgument, "publish: expires must be above 0 (use remove)");
  params_ = std::move(p);
  ++generation_;
  if (call_id_.empty()) {
    call_id_ = rng.token(24);
    from_tag_ = rng.token(12);
    cseq_ = static_cast<std::uint32_t>(rng.next_u64() % 9000 + 1);
  }
  const Kind kind = etag_.empty() ? Kind::Initial : Kind::Modify;
  state_ = PubState::Publishing;
  if (awaiting_) {
    queued_ = kind;
  } else {
    send(kind, c, rng);
  }
  (void)now;
  return generation_;
}

void Publication::remove(const Config& c, Rng& rng, TimePoint now) {
  timers_.stop(TimerKind::Refresh);
  timers_.stop(TimerKind::Expiry);
  if (etag_.empty() && !awaiting_) {
    changed(PubState::Removed);
    return;
  }
  state_ = PubState::Removing;
  if (awaiting_) {
    queued_ = Kind::Remove;
  } else {
    send(Kind::Remove, c, rng);
  }
  (void)now;
}

void Publication::republish(const Config& c, Rng& rng) {
  if (state_ != PubState::Published && state_ != PubState::Publishing) return;
  etag_.clear();
  if (awaiting_) queued_ = Kind::Initial;
  else send(Kind::Initial, c, rng);
}

void Publication::send(Kind kind, const Config& c, Rng& rng) {
  const std::string self = aor(c);
  // §4: the Request-URI is the presentity (ourselves); outside any dialog.
  msg::Message m = new_request("PUBLISH", self, "<" + self + ">", from_tag_, call_id_, cseq_++, c, rng);
  m.add("Event", event_);
  if (kind != Kind::Initial) m.add("SIP-If-Match", etag_);
  m.add("Expires", kind == Kind::Remove ? "0" : std::to_string(params_.expires));
  if (kind == Kind::Initial || kind == Kind::Modify) m.set_body(params_.body, params_.content_type);
  auth_.authorize(m, rng);
  sent_ = m;
  sent_kind_ = kind;
  if (kind == Kind::Initial || kind == Kind::Modify) sent_generation_ = generation_;
  awaiting_ = true;
  out_.push_back(std::move(m));
}

void Publication::send_queued(const Config& c, Rng& rng) {
  if (!queued_) return;
  Kind k = *queued_;
  queued_.reset();
  if (k == Kind::Modify && etag_.empty()) k = Kind::Initial;
  if (k == Kind::Remove && etag_.empty()) {
    changed(PubState::Removed);
    return;
  }
  send(k, c, rng);
}

void Publication::changed(PubState s, int status, std::string reason) {
  state_ = s;
  events_.push_back(PublicationChanged{event_, s, status, std::move(reason), s == PubState::Published ? params_.expires : 0,
                                       sent_generation_});
}

void Publication::handle_response(const msg::Message& r, const Config& c, Rng& rng, TimePoint now) {
  if (r.status() < 200 || !sent_ || !awaiting_) return;
  awaiting_ = false;
  const int status = r.status();
  if (status == 401 || status == 407) {
    if (auto again = auth_.answer(*sent_, r, c, rng)) {
      if (auto cs = msg::parse_cseq(again->get("CSeq").value_or(""))) cseq_ = cs->seq + 1;
      sent_ = *again;
      awaiting_ = true;
      out_.push_back(std::move(*again));
      return;
    }
  } else {
    auth_.accepted();
  }
  if (status == 412 && sent_kind_ != Kind::Remove && !retried_412_) {
    // §6: the compositor has no such entity-tag any more; publish afresh.
    retried_412_ = true;
    etag_.clear();
    send(Kind::Initial, c, rng);
    return;
  }
  if (status == 423 && sent_kind_ != Kind::Remove) {
    const auto min = r.get("Min-Expires");
    std::uint32_t n = 0;
    if (min && std::from_chars(min->data(), min->data() + min->size(), n).ec == std::errc() && n > params_.expires) {
      params_.expires = n;
      send(sent_kind_, c, rng);
      return;
    }
  }
  if (status >= 300 && sent_kind_ == Kind::Refresh && transient(status) && timers_.armed(TimerKind::Expiry)) {
    // A refresh lost to a dropped connection (the transaction layer's 503),
    // a timeout or a busy server: the compositor keeps our state until it
    // expires (§4.1), so the publication stays, and the refresh (or what the
    // app asked for meanwhile) goes again, halfway to that expiry. Failing
    // here made presence vanish after every network blip, and nobody heard.
    // Too close to the expiry for that: it publishes afresh then.
    if (queued_) return send_queued(c, rng);
    if (const TimePoint at = refresh_retry_at(timers_.at(TimerKind::Expiry), now); at != kNever)
      timers_.set(TimerKind::Refresh, at);
    return;
  }
  if (status >= 300) {
    etag_.clear();
    timers_.stop(TimerKind::Refresh);
    timers_.stop(TimerKind::Expiry);
    queued_.reset();
    changed(sent_kind_ == Kind::Remove ? PubState::Removed : PubState::Failed, status, std::string(r.reason()));
    return;
  }
  retried_412_ = false;
  if (sent_kind_ == Kind::Remove) {
    etag_.clear();
    changed(PubState::Removed, status);
    send_queued(c, rng);
    return;
  }
  // §4.1.1 / §11.3: the 2xx's SIP-ETag names our state from now on, and its
  // Expires is what the compositor granted.
  if (auto tag = r.get("SIP-ETag")) etag_ = std::string(*tag);
  params_.expires = std::min(expires_of(r, params_.expires), params_.expires);
  if (params_.expires > 0) {
    const Duration interval = static_cast<Duration>(params_.expires) * 1000;
    timers_.set(TimerKind::Refresh, now + interval - std::min<Duration>(interval / 2, 60 * 1000));
    timers_.set(TimerKind::Expiry, now + interval);
  }
  const bool quiet_refresh = sent_kind_ == Kind::Refresh && state_ == PubState::Published;
  if (!quiet_refresh) changed(PubState::Published, status);
  send_queued(c, rng);
}

void Publication::handle_timeout(const Config& c, Rng& rng, TimePoint now) {
  if (timers_.take_expired(TimerKind::Expiry, now) && !awaiting_ && state_ == PubState::Published) {
    // No refresh got through in time: the compositor has let our state go
    // (§4.1); publish it afresh, as after an outage.
    timers_.stop(TimerKind::Refresh);
    etag_.clear();
    return send(Kind::Initial, c, rng);
  }
  if (!timers_.take_expired(TimerKind::Refresh, now)) return;
  if (awaiting_ || etag_.empty()) return;
  send(Kind::Refresh, c, rng);
}

std::optional<msg::Message> Publication::poll_transmit() { return take_front(out_); }
std::optional<PublicationChanged> Publication::poll_event() { return take_front(events_); }

}  // namespace wwp::event
