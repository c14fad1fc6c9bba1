#include "core/event/subscription.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

#include "core/dialog/dialog.hpp"
#include "core/msg/header_fields.hpp"
#include "core/msg/scan.hpp"

namespace wwp::event {

namespace {

/// RFC 5057 §5.1: the responses to an in-dialog request that end the usage
/// (the subscription), rather than the one transaction.
bool ends_usage(int status) {
  switch (status) {
    case 404: case 405: case 410: case 416: case 480: case 481: case 482: case 483: case 484: case 485:
    case 489: case 501: case 604:
      return true;
    default:
      return false;
  }
}
std::optional<std::uint32_t> number(std::string_view s) {
  std::uint32_t n = 0;
  const auto r = std::from_chars(s.data(), s.data() + s.size(), n);
  if (r.ec != std::errc() || r.ptr != s.data() + s.size()) return std::nullopt;
  return n;
}
std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}
using msg::scan::is_token;  // RFC 3261 §25.1 token
/// The event package of an Event header, without parameters (§8.2.1).
std::string package_of(std::string_view event) {
  const auto semi = event.find(';');
  std::string_view p = event.substr(0, semi);
  while (!p.empty() && (p.back() == ' ' || p.back() == '\t')) p.remove_suffix(1);
  while (!p.empty() && (p.front() == ' ' || p.front() == '\t')) p.remove_prefix(1);
  return lower(p);
}
constexpr Duration kSecond = 1000;
}  // namespace

const char* to_string(SubState s) {
  switch (s) {
    case SubState::Subscribing: return "subscribing";
    case SubState::Pending: return "pending";
    case SubState::Active: return "active";
    case SubState::Unsubscribing: return "unsubscribing";
    case SubState::Terminated: return "terminated";
  }
  return "?";
}

std::optional<SubscriptionStateHeader> parse_subscription_state(std::string_view v) {
  SubscriptionStateHeader h;
  const auto semi = v.find(';');
  h.value = package_of(v.substr(0, semi));
  if (!is_token(h.value)) return std::nullopt;
  if (semi == std::string_view::npos) return h;
  auto params = msg::parse_params(v.substr(semi));
  if (!params) return std::nullopt;
  if (auto e = msg::find_param(*params, "expires")) h.expires = number(*e);
  if (auto r = msg::find_param(*params, "reason")) h.reason = lower(*r);
  if (auto r = msg::find_param(*params, "retry-after")) h.retry_after = number(*r);
  return h;
}

Result<Subscription, UaError> Subscription::start(std::uint32_t id, SubscriptionParams p, const Config& c, Rng& rng,
                                                  const std::string& contact_uri, TimePoint now) {
  auto uri = target_uri(p.target, c);
  if (!uri) return Err<UaError>{uri.error()};
  if (!is_token(p.event)) return ua_error(UaErrorCode::InvalidArgument, "invalid event package \"" + p.event + "\"");
  if (p.accept.find_first_of("\r\n") != std::string::npos)
    return ua_error(UaErrorCode::InvalidArgument, "invalid Accept value");
  Subscription s(id, std::move(p), c, rng, "<" + contact_uri + ">");
  s.request_uri_ = *uri;
  s.send_initial(now);
  return s;
}

void Subscription::transition(SubState next, std::string reason, int status, std::uint32_t retry_after) {
  // Legal moves: see the diagram in the header. Terminated is final.
  if (state_ == SubState::Terminated) return;
  const bool changed = next != state_;
  state_ = next;
  if (next == SubState::Terminated) timers_.clear();
  if (changed && next != SubState::Subscribing && next != SubState::Unsubscribing)
    changes_.push_back(SubscriptionChanged{id_, next, std::move(reason), status, requested_, retry_after});
}

void Subscription::send_initial(TimePoint now) {
  // A new subscription is a new dialog: new Call-ID and From tag (§4.1.2.1).
  call_id_ = rng_->token(24);
  local_tag_ = rng_->token(12);
  remote_tag_.clear();
  remote_target_.clear();
  route_set_.clear();
  remote_cseq_.reset();
  notified_ = false;
  cseq_ = static_cast<std::uint32_t>(rng_->next_u64() % 9000 + 1);
  auth_ = AuthRetry{};
  send_subscribe(params_.expires, now);
}

void Subscription::send_subscribe(std::uint32_t expires, TimePoint now) {
  const std::string to = "<" + request_uri_ + ">" + (has_dialog() ? ";tag=" + remote_tag_ : std::string());
  msg::Message m = new_request("SUBSCRIBE", request_uri_, to, local_tag_, call_id_, cseq_++, *config_, *rng_);
  // §12.2.1.1 in an established dialog: remote target and route set.
  if (has_dialog()) dialog::apply_routing(m, route_set_, remote_target_);
  m.add("Contact", contact_);
  m.add("Event", params_.event);
  if (!params_.accept.empty()) m.add("Accept", params_.accept);
  m.add("Expires", std::to_string(expires));
  m.add("Allow", "NOTIFY");
  auth_.authorize(m, *rng_);
  requested_ = expires;
  sent_ = m;
  awaiting_ = true;
  out_.push_back(std::move(m));
  (void)now;
}

void Subscription::unsubscribe(TimePoint now) {
  if (state_ == SubState::Terminated || state_ == SubState::Unsubscribing) return;
  timers_.stop(TimerKind::Refresh);
  timers_.stop(TimerKind::Retry);
  timers_.stop(TimerKind::Expiry);  // it would subscribe afresh; Timer N bounds the wait now
  if (!has_dialog()) {
    // Nothing established at the notifier yet. If our SUBSCRIBE is still
    // out, its 2xx is answered with an unSUBSCRIBE then (handle_response).
    transition(SubState::Terminated, "unsubscribed");
    return;
  }
  transition(SubState::Unsubscribing);
  if (!awaiting_) send_subscribe(0, now);
  // The final NOTIFY should follow (§4.1.2.3); if it never does, Timer N.
  timers_.set(TimerKind::N, now + 64 * config_->t1);
}

void Subscription::resubscribe(TimePoint now) {
  if (state_ == SubState::Terminated || state_ == SubState::Unsubscribing || awaiting_) return;
  timers_.clear();
  send_initial(now);
}

bool Subscription::matches(const msg::Message& notify) const {
  if (notify.get(msg::HeaderId::CallId).value_or("") != call_id_) return false;
  return msg::tag_of(notify.get(msg::HeaderId::To).value_or("")).value_or("") == local_tag_;
}

int Subscription::handle_notify(const msg::Message& notify, TimePoint now) {
  // §8.2.1: the package must be ours; §7.2.2 489 Bad Event otherwise.
  if (package_of(notify.get("Event").value_or("")) != lower(params_.event)) return 489;
  const auto ss = parse_subscription_state(notify.get("Subscription-State").value_or(""));
  if (!ss) return 400;  // §4.1.3: "MUST contain a Subscription-State header"
  const std::string from_tag = msg::tag_of(notify.get(msg::HeaderId::From).value_or("")).value_or("");
  if (from_tag.empty()) return 400;
  const auto cseq = msg::parse_cseq_view(notify.get(msg::HeaderId::CSeq).value_or(""));
  if (!cseq) return 400;
  if (has_dialog() && from_tag != remote_tag_) return 481;  // another fork: ended there (§4.1.3)
  // Ended and waiting to subscribe afresh: the old dialog is over (§4.1.3);
  // a late NOTIFY of it must not make it again.
  if (state_ == SubState::Terminated || timers_.armed(TimerKind::Retry)) return 481;
  if (remote_cseq_ && cseq->seq <= *remote_cseq_) return 500;  // RFC 3261 §12.2.2
  remote_cseq_ = cseq->seq;
  if (!has_dialog()) {
    // §4.1.2.4: the NOTIFY creates the dialog; we are its UAS, so the route
    // set is its Record-Route in order (RFC 3261 §12.1.1).
    remote_tag_ = from_tag;
    for (auto rr : notify.get_all("Record-Route")) route_set_.emplace_back(rr);
  }
  // A NOTIFY is a target refresh (§4.1.3... RFC 6665 §4.1.2.4 / RFC 3261 §12.2.2).
  if (auto contact = msg::parse_name_addr(notify.get("Contact").value_or(""))) remote_target_ = contact->uri;
  if (remote_target_.empty()) remote_target_ = request_uri_;
  notified_ = true;
  timers_.stop(TimerKind::N);
  if (!notify.body().empty())
    notifies_.push_back(NotifyReceived{id_, params_.event, std::string(notify.get("Content-Type").value_or("")),
                                       std::string(notify.body())});
  if (ss->value == "terminated") {
    // §4.1.3: what the reason lets us do next.
    const std::string& r = ss->reason;
    const bool retry = state_ != SubState::Unsubscribing &&
                       (r.empty() || r == "deactivated" || r == "probation" || r == "timeout" ||
                        (r == "giveup" && ss->retry_after));
    ended(r.empty() ? "terminated" : r, ss->retry_after.value_or(0), retry, 0, now);
    return 200;
  }
  if (state_ == SubState::Unsubscribing) return 200;  // the final NOTIFY is still to come
  if (ss->value == "active") {
    retries_ = 0;
    if (ss->expires) granted(std::min(*ss->expires, requested_ ? requested_ : *ss->expires), now);
    transition(SubState::Active);
  } else if (ss->value == "pending") {
    if (ss->expires) granted(*ss->expires, now);
    transition(SubState::Pending);
  }
  return 200;
}

void Subscription::granted(std::uint32_t expires, TimePoint now) {
  if (expires == 0) return;
  requested_ = expires;
  // Refresh early enough to survive a slow answer: at half the interval,
  // and never less than a minute before it runs out when it is long.
  const Duration interval = static_cast<Duration>(expires) * kSecond;
  const Duration early = std::min<Duration>(interval / 2, 60 * kSecond);
  timers_.set(TimerKind::Refresh, now + interval - early);
  timers_.set(TimerKind::Expiry, now + interval);
}

void Subscription::ended(std::string reason, std::uint32_t retry_after, bool may_retry, int status, TimePoint now) {
  timers_.clear();
  if (may_retry && retries_ < kMaxRetries) {
    ++retries_;
    // Back to "subscribing" as far as the dialog goes; the app keeps its
    // last state until the new subscription reports.
    remote_tag_.clear();
    route_set_.clear();
    timers_.set(TimerKind::Retry, now + static_cast<Duration>(retry_after) * kSecond);
    return;
  }
  transition(SubState::Terminated, std::move(reason), status, retry_after);
}

void Subscription::handle_response(const msg::Message& r, TimePoint now) {
  if (r.status() < 200 || !sent_) return;
  // Only the answer to the SUBSCRIBE out now counts: a terminated NOTIFY
  // may have started a new subscription (a new Call-ID) while a refresh of
  // the old one was out, and that refresh's 200 or 481 is not this one's
  // (its To tag would have become ours, or its 481 ended the new one).
  const auto seq = [](const msg::Message& m) {
    const auto c = msg::parse_cseq_view(m.get(msg::HeaderId::CSeq).value_or(""));
    return c ? c->seq : 0;
  };
  if (r.get(msg::HeaderId::CallId) != sent_->get(msg::HeaderId::CallId) || seq(r) != seq(*sent_)) return;
  const std::uint32_t asked = requested_;
  awaiting_ = false;
  if (r.status() == 401 || r.status() == 407) {
    if (auto again = auth_.answer(*sent_, r, *config_, *rng_)) {
      if (auto c = msg::parse_cseq(again->get("CSeq").value_or(""))) cseq_ = c->seq + 1;
      sent_ = *again;
      awaiting_ = true;
      out_.push_back(std::move(*again));
      return;
    }
  } else {
    auth_.accepted();
  }
  if (r.status() == 423 && asked != 0) {
    // RFC 3261 §21.4.17 / RFC 6665 §4.1.2.1: ask again for Min-Expires.
    if (auto min = r.get("Min-Expires"); min && number(*min) && *number(*min) > asked) {
      params_.expires = *number(*min);
      send_subscribe(params_.expires, now);
      return;
    }
  }
  if (r.status() >= 300) {
    if (asked == 0 || state_ == SubState::Unsubscribing) {
      transition(SubState::Terminated, "unsubscribed");
      return;
    }
    // §4.1.2.2: a 481 to a refresh means the subscription is gone; start a
    // new one. "If a SUBSCRIBE request to refresh a subscription fails with
    // any error code other than 481, the original subscription is still
    // considered valid for the duration of the most recently known
    // 'Expires'": a lost connection's 503, Timer F's 408, a busy server's
    // 500 keep it, and the refresh is tried again halfway to its expiry
    // (which, if reached, subscribes afresh). Codes that end the usage
    // itself (RFC 5057 §5.1) end it; so does any failure of the initial
    // SUBSCRIBE, with the status for the app.
    const bool refresh = has_dialog() && notified_;
    if (refresh && !ends_usage(r.status()) && timers_.armed(TimerKind::Expiry)) {
      if (const TimePoint at = refresh_retry_at(timers_.at(TimerKind::Expiry), now); at != kNever)
        timers_.set(TimerKind::Refresh, at);
      return;
    }
    ended(std::to_string(r.status()) + " " + std::string(r.reason()), 0, refresh && r.status() == 481, r.status(),
          now);
    return;
  }
  // 2xx: the dialog, if no NOTIFY made it already (UAC side, RFC 3261
  // §12.1.2: the route set is the Record-Route reversed).
  if (!has_dialog()) {
    const std::string to_tag = msg::tag_of(r.get(msg::HeaderId::To).value_or("")).value_or("");
    if (!to_tag.empty()) {
      remote_tag_ = to_tag;
      const auto rr = r.get_all("Record-Route");
      for (auto it = rr.rbegin(); it != rr.rend(); ++it) route_set_.emplace_back(*it);
      if (auto contact = msg::parse_name_addr(r.get("Contact").value_or(""))) remote_target_ = contact->uri;
      if (remote_target_.empty()) remote_target_ = request_uri_;
    }
  }
  if (state_ == SubState::Terminated) {
    // unsubscribe() came before this 2xx: end what it just created.
    if (asked != 0 && has_dialog()) send_subscribe(0, now);
    return;
  }
  if (asked == 0) return;  // our unSUBSCRIBE: the final NOTIFY ends it
  if (state_ == SubState::Unsubscribing) {
    send_subscribe(0, now);  // unsubscribe() came while this refresh was out
    return;
  }
  // §4.1.2.1: the 2xx's Expires is what the notifier granted (never more
  // than asked); the NOTIFY's Subscription-State may lower it further.
  granted(expires_of(r, asked), now);
  // §4.1.2.4 Timer N: a 2xx with no NOTIFY within 64*T1 means the
  // subscription failed.
  if (!notified_) timers_.set(TimerKind::N, now + 64 * config_->t1);
}

void Subscription::handle_timeout(TimePoint now) {
  if (timers_.take_expired(TimerKind::Retry, now)) {
    send_initial(now);
    return;
  }
  if (timers_.take_expired(TimerKind::N, now)) {
    if (state_ == SubState::Unsubscribing) {
      transition(SubState::Terminated, "unsubscribed");
      return;
    }
    ended("timeout", 0, false, 408, now);
    return;
  }
  if (timers_.take_expired(TimerKind::Expiry, now)) {
    // §4.1.2.2 (a refresh that never succeeded): the subscription is over
    // at the notifier too; start a new one.
    ended("timeout", 0, true, 0, now);
    return;
  }
  if (timers_.take_expired(TimerKind::Refresh, now) && !awaiting_ && has_dialog())
    send_subscribe(params_.expires, now);
}

std::optional<msg::Message> Subscription::poll_transmit() { return take_front(out_); }
std::optional<SubscriptionChanged> Subscription::poll_change() { return take_front(changes_); }
std::optional<NotifyReceived> Subscription::poll_notify() { return take_front(notifies_); }

}  // namespace wwp::event
